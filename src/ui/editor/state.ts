import stringWidth from '../../text/width.js';

/**
 * The prompt editor's model: text and a caret, with pure editing operations and a soft-wrapping
 * layout. No React, no terminal.
 *
 * Units used throughout:
 * - **offset**: a UTF-16 code-unit index into `text` (what `String.prototype.slice` takes). The
 *   caret is always on a grapheme-cluster boundary (Unicode UAX #29 as implemented by
 *   `Intl.Segmenter`), so it never splits a surrogate pair, an emoji ZWJ sequence or a base
 *   letter from its combining marks.
 * - **column**: a terminal cell. CJK ideographs and most emoji take 2 columns (`string-width`),
 *   combining marks 0, a tab `TAB_COLUMNS`.
 * - **row**: one visual (soft-wrapped) line of the editor; a **line** is a logical line, the text
 *   between two "\n".
 */

/** The editor's state. Treat as immutable: every operation returns a new object. */
export interface EditorState {
  /** The prompt text. Lines are separated by "\n"; it never contains "\r" or other C0 controls except "\t". */
  readonly text: string;
  /** The caret, a UTF-16 offset in `0..text.length` on a grapheme boundary. */
  readonly caret: number;
  /**
   * The column (display cells from the row start) that Up/Down aim for, kept across consecutive
   * vertical moves so the caret returns to its column after passing a short row; null otherwise.
   */
  readonly goalColumn: number | null;
}

/** Columns a tab takes on screen (drawn as that many spaces; no tab stops). */
export const TAB_COLUMNS = 4;

/** The empty editor. */
export const emptyEditor: EditorState = { text: '', caret: 0, goalColumn: null };

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

// ANSI escape sequences (CSI, OSC, and two-byte ESC forms) that a paste of coloured text may carry.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// C0 controls except TAB and LF, DEL, and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Makes text safe to put in the editor: CRLF and lone CR become LF, ANSI escape sequences are
 * removed, and every other control character except tab and LF is dropped (it would corrupt the
 * screen, and a terminal cannot show it anyway).
 * @param raw typed or pasted text
 * @returns the cleaned text (same length or shorter, in UTF-16 code units)
 */
export function sanitizeInput(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * Display width of one grapheme cluster.
 * @returns columns: 0 for combining or zero-width, 1 for most, 2 for wide (CJK, emoji), `TAB_COLUMNS` for a tab
 */
export function graphemeColumns(g: string): number {
  if (g.length === 1) {
    const c = g.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) return 1;
    if (c === 0x09) return TAB_COLUMNS;
  }
  // string-width costs ~2 µs a call; a prompt repeats few distinct non-ASCII graphemes.
  let cols = widthCache.get(g);
  if (cols === undefined) {
    if (widthCache.size >= WIDTH_CACHE_LIMIT) widthCache.clear();
    cols = stringWidth(g);
    widthCache.set(g, cols);
  }
  return cols;
}
const WIDTH_CACHE_LIMIT = 10_000;
const widthCache = new Map<string, number>();

/**
 * Display width of a string as the editor lays it out: the sum of its graphemes' widths.
 * @returns columns
 */
export function textColumns(s: string): number {
  let n = 0;
  for (const { segment } of graphemeSegmenter.segment(s)) n += graphemeColumns(segment);
  return n;
}

/** Offset of the start of the logical line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the end of the logical line holding `offset` (the index of its "\n", or `text.length`). */
export function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i;
}

/**
 * The grapheme boundary just before `offset` (a newline is a grapheme of its own).
 * @param offset a boundary, 0..text.length
 * @returns an offset, `offset` itself when it is 0
 */
export function previousBoundary(text: string, offset: number): number {
  if (offset <= 0) return 0;
  const start = lineStartOf(text, offset);
  if (start === offset) return offset - 1; // step over the "\n"
  let last = start;
  for (const { index } of graphemeSegmenter.segment(text.slice(start, offset))) last = start + index;
  return last;
}

/**
 * The grapheme boundary just after `offset`.
 * @param offset a boundary, 0..text.length
 * @returns an offset, `text.length` at the end
 */
