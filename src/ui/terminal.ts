import { MOUSE_OFF } from './mouse.js';

/**
 * Puts any terminal back as it was: mouse reporting off, bracketed paste off, cursor shown, main
 * screen. Written on every exit path (normal exit, signals, an uncaught error).
 */
export const RESTORE_TERMINAL = `${MOUSE_OFF}\x1b[?2004l\x1b[?25h\x1b[?1049l`;
