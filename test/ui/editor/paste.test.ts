import { describe, expect, it } from 'vitest';
import { chipBefore, chipLabel, expandChips, isBigPaste } from '../../../src/ui/editor/paste.js';

describe('big pastes as chips', () => {
  it('a paste over 100 lines or 10,000 characters is big', () => {
    expect(isBigPaste('a\n'.repeat(100))).toBe(false);
    expect(isBigPaste('a\n'.repeat(101))).toBe(true);
    expect(isBigPaste('x'.repeat(10_000))).toBe(false);
    expect(isBigPaste('x'.repeat(10_001))).toBe(true);
  });

  it('labels by lines (or characters for one line), numbered when taken', () => {
    const taken = new Set<string>();
    const a = chipLabel('a\n'.repeat(2000), (l) => taken.has(l));
    expect(a).toBe('[pasted 2,000 lines]');
    taken.add(a);
    expect(chipLabel('b\n'.repeat(2000), (l) => taken.has(l))).toBe('[pasted 2,000 lines #2]');
    expect(chipLabel('x'.repeat(12_345), () => false)).toBe('[pasted 12,345 characters]');
  });

  it('expands labels to their text when sent, and finds the chip before the caret', () => {
    const chips = new Map([['[pasted 3 lines]', 'l1\nl2\nl3']]);
    expect(expandChips('see [pasted 3 lines] please', chips)).toBe('see l1\nl2\nl3 please');
    expect(expandChips('see [pasted 3 line] please', chips)).toBe('see [pasted 3 line] please');
    expect(chipBefore('see [pasted 3 lines]', 20, chips)).toBe('[pasted 3 lines]');
    expect(chipBefore('see [pasted 3 lines]', 19, chips)).toBeNull();
  });
});

describe('bracketed pastes are assembled before Ink sees them (O(n))', () => {
  it('holds a paste until its end, whatever the chunking, and passes other input on', async () => {
    const { PasteAssembler } = await import('../../../src/ui/mouse.js');
    const input = `ab\x1b[200~${'x'.repeat(5000)}\ny\x1b[201~cd`;
    for (const size of [1, 3, 7, 64, 4096, input.length]) {
      const a = new PasteAssembler();
      let out = '';
      const seen: string[] = [];
      for (let i = 0; i < input.length; i += size) {
        const piece = a.push(input.slice(i, i + size));
        out += piece;
        if (piece.includes('\x1b[200~')) seen.push(piece);
      }
      expect(out).toBe(input);
      // The paste arrives in one piece (when its start marker was not itself split).
      if (size >= 64) expect(seen.some((p) => p.includes('\x1b[200~') && p.includes('\x1b[201~'))).toBe(true);
    }
  });
});