export function nextBoundary(text: string, offset: number): number {
  if (offset >= text.length) return text.length;
  if (text[offset] === '\n') return offset + 1;
  const end = lineEndOf(text, offset);
  for (const { segment } of graphemeSegmenter.segment(text.slice(offset, end))) return offset + segment.length;
  return end;
}

/**
 * Moves an arbitrary offset onto a grapheme boundary.
 * @param offset any number; clamped to 0..text.length
 * @param direction which boundary to take when `offset` is inside a cluster
 */
export function snapToBoundary(text: string, offset: number, direction: 'before' | 'after' = 'before'): number {
  const o = Math.max(0, Math.min(text.length, Math.floor(offset)));
  const start = lineStartOf(text, o);
  const end = lineEndOf(text, o);
  for (const { index, segment } of graphemeSegmenter.segment(text.slice(start, end))) {
    const s = start + index;
    const e = s + segment.length;
    if (s === o) return o;
    if (s < o && o < e) return direction === 'before' ? s : e;
  }
  return o;
}

/**
 * An editor holding `text` with the caret at `caret` (default: the end).
 * @param text any text; it is cleaned with `sanitizeInput`
 * @param caret a UTF-16 offset into the cleaned text; snapped to a grapheme boundary
 */
export function editorWith(text: string, caret?: number): EditorState {
  const clean = sanitizeInput(text);
  return { text: clean, caret: snapToBoundary(clean, caret ?? clean.length), goalColumn: null };
}

function replaceRange(s: EditorState, from: number, to: number, insert: string): EditorState {
  if (from === to && insert === '') return s.goalColumn === null ? s : { ...s, goalColumn: null };
  const text = s.text.slice(0, from) + insert + s.text.slice(to);
  // Inserted text can merge with a neighbour into one cluster (a combining mark after a letter);
  // the caret then goes after the whole cluster.
  const caret = snapToBoundary(text, from + insert.length, 'after');
  return { text, caret, goalColumn: null };
}

function moveTo(s: EditorState, caret: number): EditorState {
  if (caret === s.caret && s.goalColumn === null) return s;
  return { text: s.text, caret, goalColumn: null };
}

/**
 * Inserts text at the caret and puts the caret after it. The text is cleaned first (CR/CRLF →
 * LF, control characters dropped), so a paste goes in verbatim otherwise.
 */
export function insertText(s: EditorState, raw: string): EditorState {
  const clean = sanitizeInput(raw);
  return clean === '' ? s : replaceRange(s, s.caret, s.caret, clean);
}

/** Inserts a line break at the caret. */
export function insertNewline(s: EditorState): EditorState {
  return replaceRange(s, s.caret, s.caret, '\n');
}

/** Deletes the grapheme before the caret (Backspace). At offset 0 nothing changes. */
export function deleteBackward(s: EditorState): EditorState {
  return replaceRange(s, previousBoundary(s.text, s.caret), s.caret, '');
}

/** Deletes the grapheme after the caret (Delete, Ctrl+D). At the end nothing changes. */
export function deleteForward(s: EditorState): EditorState {
  return replaceRange(s, s.caret, nextBoundary(s.text, s.caret), '');
}

/** One grapheme left (crossing line breaks). */
export function moveLeft(s: EditorState): EditorState {
  return moveTo(s, previousBoundary(s.text, s.caret));
}

/** One grapheme right (crossing line breaks). */
export function moveRight(s: EditorState): EditorState {
  return moveTo(s, nextBoundary(s.text, s.caret));
}

/**
 * Start of the word before the caret: the start of the nearest word-like segment (UAX #29 word
 * boundaries via `Intl.Segmenter`) that begins before the caret, or 0.
 * @returns an offset
 */
export function wordStartBefore(text: string, caret: number): number {
  // Words never span a line break, so look at the caret's line, then the lines before it. Each
  // line is segmented whole: cutting it at the caret could change how the word there segments.
  let limit = caret;
  for (;;) {
    const start = lineStartOf(text, limit);
    let target = -1;
    for (const seg of wordSegmenter.segment(text.slice(start, lineEndOf(text, start)))) {
      if (start + seg.index >= limit) break;
      if (seg.isWordLike) target = start + seg.index;
    }
    if (target >= 0) return target;
    if (start === 0) return 0;
    limit = start - 1;
  }
}

