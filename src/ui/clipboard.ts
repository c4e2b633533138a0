/**
 * Copying with OSC 52 (xterm ctlseqs "Manipulate Selection Data"): the terminal puts base64 text
 * on the system clipboard. Works over SSH and in tmux with `set -g set-clipboard on`; terminals
 * without it ignore the sequence, which cannot be detected, so inkwell says how to check.
 */

export { osc52 } from '../terminal/modes.js';

/** The terminal as a clipboard: the Screen in the app (it writes OSC 52), a stand-in in tests. */
export interface ClipboardTerminal {
  isTTY?: boolean;
  /** Writes the OSC 52 sequence that puts `text` on the clipboard. */
  copy(text: string): void;
}

/** Most terminals cap OSC 52 payloads; past this many bytes of text, copying is refused. */
export const OSC52_MAX_BYTES = 100_000;

/**
 * Puts text on the clipboard through the terminal.
 * @param out the terminal
 * @param env to tell a terminal that cannot (TERM=dumb, not a TTY)
 * @returns what happened, in plain words
 */
export function copyToClipboard(text: string, out: ClipboardTerminal, env: NodeJS.ProcessEnv): { ok: boolean; message: string } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (!out.isTTY || env.TERM === 'dumb') {
    return { ok: false, message: 'This terminal cannot take a clipboard write (OSC 52): it is not a terminal or TERM=dumb.' };
  }
  if (bytes > OSC52_MAX_BYTES) {
    return {
      ok: false,
      message: `That is ${bytes.toLocaleString('en-US')} bytes, more than terminals accept through OSC 52 (${OSC52_MAX_BYTES.toLocaleString('en-US')}). Use /export instead.`,
    };
  }
  out.copy(text);
  const tmux = env.TMUX ? ' In tmux this needs `set -g set-clipboard on`.' : '';
  return {
    ok: true,
    message: `Copied ${text.length.toLocaleString('en-US')} characters with OSC 52. If the clipboard did not change, this terminal does not support OSC 52.${tmux}`,
  };
}
