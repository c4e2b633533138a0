/**
 * The bytes that change one screen row into another, and the text of a row up to a column. Pure
 * string functions; the Screen (screen.ts) decides which rows to write.
 */

import { activeStyles, SGR_AT_START, SGR_RESET, stripSgr } from '../text/sgr.js';
import terminalWidth from '../text/width.js';
import { cursorTo } from './modes.js';

/**
 * Characters terminals measure differently from one another and from string-width: emoji and
 * their modifiers, joiners and variation selectors, combining marks, regional indicators, and
 * East Asian wide scripts (tmux draws 👍🏽 in 4 cells, string-width says 2; an older xterm.js
 * draws 🙂 in 1). Box drawing, bullets, arrows, Latin, Greek and Cyrillic are one cell everywhere.
 */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is tested alone, on purpose (modifiers and selectors included).
const UNSTABLE = /\u200d|[\p{Extended_Pictographic}\p{M}\ufe00-\ufe0f\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\uff00-\uffef]/u;
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
