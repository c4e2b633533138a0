/**
 * Desktop notifications through the terminal, and which kind a terminal takes. Pure: the Screen
 * writes the bytes (`Screen.notify`); nothing else does. Sources: iTerm2's "Proprietary Escape
 * Codes" (OSC 9), hterm's ControlSequences.md (OSC 9, OSC 777), kitty's "Desktop notifications"
 * (https://sw.kovidgoyal.net/kitty/desktop-notifications/, OSC 99), tmux(1) `allow-passthrough`.
 *
 * - OSC 9 (`ESC ] 9 ; text BEL`): iTerm2's "post a notification"; Windows Terminal.
 * - OSC 777 (`ESC ] 777 ; notify ; title ; body BEL`): rxvt's notify, taken by WezTerm, foot and
 *   Ghostty.
 * - OSC 99 (`ESC ] 99 ; metadata ; payload ESC \`): kitty's desktop notifications; the title
 *   (`d=0`, more to come) and then the body (`p=body`, `d=1`, done) under one id `i`.
 * - BEL: every other terminal (the terminal beeps, flashes or marks the tab). Terminals that show
 *   an unknown OSC as text (the Linux console, some older ones) are never sent one: only terminals
 *   known to take a kind get it.
 * - Inside tmux the sequence is wrapped for passthrough (`ESC P tmux ; … ESC \`, every ESC inside
 *   doubled; tmux ≥ 3.3 needs `set -g allow-passthrough on`), and the outer terminal is recognised
 *   by the variables it set before tmux started.
 */

/** The kinds of notification a terminal may take. */
export type NotifyProtocol = 'osc9' | 'osc777' | 'osc99' | 'bell';

/** The `notify` setting: `auto` picks the kind by terminal, `bell` always rings, `off` never notifies. */
export type NotifySetting = 'auto' | 'bell' | 'off';

/** A notification: both parts are plain text (sanitised again here). */
export interface Notification {
  title: string;
  body: string;
}

/** Longest title or body sent, in characters (notification centres cut long text anyway). */
const MAX_FIELD = 160;

/**
 * The kind of notification to send, by setting and terminal.
 * @param env the environment (TERM, TERM_PROGRAM, LC_TERMINAL and the variables terminals set)
 * @returns null for `off`
 */
export function notifyProtocol(setting: NotifySetting, env: NodeJS.ProcessEnv): NotifyProtocol | null {
  if (setting === 'off') return null;
  if (setting === 'bell') return 'bell';
  const term = env.TERM ?? '';
  const program = env.TERM_PROGRAM ?? '';
  if (term === 'xterm-kitty' || env.KITTY_WINDOW_ID) return 'osc99';
  if (program === 'iTerm.app' || env.LC_TERMINAL === 'iTerm2' || env.ITERM_SESSION_ID) return 'osc9';
  if (program === 'WezTerm' || env.WEZTERM_PANE) return 'osc777';
  if (program === 'ghostty' || term === 'xterm-ghostty' || env.GHOSTTY_RESOURCES_DIR) return 'osc777';
  if (term === 'foot' || term.startsWith('foot-')) return 'osc777';
  if (env.WT_SESSION) return 'osc9';
  return 'bell';
}

/**
 * Text fit for a notification: every control character (C0, DEL, C1: ESC, BEL and ST among them)
 * and line break becomes a space, runs of spaces one, cut to {@link MAX_FIELD} characters.
 */
export function notificationText(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  return flat.length > MAX_FIELD ? `${flat.slice(0, MAX_FIELD - 1).trimEnd()}…` : flat;
}

/**
 * The bytes that post `n` as `protocol`.
 * @param tmux wrap for tmux passthrough (inkwell runs inside tmux)
 */
export function notificationSequence(protocol: NotifyProtocol, n: Notification, tmux: boolean): string {
  if (protocol === 'bell') return '\x07';
  const title = notificationText(n.title) || 'inkwell';
  const body = notificationText(n.body);
  let seq: string;
  if (protocol === 'osc9') {
    // ConEmu-style OSC 9 takes "9;<digit>;…" as a command: the text never starts with a digit.
    const text = `${title}: ${body}`;
    seq = `\x1b]9;${/^\d/.test(text) ? `inkwell · ${text}` : text}\x07`;
  } else if (protocol === 'osc777') {
    // Fields are separated by ";": none inside them.
    seq = `\x1b]777;notify;${title.replaceAll(';', ',')};${body.replaceAll(';', ',')}\x07`;
  } else {
    seq = `\x1b]99;i=inkwell:d=0;${title}\x1b\\\x1b]99;i=inkwell:d=1:p=body;${body}\x1b\\`;
  }
  return tmux ? `\x1bPtmux;${seq.replaceAll('\x1b', '\x1b\x1b')}\x1b\\` : seq;
}
