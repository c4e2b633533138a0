/**
 * The terminal modes and one-shot sequences inkwell's screen writes (xterm ctlseqs: "Set Mode",
 * DECSET/DECRST private modes; ECMA-48 for SGR and cursor movement). Only `src/terminal/` writes
 * them; everything else asks the Screen.
 */

/** Alternate screen buffer with the cursor saved (DECSET 1049). */
export const ALT_SCREEN_ON = '\x1b[?1049h';
export const ALT_SCREEN_OFF = '\x1b[?1049l';
/** Mouse button reports (1000) in SGR encoding (1006): wheel scrolling. */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';
/** Bracketed paste (2004): a paste arrives between `ESC[200~` and `ESC[201~`. */
export const PASTE_ON = '\x1b[?2004h';
export const PASTE_OFF = '\x1b[?2004l';
/** Focus reporting (1004): `ESC[I` on focus in, `ESC[O` on focus out. */
export const FOCUS_ON = '\x1b[?1004h';
export const FOCUS_OFF = '\x1b[?1004l';
/** Cursor visibility (DECTCEM, 25). */
export const CURSOR_SHOW = '\x1b[?25h';
export const CURSOR_HIDE = '\x1b[?25l';
/** Synchronized output (mode 2026): the terminal holds the frame until the end mark. */
export const SYNC_ON = '\x1b[?2026h';
export const SYNC_OFF = '\x1b[?2026l';
/** Save and restore the cursor (DECSC / DECRC). */
export const SAVE_CURSOR = '\x1b7';
export const RESTORE_CURSOR = '\x1b8';
/** Cursor home and erase from there to the end: the whole screen (ED 0 from home). */
export const CLEAR_SCREEN = '\x1b[H\x1b[J';
/** The scroll region back to the whole screen (DECSTBM with no margins). */
export const RESET_MARGINS = '\x1b[r';
/** Pops the kitty keyboard protocol's flags (CSI < u). */
export const KITTY_OFF = '\x1b[<u';

/**
 * Puts any terminal back as it was: kitty keyboard off, mouse reporting off, bracketed paste and
 * focus reporting off, cursor shown, main screen. Written on every exit path (normal exit,
 * signals, an uncaught error), whatever was turned on.
 */
export const RESTORE_TERMINAL = `${MOUSE_OFF}${PASTE_OFF}${FOCUS_OFF}${CURSOR_SHOW}${ALT_SCREEN_OFF}`;

/**
 * Moves the cursor to a 1-based row and column (CUP).
 * @param row 1-based row
 * @param column 1-based column
 */
export function cursorTo(row: number, column: number): string {
  return column === 1 ? `\x1b[${row}H` : `\x1b[${row};${column}H`;
}

/**
 * The OSC 52 sequence that sets the clipboard ("c" selection) to `text` (xterm ctlseqs
 * "Manipulate Selection Data").
 * @returns `ESC ] 52 ; c ; <base64 of the UTF-8 text> BEL`
 */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}
