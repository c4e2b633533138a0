import wrapAnsi from 'wrap-ansi';
import { describe, expect, it } from 'vitest';
import terminalWidth from '../../src/text/width.js';
import { wrapStyled } from '../../src/text/wrap.js';
import { stripSgr } from '../../src/text/sgr.js';

const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
const cyan = (s: string) => `\x1b[36m${s}\x1b[39m`;
const graphemes = (s: string) => [...new Intl.Segmenter().segment(stripSgr(s))].map((g) => g.segment);

describe('wrapStyled', () => {
  it('wraps ASCII text with styles exactly as wrap-ansi does', () => {
    const words = 'the quick brown fox jumps over the lazy dog with averyveryverylongidentifierthatmustbreak'.split(' ');
    for (let n = 0; n < 60; n++) {
      const line = Array.from({ length: 8 + (n % 23) }, (_, i) =>
        i % 5 === 0
          ? bold(words[(i + n) % words.length]!)
          : i % 7 === 0
            ? cyan(words[(i * n) % words.length]!)
            : words[(i + 2 * n) % words.length]!,
      ).join(' ');
      for (const width of [7, 20, 33, 80]) {
        for (const options of [{ hard: true }, { hard: true, trim: false }, {}])
          expect(wrapStyled(line, width, options)).toBe(wrapAnsi(line, width, options));
      }
    }
  });

  it('never makes a line wider than the width, nor cuts a character, with emoji and wide text', () => {
    const samples = [
      '⚠️⚠️⚠️⚠️⚠️⚠️⚠️⚠️⚠️⚠️⚠️⚠️ careful',
      'done ✔️✔️✔️✔️✔️✔️✔️✔️✔️ 1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣',
      '👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧 family',
      '🇯🇵🇫🇷🇩🇪🇯🇵🇫🇷🇩🇪🇯🇵🇫🇷 flags',
      '👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽 ok',
      `${bold('日本語のテキストはとても長いです')} and ❤️❤️❤️❤️❤️❤️`,
      'e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301 accents',
    ];
    for (const text of samples) {
      for (const width of [4, 7, 10, 15]) {
        const lines = wrapStyled(text, width, { hard: true }).split('\n');
        for (const line of lines)
          expect(terminalWidth(line), `${JSON.stringify(text)} at ${width}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
        // Every grapheme of the text is in one piece on some line. (Not checked for the combining
        // accents: wrap-ansi 10 may put a mark at the start of the next line, as before.)
        if (text.includes('\u0301')) continue;
        const pieces = new Set(lines.flatMap(graphemes));
        for (const g of graphemes(text)) if (g.trim() !== '') expect(pieces.has(g), `${JSON.stringify(g)} at ${width}`).toBe(true);
      }
    }
  });
});
