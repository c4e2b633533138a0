/**
 * Paints the transcript rows straight to the terminal, beside Ink.
 *
 * Ink redraws what changed line by line, which is right for the status bar and the prompt but
 * wrong for a transcript that follows a streaming reply: every new line moves every row up, and
 * Ink rewrites them all (the benchmark measured 56× the reply's bytes). pi-tui's lesson (docs/STYLE.md):
 * components render to lines and the terminal layer diffs them. Here the transcript area is an
 * empty box in Ink's frame; this painter owns those rows. When the view moved down by k rows and
 * the old rows are still valid, it scrolls them with a scroll region (DECSTBM, ECMA-48 / xterm
 * ctlseqs) instead of rewriting them, then writes only rows whose text changed. Each paint is one
 * write inside synchronized output (mode 2026), with the cursor saved and restored (DECSC/DECRC)
 * so Ink's caret stays where Ink put it.
 *
 * Ink never writes into the area while its rows there stay empty; after a write of Ink's that may
 * have erased them (a full redraw: erase-line or erase-screen sequences, or the area's size just
 * changed) the painter repaints everything.
 */

import { ansiCodesToString, reduceAnsiCodes, tokenize, type AnsiCode } from '@alcalzone/ansi-tokenize';
import terminalWidth from '../text/width.js';

/** Where the painter writes: the terminal. */
export interface PaintTarget {
  write(chunk: string): unknown;
}