/**
 * End of the word after the caret: the end of the nearest word-like segment that ends after the
 * caret, or `text.length`.
 * @returns an offset
 */
export function wordEndAfter(text: string, caret: number): number {
  // The caret is on a word boundary's line; a word it is inside of starts before it.
  let start = lineStartOf(text, caret);
  for (;;) {
    const end = lineEndOf(text, start);
    for (const seg of wordSegmenter.segment(text.slice(start, end))) {
      const segEnd = start + seg.index + seg.segment.length;
      if (segEnd > caret && seg.isWordLike) return segEnd;
    }
    if (end >= text.length) return text.length;
    start = end + 1;
  }
}

/** Word left (Alt+←, Ctrl+←, Alt+B): to the start of the current or previous word. */
export function moveWordLeft(s: EditorState): EditorState {
  return moveTo(s, wordStartBefore(s.text, s.caret));
}

/** Word right (Alt+→, Ctrl+→, Alt+F): to the end of the current or next word. */
export function moveWordRight(s: EditorState): EditorState {
  return moveTo(s, wordEndAfter(s.text, s.caret));
}

/** Deletes back to the start of the word before the caret (Alt+Backspace, Ctrl+Backspace). */
export function deleteWordBackward(s: EditorState): EditorState {
  return replaceRange(s, wordStartBefore(s.text, s.caret), s.caret, '');
}

/** Deletes forward to the end of the word after the caret (Alt+D, Ctrl+Delete, Alt+Delete). */
export function deleteWordForward(s: EditorState): EditorState {
  return replaceRange(s, s.caret, wordEndAfter(s.text, s.caret), '');
}

/**
 * Ctrl+W, as readline's `unix-word-rubout` and the terminal's own line editor do it: deletes the
 * whitespace before the caret (line breaks included), then the run of non-whitespace before that.
 * So "see https://x.io/a|" loses the whole URL in one press.
 */
