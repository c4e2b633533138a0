import stringWidth from '../../text/width.js';
import { sanitizeModelText } from '../../markdown/sanitize.js';
import type { SessionSummary } from '../../sessions/list.js';
import type { Theme } from '../../theme.js';

/** Pure pieces of the session picker's screen: times, rows, scrolling. */

import { relativeTime } from '../../domain/time.js';

export { relativeTime };

/**
 * A title made safe and single-line for one row: terminal controls replaced by visible
 * placeholders (markdown/sanitize.ts), whitespace runs (newlines too) collapsed to one space.
 */
export function displayTitle(title: string): string {
  const flat = sanitizeModelText(title).replace(/\s+/g, ' ').trim();
  return flat === '' ? 'Untitled' : flat;
}

const segmenter = new Intl.Segmenter();

/**
 * Cuts plain text (no ANSI) to at most `columns` terminal columns, ending in "…" when cut.
 * Wide characters (CJK, emoji) count 2; grapheme clusters are never split.
 */
export function truncateToWidth(text: string, columns: number): string {
  if (columns <= 0) return '';
  if (stringWidth(text) <= columns) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > columns - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** What a row shows besides the title. */
export function rowMeta(s: SessionSummary, now: number): string {
  const n = s.messageCount;
  return `${n} message${n === 1 ? '' : 's'} · ${s.model} · ${relativeTime(s.updatedAt, now)}`;
}

/** Columns the title keeps before the details are cut instead. */
const MIN_TITLE_COLUMNS = 12;

/** Tag shown after the title of a damaged session. */
export const DAMAGED_TAG = '[damaged]';
/** Tag shown after the title of the session open now. */
export const CURRENT_TAG = '(open now)';

/**
 * One row of the list, styled, at most `width` columns: a marker ("›" when selected), the title
 * (cut to leave room for the rest when it can), the tags `[damaged]` and `(open now)`, then
 * " · N messages · model · 3 min ago" (cut at the end when the row is too narrow).
 * @param width columns available for the row
 * @param now ms since the epoch, for the relative time
 */
export function renderRow(
  s: SessionSummary,
  opts: { width: number; now: number; selected: boolean; current: boolean; theme: Theme },
): string {
  const { width, now, selected, current, theme } = opts;
  const marker = selected ? '› ' : '  ';
  const tags = [s.damaged ? DAMAGED_TAG : null, current ? CURRENT_TAG : null].filter((t): t is string => t !== null);
  const tagText = tags.length > 0 ? ` ${tags.join(' ')}` : '';
  const meta = ` · ${rowMeta(s, now)}`;
  const room = width - stringWidth(marker);
  const fixed = stringWidth(tagText) + stringWidth(meta);
  const title = truncateToWidth(displayTitle(s.title), Math.max(MIN_TITLE_COLUMNS, room - fixed));
  // Past the title and tags, the details are cut to what is left.
  const left = room - stringWidth(title) - stringWidth(tagText);
  const shownMeta = truncateToWidth(meta, Math.max(0, left));
  const styledTitle = selected ? theme.accent(title) : title;
  const styledTags = tagText === '' ? '' : ' ' + tags.map((t) => (t === DAMAGED_TAG ? theme.warning(t) : theme.info(t))).join(' ');
  return `${selected ? theme.accent(marker) : marker}${styledTitle}${styledTags}${theme.muted(shownMeta)}`;
}

/**
 * The first visible index of a scrolled list, moved as little as possible from `top` so that
 * `selected` is visible, and clamped so the window never runs past the end.
 * @param top the first visible index before
 * @param selected index of the selected row (-1 when none)
 * @param rows rows the list has on screen (at least 1)
 * @param count rows in the list
 */
export function keepVisible(top: number, selected: number, rows: number, count: number): number {
  const r = Math.max(1, rows);
  let t = top;
  if (selected >= 0) {
    if (selected < t) t = selected;
    else if (selected >= t + r) t = selected - r + 1;
  }
  return Math.max(0, Math.min(t, count - r));
}

/** Moves a selection by `by` rows, stopping at the ends (no wrapping); -1 for an empty list. */
export function moveSelection(selected: number, by: number, count: number): number {
  if (count === 0) return -1;
  if (selected < 0) return 0;
  return Math.max(0, Math.min(count - 1, selected + by));
}