const SGR = /\x1b\[[\d;]*m/g;

/**
 * The bytes that turn row `prev` into row `next` on screen row `row` (1-based), as few as the
 * terminal needs:
 * - when both share a prefix of plain ASCII text (a streaming line that grew, the status bar's
 *   live count), only the new tail is written, after the colours active at the cut (reduced to
 *   the attributes still on, never a replay of every open and close);
 * - a row known to be blank (`prev` is '': fresh rows after a scroll) is not erased first, and
 *   its leading spaces are skipped by placing the cursor after them;
 * - the closing reset is written only when the row leaves an attribute on.
 * @param width the terminal's columns (a full-width row gets no erase-to-end, which would eat its
 *   last cell while the cursor waits to wrap)
 * @returns the bytes to write ('' when nothing visible changes)
 */
export function rowUpdate(prev: string, next: string, row: number, width: number): string {
  if (prev === '') {
    const lead = leadingSpaces(next);
    if (lead === next.length) return '';
    return `\x1b[${row};${lead + 1}H${next.slice(lead)}${resetAfter(next)}`;
  }
  let common = 0;
  const max = Math.min(prev.length, next.length);
  while (common < max && prev.charCodeAt(common) === next.charCodeAt(common)) common++;
  // Never split an escape sequence: back up to before one that is still open at the cut.
  const lastEsc = common > 0 ? next.lastIndexOf('\x1b', common - 1) : -1;
  if (lastEsc !== -1) {
    const m = /^\x1b\[[\d;]*m/.exec(next.slice(lastEsc));
    if (!m || lastEsc + m[0].length > common) common = lastEsc;
  }
  // Cut after an ASCII character only, so a grapheme (an emoji and its modifier, a letter and its
  // accent) is never split between what stays on screen and what is written.
  while (common > 0 && next.charCodeAt(common - 1) > 0x7e) common--;
  const prefix = next.slice(0, common);
  const text = prefix.replace(SGR, '');
  if (text.length < 8) {
    // The whole row. Erase-line does not move the cursor: start after the leading spaces.
    const lead = leadingSpaces(next);
    return `\x1b[${row};${lead + 1}H\x1b[2K${next.slice(lead)}${resetAfter(next)}`;
  }
  const column = terminalWidth(text);
  const tail = next.slice(common);
  const nextWidth = column + terminalWidth(tail);
  // Erase what the old row had beyond the new one only when the new one is shorter (and never
  // after a full-width row, where the cursor waits on its last cell).
  const erase = nextWidth < terminalWidth(prev) && nextWidth < width ? '\x1b[K' : '';
  // Only escape codes differ beyond the cut (a style closed later or sooner): nothing to draw.
  if (nextWidth === column) return erase === '' ? '' : `\x1b[${row};${column + 1}H${erase}`;
  return `\x1b[${row};${column + 1}H${activeStyles(prefix)}${tail}${resetAfter(next)}${erase}`;
}

/** Plain spaces at the start of a row, before any text or escape. */
function leadingSpaces(s: string): number {
  let i = 0;
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
}

/**
 * The SGR sequence that turns on the attributes still active at the end of `s` (after every
 * open and close in it), or '' when none is.
 */
function activeStyles(s: string): string {
  const sgr = s.match(SGR);
  if (!sgr) return '';
  const codes = tokenize(sgr.join('')).filter((t): t is AnsiCode => t.type === 'ansi');
  return ansiCodesToString(reduceAnsiCodes(codes));
}

/** A reset after a row that leaves an attribute on (chalk closes what it opens: usually none). */
function resetAfter(row: string): string {
  return row.includes('\x1b[') && activeStyles(row) !== '' ? '\x1b[0m' : '';
}

const SYNC_ON = '\x1b[?2026h';
const SYNC_OFF = '\x1b[?2026l';
const SAVE = '\x1b7';
/** Paints longer than this many characters are wrapped in synchronized output (mode 2026). */
const SYNC_ABOVE = 1024;
const RESTORE = '\x1b8';

/** Bytes and writes the painter has put out, for the benchmark and tests. */
export interface PaintStats {
  paints: number;
  bytes: number;
  scrolls: number;
  rowsWritten: number;
  fullRepaints: number;
}

export class TranscriptPainter {
  private shown: string[] | null = null;
  private shownTop = 0;
  private rows: string[] = [];
  private top = 0;
  private height = 0;
  private scrollRows = 0;
  private width = Number.MAX_SAFE_INTEGER;
  private active = true;
  /** Ink's next write may have touched the area: repaint fully after it. */
  private repairAfterInk = true;
  readonly stats: PaintStats = { paints: 0, bytes: 0, scrolls: 0, rowsWritten: 0, fullRepaints: 0 };

  constructor(private readonly out: PaintTarget) {}

  /**
   * The rows the area should show now, from the top of the screen.
   * @param rows every row of the area, each already fitted to the width
   * @param top the transcript row index of rows[0] (to recognise a scroll)
   * @param scrollRows how many of the rows, from the top, are the scrolling transcript (the rest,
   *   the completion menu and status bar, stay put)
   * @param width the terminal's columns
   */
  setRows(rows: readonly string[], top: number, scrollRows: number, width = Number.MAX_SAFE_INTEGER): void {
    this.width = width;
    if (rows.length !== this.height || scrollRows !== this.scrollRows) {
      this.height = rows.length;
      this.scrollRows = Math.min(scrollRows, rows.length);
      this.shown = null;
      this.repairAfterInk = true;
    }
    this.rows = rows.slice();
    this.top = top;
    this.flush();
  }

  /** Hands the area to Ink (an overlay is open) or takes it back (repainted whole). */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    this.shown = null;
    this.repairAfterInk = true;
    if (active) this.flush();
  }

  /** Forget what is on screen (after a resize or anything that wiped it). */
  invalidate(): void {
    this.shown = null;
    this.repairAfterInk = true;
  }

  /** Call after each of Ink's writes: repairs the area if that write may have erased it. */
  afterInkWrite(chunk: string): void {
    if (!this.active) return;
    // Ink rewrites a line as `ESC[1G ESC[K` + text: one such line is the prompt, several mean Ink
    // redrew its frame (after a resize) and erased rows that belong to the painter's area.
    const erasedLines = chunk.split('\x1b[K').length - 1;
    if (this.repairAfterInk || erasedLines > 1 || chunk.includes('\x1b[2K') || chunk.includes('\x1b[2J')) {
      this.repairAfterInk = false;
      this.shown = null;
      this.flush();
    }
  }

  /** How many of the scrolling rows would need no write if the old ones moved up by `k`. */
  private movedBy(prev: readonly string[], k: number): number {
    let same = 0;
    for (let i = 0; i + k < this.scrollRows; i++) if (this.rows[i] === prev[i + k]) same++;
    return same;
  }

  /**
   * How far the rows moved up since `prev`: `hint` (the change of `top`) when that leaves more
   * rows in place than not scrolling, else the shift that does, found from the first non-blank
   * row; 0 for no scroll. `top` alone can mislead: text laid out above the window (held blocks
   * rendered late) changes it without moving what the window shows, or by more than it moved.
   */
  private shiftOf(prev: readonly string[], hint: number): number {
    const r = this.scrollRows;
    let best = 0;
    let bestSame = this.movedBy(prev, 0);
    if (bestSame === r) return 0;
    const consider = (k: number): void => {
      if (k <= 0 || k >= r) return;
      const same = this.movedBy(prev, k);
      if (same > bestSame) {
        best = k;
        bestSame = same;
      }
    };
    consider(hint);
    if (best !== 0) return best;
    // Candidates from the first row with visible text (rows of spaces repeat too often to tell).
    const j = this.rows.findIndex((row, i) => i < r && row.trim() !== '');
    if (j < 0) return 0;
    for (let k = 1; j + k < r; k++) if (k !== hint && prev[j + k] === this.rows[j]) consider(k);
    return best;
  }

  private flush(): void {
    if (!this.active || this.height === 0) return;
    const h = this.height;
    let out = '';
    let prev = this.shown;
    const full = prev === null;
    if (prev === null) {
      this.stats.fullRepaints += 1;
      prev = new Array<string>(h).fill('\u0000'); // nothing matches: every row is written
    } else {
      const r = this.scrollRows;
      const k = this.top > this.shownTop ? this.shiftOf(prev, this.top - this.shownTop) : 0;
      if (k > 0) {
        // Moved down by k rows: scroll the region up (DECSTBM, then SU) instead of rewriting it; the row diff below
        // then writes only what still differs (usually the k new rows).
        out += `\x1b[1;${r}r\x1b[${k === 1 ? '' : k}S\x1b[r`;
        prev = [...prev.slice(k, r), ...new Array<string>(k).fill(''), ...prev.slice(r)];
        this.stats.scrolls += 1;
      }
    }
    let rowsWritten = 0;
    for (let i = 0; i < h; i++) {
      const row = this.rows[i]!;
      if (prev[i] === row) continue;
      out += rowUpdate(prev[i]!, row, i + 1, this.width);
      rowsWritten += 1;
    }
    this.stats.rowsWritten += rowsWritten;
    this.shown = this.rows.slice();
    this.shownTop = this.top;
    if (out === '') return;
    // A small paint reaches the terminal in one read and is drawn whole; a large one (a full
    // repaint, a jump) is wrapped in synchronized output so the terminal holds the frame.
    const chunk = full || out.length > SYNC_ABOVE ? `${SYNC_ON}${SAVE}${out}${RESTORE}${SYNC_OFF}` : `${SAVE}${out}${RESTORE}`;
    this.stats.paints += 1;
    this.stats.bytes += Buffer.byteLength(chunk);
    this.out.write(chunk);
  }
}

/**
 * A stand-in for the terminal's output stream to give Ink: everything Ink writes goes to the
 * terminal, then the painter gets to repair its area. Every other property is the real stream's.
 */
export function inkStdout(real: NodeJS.WriteStream, painter: TranscriptPainter): NodeJS.WriteStream {
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const ok = (real.write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    painter.afterInkWrite(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return ok;
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'write') return write;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
