import type { Key } from 'ink';

/**
 * The prompt editor's key map, as a pure function from what Ink's `useInput` delivers
 * (`input`, `key`) to editor commands. Keeping it pure lets the App ask "is this key the
 * editor's?" with the very same rules the editor uses.
 *
 * How keys arrive (Ink 8, `parse-keypress.js` / `input-parser.js`):
 * - Enter is "\r" → `key.return`, `input` "" (with the kitty protocol `\x1b[13u`, `input` "\r").
 * - Alt+Enter is ESC CR → `key.return` + `key.meta`; kitty `\x1b[13;3u` likewise.
 * - Shift+Enter is "\r" on most terminals (indistinguishable from Enter). With the kitty keyboard
 *   protocol it is `\x1b[13;2u` → `key.return` + `key.shift`. xterm's modifyOtherKeys form
 *   `\x1b[27;2;13~` is dropped by Ink before `useInput` (see `normalizeModifiedEnter`).
 * - Ctrl+J is "\n" → no flag set, `input` "\n" (kitty: `input` "j" + `key.ctrl`).
 * - Ctrl+letter → `input` is the letter, `key.ctrl`. Alt+letter (ESC letter) → the letter, `key.meta`.
 * - Text typed faster than it is read, or sent by `tmux send-keys`, arrives as one `input`
 *   ("hello\r"); Backspace (0x7f, 0x08) and Ctrl+C (0x03) are split out of such chunks by Ink,
 *   CR and LF are not.
 * - Bracketed paste goes to `usePaste`, never to `useInput`, while a paste handler is active.
 */

/** One thing the editor does. */
export type EditorCommand =
  | { type: 'insert'; text: string }
  | { type: 'newline' }
  | { type: 'submit' }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'delete-word-backward' }
  | { type: 'delete-word-forward' }
  | { type: 'delete-whitespace-word-backward' }
  | { type: 'delete-to-line-start' }
  | { type: 'delete-to-line-end' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'word-left' }
  | { type: 'word-right' }
  | { type: 'line-start' }
  | { type: 'line-end' }
  | { type: 'text-start' }
  | { type: 'text-end' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'external-editor' }
  | { type: 'expand-paste' };

type SimpleCommand = Exclude<EditorCommand, { type: 'insert' }>;
const cmd = (type: SimpleCommand['type']): EditorCommand[] => [{ type } as SimpleCommand];

/**
 * Splits typed (not pasted) text into commands: CR or CRLF is Enter (submit), LF is Ctrl+J
 * (newline), another control character is its Ctrl key (Ink hands over "\x15\x15" from a held
 * Ctrl+U as one unparsed string), anything else is inserted. So "hello\r" in one chunk types
 * "hello" and sends it. Tabs stay text: a terminal without bracketed paste sends pasted tabs so.
 * @param hasText whether the prompt holds text when the chunk starts (for Ctrl+D)
 */
export function typedChunkCommands(input: string, hasText = true): EditorCommand[] {
  const out: EditorCommand[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of input.split(/(\r\n|[\x00-\x08\x0a-\x1f])/)) {
    if (part === '') continue;
    if (part === '\n') out.push({ type: 'newline' });
    else if (part === '\r' || part === '\r\n') out.push({ type: 'submit' });
    else if (part.length === 1 && part < ' ')
      out.push(...(ctrlLetterCommands(String.fromCharCode(part.charCodeAt(0) + 96), hasText) ?? []));
    else out.push({ type: 'insert', text: part });
  }
  return out;
}

/** The commands for Ctrl+<letter>, or null when the combination is not the editor's. */
function ctrlLetterCommands(letter: string, hasText: boolean): EditorCommand[] | null {
  switch (letter) {
    case 'a':
      return cmd('line-start');
    case 'e':
      return cmd('line-end');
    case 'b':
      return cmd('left');
    case 'f':
      return cmd('right');
    case 'd':
      return hasText ? cmd('delete') : null;
    case 'w':
      return cmd('delete-whitespace-word-backward');
    case 'u':
      return cmd('delete-to-line-start');
    case 'k':
      return cmd('delete-to-line-end');
    case 'j':
      return cmd('newline');
    case 'g':
      return cmd('external-editor');
    case 'o':
      return hasText ? cmd('expand-paste') : null;
    default:
      return null;
  }
}

