import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import terminalWidth from '../../src/text/width.js';

/** Every code point of the Basic Multilingual Plane (surrogates left out): the fast path's set is in there. */
function bmpCodePoints(): number[] {
  const cps: number[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
  return cps;
}

describe('terminal width', () => {
  it('equals string-width for every BMP character alone, doubled, and next to ASCII', () => {
    for (const cp of bmpCodePoints()) {
      const ch = String.fromCodePoint(cp);
      for (const s of [ch, ch + ch, `a${ch}b`, `\x1b[1m${ch}\x1b[22m`]) {
        if (terminalWidth(s) !== stringWidth(s))
          expect(`${cp.toString(16)}: ${terminalWidth(s)}`).toBe(`${cp.toString(16)}: ${stringWidth(s)}`);
      }
    }
  });

  it('equals string-width on emoji, combining and wide text, and with every option', () => {
    const samples = ['👍🏽 ok', 'e\u0301', '日本語', '⚠️ warn', '● › … ─│┌', '⠋ out ~520/8.2k', '🇫🇷', 'a\u200db', '\u00ad', 'x\u25fdy', ''];
    for (const s of samples) {
      expect(terminalWidth(s)).toBe(stringWidth(s));
      expect(terminalWidth(s, { ambiguousIsNarrow: false })).toBe(stringWidth(s, { ambiguousIsNarrow: false }));
      expect(terminalWidth(`\x1b[31m${s}\x1b[39m`, { countAnsiEscapeCodes: true })).toBe(
        stringWidth(`\x1b[31m${s}\x1b[39m`, { countAnsiEscapeCodes: true }),
      );
    }
  });
});
