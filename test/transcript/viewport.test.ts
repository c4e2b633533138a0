import { describe, expect, it } from 'vitest';
import { sliceViewport, totalRows } from '../../src/transcript/viewport.js';
import { scrollBy } from '../../src/ui/scroll.js';

const parts = [['a1', 'a2'], [], ['b1'], ['c1', 'c2', 'c3']];
// Joined with one blank row between non-empty messages: a1 a2 '' b1 '' c1 c2 c3
const flat = ['a1', 'a2', '', 'b1', '', 'c1', 'c2', 'c3'];

describe('the transcript viewport', () => {
  it('counts rows with one blank row between messages', () => {
    expect(totalRows(parts)).toBe(flat.length);
  });

  it('follows the tail by default', () => {
    expect(sliceViewport(parts, 3, { mode: 'follow' })).toEqual({ rows: ['c1', 'c2', 'c3'], top: 5, total: 8, below: 0 });
  });

  it('a fixed window shows exactly the rows of the flat transcript, for every top and height', () => {
    for (let h = 1; h <= 9; h++) {
      for (let top = 0; top < 9; top++) {
        const s = sliceViewport(parts, h, { mode: 'fixed', top });
        const clamped = Math.max(0, Math.min(top, flat.length - h));
        expect(s.rows).toEqual(flat.slice(clamped, clamped + h));
        expect(s.below).toBe(Math.max(0, flat.length - (clamped + h)));
      }
    }
  });

  it('scrolling up leaves follow mode and scrolling back to the bottom returns to it', () => {
    const up = scrollBy({ mode: 'follow' }, -2, 8, 3);
    expect(up).toEqual({ mode: 'fixed', top: 3 });
    expect(scrollBy(up, 1, 8, 3)).toEqual({ mode: 'fixed', top: 4 });
    expect(scrollBy(up, 5, 8, 3)).toEqual({ mode: 'follow' });
    expect(scrollBy(up, -100, 8, 3)).toEqual({ mode: 'fixed', top: 0 });
  });
});
