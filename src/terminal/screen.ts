/**
 * The Screen: the one owner of the terminal in the interactive app. Every byte the chat writes
 * to the terminal goes through here: the transcript's rows, Ink's frame, scroll regions, the
 * caret, mode switches (alternate screen, mouse, bracketed paste, kitty keyboard, synchronized
 * output) and one-shot sequences (OSC 52 clipboard writes). Print mode has its own plain writer.
 *
 * The screen is composed of two parts, stacked:
 * - the **region** at the top: rows the app lays out itself (the transcript, the completion
 *   menu, the status bar), handed over whole with {@link Screen.setRegion};
 * - **Ink's frame** at the bottom: the prompt, or the whole screen while an overlay (help, the
 *   session picker) is open. Ink renders in debug mode into an {@link InkSink} (ink-sink.ts), which
 *   hands each whole frame to {@link Screen.setInkFrame}; Ink itself never writes the terminal.
 *
 * Ink's frame takes as many rows from the bottom as it has lines; the region gets the rest. The
 * Screen keeps the rows it last wrote and, on each flush (once per microtask, so that Ink's frame
 * and the region of one React commit land together), writes only the rows that changed ({@link rowUpdate}).
 * When the transcript moved down by k rows it scrolls them with a scroll region (DECSTBM + SU,
 * ECMA-48 / xterm ctlseqs) instead of rewriting them (pi-tui's lesson, docs/STYLE.md). A full
 * repaint (start, resize, back from an external editor) clears the screen and writes every row
 * inside synchronized output (mode 2026).
 *
 * The caret is the terminal's real cursor, placed where the prompt editor says (so IME
 * composition opens there). On a row with characters the terminal may measure differently from
 * inkwell (emoji, CJK), the cursor is placed by writing the row's text up to the caret from its
 * first column, so it lands where the terminal drew that text.
 */

import cliTruncate from 'cli-truncate';
import { activeStyles, SGR_AT_START, SGR_RESET, stripSgr } from '../text/sgr.js';
import terminalWidth from '../text/width.js';
import { stripHyperlinks } from './hyperlinks.js';
import {
  ALT_SCREEN_OFF,
  ALT_SCREEN_ON,
  CLEAR_SCREEN,
  CURSOR_HIDE,
  CURSOR_SHOW,
  cursorTo,
  FOCUS_OFF,
  FOCUS_ON,
  KITTY_OFF,
  MOUSE_OFF,
  MOUSE_ON,
  osc52,
  PASTE_OFF,
  PASTE_ON,
  RESET_MARGINS,
  RESTORE_CURSOR,
  RESTORE_TERMINAL,
  SAVE_CURSOR,
  SYNC_OFF,
  SYNC_ON,
} from './modes.js';
import { notificationSequence, type Notification, type NotifyProtocol } from './notify.js';

/** Where the Screen writes: the terminal (process.stdout in the app, a headless xterm in tests). */
export interface TerminalOutput {
  write(chunk: string): unknown;
}

/** The caret: a cell of Ink's frame, 0-based (column in cells as string-width counts them). */
export interface Caret {
  column: number;
  row: number;
}

/** A terminal's size, in columns and rows. */
export interface ScreenSize {
  columns: number;
  rows: number;
}

/** What the Screen has written, for the benchmark and tests. */
export interface ScreenStats {
  /** Writes to the terminal (one per flush that changed anything, plus mode switches). */
  writes: number;
  /** Bytes written, UTF-8. */
  bytes: number;
  /** Times the transcript was scrolled with a scroll region instead of rewritten. */
  scrolls: number;
  /** Rows written. */
  rowsWritten: number;
  /** Full repaints (screen cleared, every row written). */
  fullRepaints: number;
}

/** Paints longer than this many characters are wrapped in synchronized output (mode 2026). */
const SYNC_ABOVE = 1024;

