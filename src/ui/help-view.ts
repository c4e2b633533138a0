/** The line that always ends the help overlay: how to leave it. */
export const HELP_CLOSE = 'Esc, ? or q closes this.';

/** The rows of the help overlay for one screen, and the first body line shown. */
export interface HelpWindow {
  /** At most `height` rows: a window of the body, then the closing line. */
  rows: string[];
  /** The first body line shown, clamped to what can scroll (0 when all fits). */
  top: number;
}

/**
 * The help overlay as it fits `height` rows: all of it when it fits; else a window of the body
 * from line `top`, and a last row that says how to close, how to scroll (↑/↓, PgUp/PgDn, Space)
 * and where the window is.
 * @param body the help text's lines (commands, then keys)
 * @param top the first body line wanted (clamped)
 * @param height the rows there are (≥ 1)
 */
export function helpWindow(body: readonly string[], top: number, height: number): HelpWindow {
  const h = Math.max(1, Math.floor(height));
  if (body.length + 2 <= h) return { rows: [...body, '', HELP_CLOSE], top: 0 };
  const page = h - 1;
  const first = Math.max(0, Math.min(Math.floor(top), body.length - page));
  const shown = body.slice(first, first + page);
  const last = first + shown.length;
  const where = `lines ${first + 1}–${last} of ${body.length}`;
  const moves = [first > 0 ? '↑' : '', last < body.length ? '↓' : ''].join('');
  // How to close first: a narrow screen cuts the end of the row.
  return { rows: [...shown, `${HELP_CLOSE} ${moves} PgUp/PgDn scroll · ${where}`], top: first };
}

/**
 * Where a key moves the help overlay's window: ↑/↓ a line, PgUp/PgDn or Space a page; null for
 * any other key.
 * @param page the body rows on screen
 */
export function helpScroll(
  key: { upArrow?: boolean; downArrow?: boolean; pageUp?: boolean; pageDown?: boolean },
  text: string,
  top: number,
  page: number,
): number | null {
  if (key.upArrow) return top - 1;
  if (key.downArrow) return top + 1;
  if (key.pageUp) return top - Math.max(1, page);
  if (key.pageDown || text === ' ') return top + Math.max(1, page);
  return null;
}
