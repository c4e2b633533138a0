/**
 * How big or deep a markdown block may be before it is shown as plain text instead (issue 22).
 *
 * marked lexes and renders nested containers recursively, and inkwell renders the still-growing
 * block of a reply again whenever it grows a line: a reply of `>` × 10,000 overflowed the stack,
 * 1,000 nested quotes took minutes and gigabytes, and a paragraph of 16,000 lines cost a minute
 * of re-rendering. Beyond these limits a block is not given to marked at all: its lines are shown
 * as they are (sanitised, wrapped), after one muted line saying why, and a growing one is drawn
 * incrementally (only its new lines). So the work per frame is bounded whatever the reply holds.
 * Pure functions; nothing here keeps state.
 */

/** Deepest nesting (quotes, list items, two columns of indentation each) rendered as markdown. */
export const MAX_NESTING = 24;
/** Most source lines in one block rendered as markdown. */
export const MAX_BLOCK_LINES = 300;
/** Most UTF-16 code units in one block rendered as markdown. */
export const MAX_BLOCK_CHARS = 32_768;
/** Longest source line (UTF-16 code units) in a block rendered as markdown. */
export const MAX_LINE_CHARS = 8_192;

/** Why a block is shown as plain text. */
export type PlainReason = 'deep' | 'long-line' | 'big';

/**
 * The nesting a line opens, counted on its start: one level per `>` and per list marker
 * (`-`, `*`, `+`, `1.`, `1)` followed by a space or the end), one per two columns of
 * indentation (a tab is four). An over-estimate for four-space list indentation, never an
 * under-estimate, and O(its prefix). A thematic break (`* * *`) counts 0.
 * @param source the text; `start` the offset of the line's first character
 */
export function lineNesting(source: string, start = 0): number {
  let depth = 0;
  let columns = 0;
  let i = start;
  const n = source.length;
  for (;;) {
    const c = source.charCodeAt(i);
    if (c === 0x20) {
      columns++;
      i++;
    } else if (c === 0x09) {
      columns += 4;
      i++;
    } else if (c === 0x3e /* > */) {
      depth++;
      i++;
    } else if ((c === 0x2d || c === 0x2a || c === 0x2b) && isMarkerEnd(source.charCodeAt(i + 1))) {
      depth++;
      i++;
    } else if (c >= 0x30 && c <= 0x39) {
      let j = i;
      while (j < n && j - i < 9 && source.charCodeAt(j) >= 0x30 && source.charCodeAt(j) <= 0x39) j++;
      const d = source.charCodeAt(j);
      if ((d === 0x2e || d === 0x29) && isMarkerEnd(source.charCodeAt(j + 1))) {
        depth++;
        i = j + 1;
      } else break;
    } else break;
  }
  // Only markers and spaces on the line: a thematic break or an empty item, not nesting.
  const end = source.indexOf('\n', i);
  const rest = end < 0 ? source.length : end;
  if (rest === i && !source.slice(start, i).includes('>')) return 0;
  return depth + Math.floor(columns / 2);
}

function isMarkerEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || Number.isNaN(c);
}

/**
 * The first line of `source` (from offset `from`) that is nested deeper than
 * {@link MAX_NESTING} or longer than {@link MAX_LINE_CHARS}: its start offset and why; null when
 * there is none. O(length of the source after `from`).
 */
export function firstHazard(source: string, from = 0): { at: number; reason: PlainReason } | null {
  let start = from;
  while (start < source.length) {
    const nl = source.indexOf('\n', start);
    const end = nl < 0 ? source.length : nl;
    if (lineNesting(source, start) > MAX_NESTING) return { at: start, reason: 'deep' };
    if (end - start > MAX_LINE_CHARS) return { at: start, reason: 'long-line' };
    if (nl < 0) break;
    start = nl + 1;
  }
  return null;
}

/** Lines in `source` (a trailing newline ends the last line rather than starting one). */
export function countLines(source: string, limit = Number.POSITIVE_INFINITY): number {
  let lines = 0;
  let at = -1;
  for (;;) {
    at = source.indexOf('\n', at + 1);
    if (at < 0) break;
    lines++;
    if (lines > limit) return lines;
  }
  return source.endsWith('\n') || source === '' ? lines : lines + 1;
}

/**
 * Why one block must be shown as plain text rather than rendered as markdown, or null when it
 * may be rendered: deeper than {@link MAX_NESTING}, a line longer than {@link MAX_LINE_CHARS},
 * or more than {@link MAX_BLOCK_LINES} lines / {@link MAX_BLOCK_CHARS} characters.
 */
export function plainReason(source: string): PlainReason | null {
  if (source.length > MAX_BLOCK_CHARS || countLines(source, MAX_BLOCK_LINES) > MAX_BLOCK_LINES) {
    return firstHazard(source)?.reason ?? 'big';
  }
  return firstHazard(source)?.reason ?? null;
}

/** The muted line shown above a block shown as plain text. */
export function plainNote(reason: PlainReason): string {
  switch (reason) {
    case 'deep':
      return `┄ nested more than ${MAX_NESTING} levels deep: shown as plain text`;
    case 'long-line':
      return `┄ a line over ${MAX_LINE_CHARS.toLocaleString('en-US')} characters: shown as plain text`;
    case 'big':
      return `┄ a block over ${MAX_BLOCK_LINES} lines: shown as plain text`;
  }
}

/** An opening code fence (CommonMark §4.5): up to three spaces, then ``` or ~~~ (3 or more). */
export function fenceOpener(line: string): string | null {
  const m = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line);
  return m === null ? null : (m[1] as string);
}

/** Whether `line` closes a fence opened by `opener` (the same character, at least as many). */
export function closesFence(line: string, opener: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m !== null && (m[1] as string)[0] === opener[0] && (m[1] as string).length >= opener.length;
}