/**
 * The editor's commands for one `useInput` event, or null when the key is not the editor's: the
 * App's keys (Esc, Ctrl+C, Tab/Shift+Tab, PageUp/PageDown, Shift+↑/↓, and Home/End while the
 * prompt is empty), key releases, and unbound Ctrl/Alt/Super combinations.
 *
 * @param input Ink's `input` string
 * @param key Ink's `key` flags
 * @param hasText whether the prompt holds any text (Home/End and Ctrl+D belong to the App when it is empty)
 */
export function editorCommandsFor(input: string, key: Key, hasText: boolean): EditorCommand[] | null {
  if (key.eventType === 'release') return null;
  // The App's keys.
  if (key.escape || key.tab || key.pageUp || key.pageDown) return null;
  if (key.ctrl && input === 'c') return null;
  if (key.shift && (key.upArrow || key.downArrow)) return null;
  if (key.home || key.end) {
    if (!hasText) return null;
    if (key.ctrl) return cmd(key.home ? 'text-start' : 'text-end');
    return cmd(key.home ? 'line-start' : 'line-end');
  }

  if (key.return) return cmd(key.meta || key.shift || key.ctrl || key.super ? 'newline' : 'submit');

  // Cmd (super) combinations reach us only with the kitty protocol: macOS line motions.
  if (key.super || key.hyper) {
    if (key.leftArrow) return cmd('line-start');
    if (key.rightArrow) return cmd('line-end');
    if (key.backspace) return cmd('delete-to-line-start');
    return null;
  }

  if (key.backspace) return cmd(key.meta || key.ctrl ? 'delete-word-backward' : 'backspace');
  if (key.delete) return cmd(key.meta || key.ctrl ? 'delete-word-forward' : 'delete');
  if (key.leftArrow) return cmd(key.meta || key.ctrl ? 'word-left' : 'left');
  if (key.rightArrow) return cmd(key.meta || key.ctrl ? 'word-right' : 'right');
  if (key.upArrow) return cmd('up');
  if (key.downArrow) return cmd('down');

  if (key.ctrl) return ctrlLetterCommands(input, hasText);
  if (key.meta) {
    switch (input) {
      case 'b':
        return cmd('word-left');
      case 'f':
        return cmd('word-right');
      case 'd':
        return cmd('delete-word-forward');
      default:
        return null;
    }
  }
  if (input === '') return null;
  return typedChunkCommands(input, hasText);
}

/**
 * True when the editor acts on this key, so the App must not act on it as well (Ink delivers every
 * key to every active `useInput` handler; there is no "consumed"). In practice this matters for
 * Home/End: the editor's while the prompt has text, the App's (scroll the transcript) while it is
 * empty.
 * @param promptText the editor's current text (from `onChange`)
 */
export function editorHandlesKey(input: string, key: Key, promptText: string): boolean {
  return editorCommandsFor(input, key, promptText !== '') !== null;
}

// CSI 27 ; modifier ; 13 ~ — xterm's modifyOtherKeys encoding of a modified Enter (also tmux's
// extended-keys in xterm format).
// eslint-disable-next-line no-control-regex
const XTERM_MODIFIED_ENTER = /\x1b\[27;(\d+);13~/g;

/**
 * Rewrites xterm modifyOtherKeys Enter (`ESC [27;<mod>;13~`, e.g. Shift+Enter `ESC [27;2;13~`)
 * into the kitty protocol's form (`ESC [13;<mod>u`), which Ink 8 parses as `key.return` with the
 * modifiers set. Ink drops the xterm form as an unknown sequence, so without this a terminal
 * configured that way loses Shift+Enter entirely. Meant for a stdin filter in front of Ink (the
 * one `filterMouseInput` already is); a sequence split across two reads is left as it is.
 * @param chunk raw terminal input
 * @returns the input with those sequences rewritten; anything else untouched
 */
export function normalizeModifiedEnter(chunk: string): string {
  return chunk.includes('\x1b[27;') ? chunk.replace(XTERM_MODIFIED_ENTER, '\x1b[13;$1u') : chunk;
}