export function deleteWhitespaceWordBackward(s: EditorState): EditorState {
  let i = s.caret;
  while (i > 0 && /\s/.test(s.text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(s.text[i - 1]!)) i--;
  return replaceRange(s, snapToBoundary(s.text, i, 'after'), s.caret, '');
}

/**
 * Ctrl+U: deletes from the start of the caret's line to the caret. At the start of a line it
 * deletes the line break before it instead, so repeated presses keep clearing upwards.
 */
export function deleteToLineStart(s: EditorState): EditorState {
  const start = lineStartOf(s.text, s.caret);
  return start === s.caret ? replaceRange(s, Math.max(0, s.caret - 1), s.caret, '') : replaceRange(s, start, s.caret, '');
}

/**
 * Ctrl+K (emacs `kill-line`): deletes from the caret to the end of its line. At the end of a line
 * it deletes the line break instead, joining the next line.
 */
export function deleteToLineEnd(s: EditorState): EditorState {
  const end = lineEndOf(s.text, s.caret);
  return end === s.caret ? replaceRange(s, s.caret, Math.min(s.text.length, s.caret + 1), '') : replaceRange(s, s.caret, end, '');
}

/** Home, Ctrl+A: the start of the caret's logical line. */
export function moveLineStart(s: EditorState): EditorState {
  return moveTo(s, lineStartOf(s.text, s.caret));
}

/** End, Ctrl+E: the end of the caret's logical line. */
export function moveLineEnd(s: EditorState): EditorState {
  return moveTo(s, lineEndOf(s.text, s.caret));
}

/** Ctrl+Home: the start of the text. */
export function moveTextStart(s: EditorState): EditorState {
  return moveTo(s, 0);
}

/** Ctrl+End: the end of the text. */
export function moveTextEnd(s: EditorState): EditorState {
  return moveTo(s, s.text.length);
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** One visual row of the wrapped text. */
export interface VisualRow {
  /** Offset of the row's first character. */
  readonly start: number;
  /** Offset just past the row's last character (the "\n" ending its line is not part of it). */
  readonly end: number;
  /**
   * True for the last row of a logical line: the caret may sit at `end`. On a row that wrapped,
   * `end` is the next row's `start` and the caret there is drawn at the next row's column 0.
   */
  readonly lastOfLine: boolean;
  /** Columns the row's text takes. */
  readonly columns: number;
}

function isBreakSpace(g: string): boolean {
  return g === ' ' || g === '\t' || g === '\u3000';
}

/**
 * Soft-wraps text into rows of at most `width` columns. Lines break after whitespace when a word
 * does not fit, and anywhere between graphemes when a single word is wider than a row (so CJK
 * text, which has no spaces, fills every row). A grapheme wider than `width` gets a row of its own.
 *
 * The position after the last character of a line needs a free cell for the caret, so a line
 * that exactly fills its last row is followed by an empty row. This keeps the layout independent
 * of where the caret is: the caret never jumps rows by itself.
 *
 * @param width columns available for the text (values below 1 count as 1)
 * @returns at least one row; rows of consecutive lines are in order
 */
export function wrapRows(text: string, width: number): VisualRow[] {
  const w = Math.max(1, Math.floor(width));
  const rows: VisualRow[] = [];
  let lineStart = 0;
  for (;;) {
    const lineEnd = lineEndOf(text, lineStart);
    for (const r of wrapLineCached(text.slice(lineStart, lineEnd), w)) {
      rows.push({ start: lineStart + r.start, end: lineStart + r.end, lastOfLine: r.lastOfLine, columns: r.columns });
    }
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + 1;
  }
  return rows;
}

// Wrapped rows per (width, line), offsets relative to the line: typing re-wraps only the line it
// changes, so a long pasted prompt stays cheap to lay out on every key.
const LINE_CACHE_LIMIT = 2_000;
const lineCache = new Map<string, readonly VisualRow[]>();

function wrapLineCached(line: string, width: number): readonly VisualRow[] {
  if (line.length < 8) return wrapLine(line, width);
  const key = `${width}\u0000${line}`;
  let rows = lineCache.get(key);
  if (rows === undefined) {
    if (lineCache.size >= LINE_CACHE_LIMIT) lineCache.clear();
    rows = wrapLine(line, width);
    lineCache.set(key, rows);
  }
  return rows;
}

/** Wraps one logical line; offsets are relative to the line's start. */
function wrapLine(line: string, width: number): VisualRow[] {
  const rows: VisualRow[] = [];
  const lineEnd = line.length;
  let rowStart = 0;
  let rowColumns = 0;
  // The last place in the current row where it may break (just after whitespace), and its column.
  let breakAt = -1;
  let breakColumns = 0;
  for (const { index, segment } of graphemeSegmenter.segment(line)) {
    const at = index;
    const cols = graphemeColumns(segment);
    while (rowColumns > 0 && rowColumns + cols > width) {
      if (breakAt > rowStart && breakAt <= at) {
        rows.push({ start: rowStart, end: breakAt, lastOfLine: false, columns: breakColumns });
        rowStart = breakAt;
        rowColumns -= breakColumns;
      } else {
        rows.push({ start: rowStart, end: at, lastOfLine: false, columns: rowColumns });
        rowStart = at;
        rowColumns = 0;
      }
      breakAt = -1;
    }
    rowColumns += cols;
    if (isBreakSpace(segment)) {
      breakAt = at + segment.length;
      breakColumns = rowColumns;
    }
  }
  if (rowColumns >= width) {
    rows.push({ start: rowStart, end: lineEnd, lastOfLine: false, columns: rowColumns });
    rows.push({ start: lineEnd, end: lineEnd, lastOfLine: true, columns: 0 });
  } else {
    rows.push({ start: rowStart, end: lineEnd, lastOfLine: true, columns: rowColumns });
  }
  return rows;
}

/**
 * The row that holds the caret.
 * @returns an index into `rows`
 */
export function rowOfOffset(rows: readonly VisualRow[], offset: number): number {
  // The last row starting at or before the offset. When a row wrapped at the offset, the next row
  // starts there, so the caret is drawn at that row's column 0; the last row of a line ends before
  // the next line's "\n"-separated start, so a caret at a line's end stays on that row.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The caret's column within its row. */
function columnIn(text: string, row: VisualRow, offset: number): number {
  return textColumns(text.slice(row.start, Math.min(offset, row.end)));
}

/**
 * The offset in `row` whose column is closest to `column` without passing it. On a row that
 * wrapped, the end of the row belongs to the next row, so the caret stops before the last grapheme.
 * @param column target column from the row start
 */
function offsetAtColumn(text: string, row: VisualRow, column: number): number {
  let col = 0;
  let lastStart = row.start;
  for (const { index, segment } of graphemeSegmenter.segment(text.slice(row.start, row.end))) {
    const at = row.start + index;
    const cols = graphemeColumns(segment);
    if (col + cols > column) return at;
    col += cols;
    lastStart = at;
  }
  return row.lastOfLine || row.end === row.start ? row.end : lastStart;
}

/** What the component draws: the rows' text and where the caret is. */
export interface EditorLayout {
  /** Each visual row as it should be drawn (tabs expanded to spaces); at least one row. */
  readonly rows: string[];
  /** Row of the caret, an index into `rows`. */
  readonly caretRow: number;
  /** Column of the caret from the start of its row, 0..width−1 (cells, wide characters count 2). */
  readonly caretCol: number;
}

/**
 * Lays the editor out for a text area `width` columns wide.
 * @param width columns for the text (after the prompt mark)
 */
export function layoutEditor(s: EditorState, width: number): EditorLayout {
  const rows = wrapRows(s.text, width);
  const caretRow = rowOfOffset(rows, s.caret);
  return {
    rows: rows.map((r) => s.text.slice(r.start, r.end).replaceAll('\t', ' '.repeat(TAB_COLUMNS))),
    caretRow,
    caretCol: columnIn(s.text, rows[caretRow]!, s.caret),
  };
}

/**
 * Up: to the row above, at the same visual column (or the one remembered from the last vertical
 * move). On the first row it returns `'history-prev'` so the caller can recall an older prompt.
 * @param width columns for the text, as given to `layoutEditor`
 */
export function moveUp(s: EditorState, width: number): EditorState | 'history-prev' {
  return moveVertical(s, width, -1) ?? 'history-prev';
}

/**
 * Down: to the row below, at the same visual column. On the last row it returns
 * `'history-next'` so the caller can move towards newer prompts and the draft.
 * @param width columns for the text, as given to `layoutEditor`
 */
export function moveDown(s: EditorState, width: number): EditorState | 'history-next' {
  return moveVertical(s, width, 1) ?? 'history-next';
}

function moveVertical(s: EditorState, width: number, delta: -1 | 1): EditorState | null {
  const rows = wrapRows(s.text, width);
  const r = rowOfOffset(rows, s.caret);
  const target = rows[r + delta];
  if (!target) return null;
  const goal = s.goalColumn ?? columnIn(s.text, rows[r]!, s.caret);
  return { text: s.text, caret: offsetAtColumn(s.text, target, goal), goalColumn: goal };
}

/**
 * Rows the editor takes on screen for this text: its wrapped row count, at least 1, at most
 * `maxRows`. Depends only on the text and width (never on the caret), so a parent can size its
 * layout from the text it receives through `onChange`.
 * @param width columns for the text
 * @param maxRows the editor's row limit
 * @returns rows
 */
export function editorHeight(text: string, width: number, maxRows: number): number {
  return Math.max(1, Math.min(Math.max(1, Math.floor(maxRows)), wrapRows(text, width).length));
}

/**
 * The first visible row when the editor shows `maxRows` of `rowCount` rows: the previous scroll
 * moved as little as possible to keep the caret in view.
 * @param previous the last first-visible row
 * @param caretRow the caret's row
 * @returns a row index in 0..max(0, rowCount − maxRows)
 */
export function scrollToCaret(previous: number, caretRow: number, rowCount: number, maxRows: number): number {
  const visible = Math.max(1, Math.floor(maxRows));
  let top = Math.min(previous, caretRow);
  if (caretRow >= top + visible) top = caretRow - visible + 1;
  return Math.max(0, Math.min(top, Math.max(0, rowCount - visible)));
}