/** The kitty keyboard protocol's "push flags" request (CSI > flags u). */
const KITTY_PUSH = /^\x1b\[>\d+u$/;
/** The kitty keyboard protocol's query (CSI ? u): the answer arrives on stdin. */
const KITTY_QUERY = '\x1b[?u';

/** The Screen that has the terminal now, if any (for {@link releaseTerminal}). */
let active: Screen | null = null;

/**
 * Gives the terminal back if a Screen has it (an uncaught error on its way out: the message must
 * reach the main screen, not the alternate one about to vanish). Does nothing otherwise.
 */
export function releaseTerminal(): void {
  active?.stop();
}

export class Screen {
  private columns: number;
  private rows: number;
  private region: readonly string[] = [];
  private regionTop = 0;
  private regionScrollRows = 0;
  private ink: readonly string[] = [];
  private caret: Caret | null = null;

  /** The rows on screen now (null: unknown, repaint everything after a clear). */
  private shown: string[] | null = null;
  private shownTop = 0;
  private shownScrollRows = 0;
  private shownRegionRows = -1;
  /**
   * The bottom margin of the scroll region left set on the terminal (rows 1..n), or null when it
   * is the whole screen. It stays set between scrolls: every row is placed absolutely, which the
   * margins do not affect, so only a scroll needs them (setting them costs ~8 bytes a time).
   */
  private margin: number | null = null;
  /** The bytes that placed the caret last time ('' while it is hidden). */
  private shownCaret = '';
  private cursorShown = true;

  private scheduled = false;
  /** A resize's repaint is due (flushes wait for it). */
  private resizing = false;
  private started = false;
  private suspended = false;
  private mouse = false;
  private focus = false;
  private paste = false;
  private kitty: string | null = null;
  private readonly resizeListeners = new Set<(size: ScreenSize) => void>();
  readonly stats: ScreenStats = { writes: 0, bytes: 0, scrolls: 0, rowsWritten: 0, fullRepaints: 0 };

  /**
   * @param out the terminal
   * @param size its size now
   */
  /**
   * @param options `hyperlinks`: the terminal shows OSC 8 hyperlinks (terminal/hyperlinks.ts);
   *   when false (the default) inkwell's links are taken out of the rows and their text stays
   */
  constructor(
    private readonly out: TerminalOutput,
    size: ScreenSize,
    private readonly options: { hyperlinks?: boolean } = {},
  ) {
    this.columns = Math.max(1, size.columns);
    this.rows = Math.max(1, size.rows);
  }

  /** The terminal's size, in columns and rows. */
  get size(): ScreenSize {
    return { columns: this.columns, rows: this.rows };
  }

  /**
   * Takes the terminal: alternate screen, cursor hidden until a caret is set, mouse reporting and
   * focus reporting (DECSET 1004: `ESC[I` / `ESC[O` arrive on stdin) if asked for. Call once
   * before the first frame.
   */
  start(o: { mouse: boolean; focus?: boolean }): void {
    if (this.started) return;
    this.started = true;
    active = this;
    this.mouse = o.mouse;
    this.focus = o.focus ?? false;
    this.cursorShown = false;
    this.write(`${ALT_SCREEN_ON}${CURSOR_HIDE}${o.mouse ? MOUSE_ON : ''}${this.focus ? FOCUS_ON : ''}`);
    this.shown = null;
  }

  /**
   * Gives the terminal back as it was (kitty keyboard, mouse, bracketed paste off; cursor shown;
   * main screen). Safe to call more than once and from an exit handler.
   */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (active === this) active = null;
    this.write(`${this.margin !== null ? RESET_MARGINS : ''}${this.kitty ? KITTY_OFF : ''}${RESTORE_TERMINAL}`);
    this.margin = null;
    this.kitty = null;
    this.paste = false;
  }

  /**
   * The terminal changed size: everything is repainted at the new size. The repaint waits one
   * macrotask, so that Ink and the app have laid out again at the new size first (their re-render
   * after the resize event may be scheduled, not immediate); rows still wider than the terminal
   * are cut, never left to wrap and scroll the screen.
   */
  resize(size: ScreenSize): void {
    this.columns = Math.max(1, size.columns);
    this.rows = Math.max(1, size.rows);
    this.shown = null;
    this.resizing = true;
    for (const l of this.resizeListeners) l(this.size);
    setImmediate(() => {
      this.resizing = false;
      this.flush();
    });
  }

  /** Calls `listener` after each resize. @returns a function that removes it */
  onResize(listener: (size: ScreenSize) => void): () => void {
    this.resizeListeners.add(listener);
    return () => this.resizeListeners.delete(listener);
  }

  /**
   * The rows the app lays out itself, from the top of the screen.
   * @param rows each already fitted to the width; as many as the screen has rows above Ink's frame
   * @param top the transcript row index of rows[0] (to recognise a scroll)
   * @param scrollRows how many of the rows, from the top, are the scrolling transcript (the rest,
   *   the completion menu and status bar, stay put)
   */
  setRegion(rows: readonly string[], top: number, scrollRows: number): void {
    // Links are written only where the terminal takes them: elsewhere the URL text alone.
    this.region = this.options.hyperlinks ? rows : rows.map(stripHyperlinks);
    this.regionTop = top;
    this.regionScrollRows = Math.min(scrollRows, rows.length);
    this.schedule();
  }

  /**
   * Ink's whole frame, as Ink renders it in debug mode: lines separated by '\n', each already
   * fitted to the width by Ink's layout.
   */
  setInkFrame(frame: string): void {
    const lines = frame.split('\n');
    if (lines.length > 1 && lines.at(-1) === '') lines.pop();
    this.ink = lines;
    this.schedule();
  }

  /** Where the caret is in Ink's frame, or null to hide the cursor. */
  setCaret(caret: Caret | null): void {
    const c = this.caret;
    if (c === caret || (c && caret && c.column === caret.column && c.row === caret.row)) return;
    this.caret = caret;
    this.schedule();
  }

  /**
   * A terminal mode Ink asks for (written to its output between frames): bracketed paste on/off
   * and the kitty keyboard protocol (query, push, pop) go to the terminal and are remembered so
   * {@link stop} can undo them; anything else (cursor show/hide, line erases) is dropped, since
   * the Screen owns the cursor and the rows.
   */
  request(sequence: string): void {
    if (sequence === PASTE_ON) this.paste = true;
    else if (sequence === PASTE_OFF) this.paste = false;
    else if (KITTY_PUSH.test(sequence)) this.kitty = sequence;
    else if (sequence === KITTY_OFF) this.kitty = null;
    else if (sequence !== KITTY_QUERY) return;
    this.write(sequence);
  }

  /** Turns mouse reporting on or off (wheel scrolling vs the terminal's own selection). */
  setMouse(on: boolean): void {
    if (on === this.mouse) return;
    this.mouse = on;
    if (this.started && !this.suspended) this.write(on ? MOUSE_ON : MOUSE_OFF);
  }

  /** Puts `text` on the clipboard through the terminal (OSC 52). */
  copyToClipboard(text: string): void {
    this.write(osc52(text));
  }

  /**
   * Posts a desktop notification (or rings the bell) through the terminal: the bytes come from
   * terminal/notify.ts, built from plain text, never from model output as it is.
   * @param tmux inkwell runs inside tmux (the sequence is wrapped for passthrough)
   */
  notify(protocol: NotifyProtocol, n: Notification, tmux: boolean): void {
    if (this.started) this.write(notificationSequence(protocol, n, tmux));
  }

  /**
   * Hands the terminal to another program (the external editor): main screen, cursor shown,
   * mouse and focus reporting off; nothing is painted until {@link resume}.
   */
  suspend(): void {
    if (this.suspended || !this.started) return;
    this.flush();
    this.suspended = true;
    this.write(
      `${this.margin !== null ? RESET_MARGINS : ''}${this.mouse ? MOUSE_OFF : ''}${this.focus ? FOCUS_OFF : ''}${CURSOR_SHOW}${ALT_SCREEN_OFF}`,
    );
    this.margin = null;
    this.cursorShown = true;
  }

  /**
   * The raw view: leaves the alternate screen as {@link suspend} does and writes `text` on the main
   * screen as lines the terminal wraps itself, so its own selection copies a long line as one line
   * (no hard wrap, no decoration); {@link resume} comes back. Control characters other than line
   * breaks and SGR colours are dropped: the caller passes sanitised text.
   */
  showRaw(text: string): void {
    if (!this.started || this.suspended) return;
    this.suspend();
    const safe = text.replace(/\x1b(?!\[[\d;]*m)|[\x00-\x09\x0b-\x1a\x1c-\x1f\x7f]/g, '');
    this.write(`\r\n${safe.replace(/\n/g, '\r\n')}\r\n`);
  }

  /** Takes the terminal back after {@link suspend} and repaints it whole. */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.write(`${ALT_SCREEN_ON}${CURSOR_HIDE}${this.mouse ? MOUSE_ON : ''}${this.focus ? FOCUS_ON : ''}`);
    this.cursorShown = false;
    this.shown = null;
    this.schedule();
  }

  /** Whether bracketed paste is on (Ink asked for it). */
  get bracketedPaste(): boolean {
    return this.paste;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private write(chunk: string): void {
    if (chunk === '') return;
    this.stats.writes += 1;
    this.stats.bytes += Buffer.byteLength(chunk);
    this.out.write(chunk);
  }

  /** The rows to show now: the region on top, Ink's frame below, exactly `rows` of them. */
  private compose(): { frame: string[]; regionRows: number; scrollRows: number } {
    const h = this.rows;
    const ink = this.ink.length > h ? this.ink.slice(this.ink.length - h) : this.ink;
    const regionRows = h - ink.length;
    let region = this.region;
    let scrollRows = this.regionScrollRows;
    if (region.length > regionRows) {
      // Ink's frame grew before the region was laid out again: keep the rows nearest to it.
      const cut = region.length - regionRows;
      region = region.slice(cut);
      scrollRows = Math.max(0, scrollRows - cut);
    } else if (region.length < regionRows) {
      region = [...new Array<string>(regionRows - region.length).fill(''), ...region];
      scrollRows = 0;
    }
    return { frame: [...region, ...ink], regionRows, scrollRows };
  }

  /** Writes what changed since the last flush, in one write. */
  flush(): void {
    if (!this.started || this.suspended || this.resizing) return;
    const { frame, regionRows, scrollRows } = this.compose();
    let out = '';
    let prev = this.shown;
    const full = prev === null;
    if (prev === null) {
      this.stats.fullRepaints += 1;
      out += `${this.margin !== null ? RESET_MARGINS : ''}${CLEAR_SCREEN}`;
      this.margin = null;
      prev = new Array<string>(frame.length).fill('');
    } else if (
      scrollRows > 1 &&
      scrollRows === this.shownScrollRows &&
      regionRows === this.shownRegionRows &&
      this.regionTop > this.shownTop
    ) {
      const k = shiftOf(prev, frame, scrollRows, this.regionTop - this.shownTop);
      if (k > 0) {
        // Moved down by k rows: scroll the region up (DECSTBM, then SU) instead of rewriting it;
        // the row diff below then writes only what still differs (usually the k new rows).
        out += `${this.margin === scrollRows ? '' : `\x1b[1;${scrollRows}r`}\x1b[${k === 1 ? '' : k}S`;
        this.margin = scrollRows;
        prev = [...prev.slice(k, scrollRows), ...new Array<string>(k).fill(''), ...prev.slice(scrollRows)];
        this.stats.scrolls += 1;
      }
    }
    for (let i = 0; i < frame.length; i++) {
      let row = frame[i]!;
      if (prev[i] === row) continue;
      // A row wider than the terminal would wrap, and on the last row scroll the whole screen.
      if (row.length * 2 > this.columns && terminalWidth(row) > this.columns) {
        row = cliTruncate(row, this.columns, { position: 'end' });
        frame[i] = row;
        if (prev[i] === row) continue;
      }
      out += rowUpdate(prev[i]!, row, i + 1, this.columns);
      this.stats.rowsWritten += 1;
    }
    this.shown = frame;
    this.shownTop = this.regionTop;
    this.shownScrollRows = scrollRows;
    this.shownRegionRows = regionRows;

    const caret = this.caretPlacement(frame, regionRows);
    if (out === '' && caret === this.shownCaret) return;
    let chunk: string;
    if (caret === '') {
      chunk = `${this.cursorShown ? CURSOR_HIDE : ''}${out}`;
      this.cursorShown = false;
    } else if (caret === this.shownCaret && this.cursorShown) {
      // The cursor waits at the caret: put it back there after the rows.
      chunk = `${SAVE_CURSOR}${out}${RESTORE_CURSOR}`;
    } else {
      chunk = `${out}${caret}${this.cursorShown ? '' : CURSOR_SHOW}`;
      this.cursorShown = true;
    }
    this.shownCaret = caret;
    this.write(full || chunk.length > SYNC_ABOVE ? `${SYNC_ON}${chunk}${SYNC_OFF}` : chunk);
  }

  /** The bytes that put the cursor at the caret ('' when there is none on screen). */
  private caretPlacement(frame: readonly string[], regionRows: number): string {
    const c = this.caret;
    if (c === null) return '';
    const row = regionRows + c.row;
    if (row < regionRows || row >= frame.length) return '';
    const column = Math.min(Math.max(0, c.column), this.columns - 1);
    const text = frame[row]!;
    // Asked on every flush (each streaming frame), while the prompt row rarely changes.
    const memo = this.caretMemo;
    if (memo && memo.text === text && memo.row === row && memo.column === column) return memo.placement;
    const start = rowStart(text, column);
    // Where the text before the caret may be measured differently, the terminal's own advance
    // over it places the cursor.
    const placement = start.stable ? cursorTo(row + 1, column + 1) : `${cursorTo(row + 1, 1)}${start.text}\x1b[0m`;
    this.caretMemo = { text, row, column, placement };
    return placement;
  }

  /** The last caret placement and what it was computed from. */
  private caretMemo: { text: string; row: number; column: number; placement: string } | null = null;
}

/** How many of the first `r` rows would need no write if the old ones moved up by `k`. */
function movedBy(prev: readonly string[], next: readonly string[], r: number, k: number): number {
  let same = 0;
  for (let i = 0; i + k < r; i++) if (next[i] === prev[i + k]) same++;
  return same;
}

/**
 * How far the first `r` rows moved up since `prev`: `hint` (the change of the transcript's top)
 * when that leaves more rows in place than not scrolling, else the shift that does, found from
 * the first non-blank row; 0 for no scroll. `top` alone can mislead: text laid out above the
 * window (held blocks rendered late) changes it without moving what the window shows.
 */
function shiftOf(prev: readonly string[], next: readonly string[], r: number, hint: number): number {
  let best = 0;
  let bestSame = movedBy(prev, next, r, 0);
  if (bestSame === r) return 0;
  const consider = (k: number): void => {
    if (k <= 0 || k >= r) return;
    const same = movedBy(prev, next, r, k);
    if (same > bestSame) {
      best = k;
      bestSame = same;
    }
  };
  consider(hint);
  if (best !== 0) return best;
  // Candidates from the first row with visible text (rows of spaces repeat too often to tell).
  const j = next.findIndex((row, i) => i < r && row.trim() !== '');
  if (j < 0) return 0;
  for (let k = 1; j + k < r; k++) if (k !== hint && prev[j + k] === next[j]) consider(k);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Rows: the bytes that change one screen row into another, and the text of a row up to a column.
// Pure string functions; the Screen above decides which rows to write.
// ---------------------------------------------------------------------------------------------

/**
 * Characters terminals measure differently from one another and from string-width: emoji drawn
 * as emoji by default (Emoji_Presentation) and their modifiers, joiners and variation selectors
 * (⚠ followed by U+FE0F), combining marks, regional indicators, and East Asian wide scripts (tmux
 * draws 👍🏽 in 4 cells, string-width says 2; an older xterm.js draws 🙂 in 1). Symbols drawn as
 * text by default (⚠ ✔ ✖ ☺), box drawing, bullets, arrows, Latin, Greek and Cyrillic are one cell
 * everywhere.
 */
const UNSTABLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is tested alone, on purpose (modifiers and selectors included).
  /\u200d|[\p{Emoji_Presentation}\p{M}\ufe00-\ufe0f\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\uff00-\uffef]/u;
/** A character that belongs to the one before it (a grapheme must not be cut before it). */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is tested alone, on purpose.
const JOINS_PREVIOUS = /^(?:\u200d|[\p{M}\ufe00-\ufe0f\u{1F3FB}-\u{1F3FF}])/u;

/**
 * The bytes that turn row `prev` into row `next` on screen row `row` (1-based), as few as the
 * terminal needs:
 * - when both share a prefix of plain ASCII text (a streaming line that grew, the status bar's
 *   live count), only the new tail is written, after the colours active at the cut (reduced to
 *   the attributes still on, never a replay of every open and close);
 * - a prefix with a character terminals measure differently (an emoji, CJK, a combining mark:
 *   {@link UNSTABLE}) is never skipped: the terminal may draw it wider or narrower than inkwell
 *   measures it (tmux draws 👍🏽 in 4 cells, string-width says 2), so a cursor placed by inkwell's
 *   count would land in the wrong cell. The row is written whole from its first column and the
 *   terminal's own advance places the text;
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
    return `${cursorTo(row, lead + 1)}${next.slice(lead)}${resetAfter(next)}`;
  }
  let common = 0;
  const max = Math.min(prev.length, next.length);
  while (common < max && prev.charCodeAt(common) === next.charCodeAt(common)) common++;
  // Never split an escape sequence: back up to before one that is still open at the cut.
  const lastEsc = common > 0 ? next.lastIndexOf('\x1b', common - 1) : -1;
  if (lastEsc !== -1) {
    const m = SGR_AT_START.exec(next.slice(lastEsc));
    if (!m || lastEsc + m[0].length > common) common = lastEsc;
  }
  // Cut after a plain character only, and never before one that joins the one before it, so a
  // grapheme (an emoji and its modifier, a letter and its accent) is never split.
  while (common > 0 && (next.charCodeAt(common - 1) > 0x7e || JOINS_PREVIOUS.test(next.slice(common, common + 2)))) common--;
  const prefix = next.slice(0, common);
  const text = stripSgr(prefix);
  if (text.length < 8 || UNSTABLE.test(text) || text.includes('\x1b')) {
    // The whole row. Erase-line does not move the cursor: start after the leading spaces.
    const lead = leadingSpaces(next);
    return `${cursorTo(row, lead + 1)}\x1b[2K${next.slice(lead)}${resetAfter(next)}`;
  }
  const column = terminalWidth(text);
  const tail = next.slice(common);
  const nextWidth = column + terminalWidth(tail);
  // Erase what the old row had beyond the new one only when the new one is shorter (and never
  // after a full-width row, where the cursor waits on its last cell).
  const erase = nextWidth < terminalWidth(prev) && nextWidth < width ? '\x1b[K' : '';
  // Only escape codes differ beyond the cut (a style closed later or sooner): nothing to draw.
  if (nextWidth === column) return erase === '' ? '' : `${cursorTo(row, column + 1)}${erase}`;
  return `${cursorTo(row, column + 1)}${activeStyles(prefix)}${tail}${resetAfter(next)}${erase}`;
}

/** Plain spaces at the start of a row, before any text or escape. */
function leadingSpaces(s: string): number {
  let i = 0;
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
}

/** A reset after a row that leaves an attribute on (chalk closes what it opens: usually none). */
function resetAfter(row: string): string {
  return row.includes('\x1b[') && activeStyles(row) !== '' ? SGR_RESET : '';
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The start of a styled row up to a column, as inkwell measures it, with its escapes kept (so
 * writing it from column 1 redraws exactly those cells), and whether every character in it is
 * one terminals agree on ({@link UNSTABLE}): then the column can be trusted.
 * @param row one screen row (text and SGR sequences)
 * @param column 0-based column, in terminal cells as string-width counts them
 */
export function rowStart(row: string, column: number): { text: string; stable: boolean } {
  let out = '';
  let col = 0;
  let stable = true;
  let i = 0;
  while (i < row.length && col < column) {
    if (row.charCodeAt(i) === 0x1b) {
      const m = /^\x1b\[[\d;]*[A-Za-z]/.exec(row.slice(i));
      const seq = m ? m[0] : '\x1b';
      out += seq;
      i += seq.length;
      continue;
    }
    let end = row.indexOf('\x1b', i);
    if (end === -1) end = row.length;
    for (const { segment } of segmenter.segment(row.slice(i, end))) {
      if (col >= column) break;
      if (UNSTABLE.test(segment)) stable = false;
      out += segment;
      col += terminalWidth(segment);
      i += segment.length;
    }
  }
  return { text: out, stable };
}
