import { describe, expect, it } from 'vitest';
import { TranscriptWindow, type ScrollPosition, type WindowSource } from '../../src/transcript/viewport.js';

/** A transcript of messages given as line arrays, counting which messages were laid out. */
function source(parts: readonly (readonly string[])[]) {
  const laidOut = new Set<number>();
  const src: WindowSource = {
    count: parts.length,
    idAt: (i) => `m${i}`,
    linesAt: (i) => {
      laidOut.add(i);
      return parts[i]!;
    },
  };
  return { src, laidOut };
}

/** The whole transcript joined the reference way: one blank row between non-empty messages. */
function flatten(parts: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(...p);
  }
  return out;
}

const parts = [['a1', 'a2'], [], ['b1'], ['c1', 'c2', 'c3']];
const flat = flatten(parts); // a1 a2 '' b1 '' c1 c2 c3

describe('the transcript window', () => {
  it('follows the tail by default', () => {
    const w = new TranscriptWindow();
    const s = w.view(source(parts).src, 3, { mode: 'follow' });
    expect(s.rows).toEqual(['c1', 'c2', 'c3']);
    expect(s.below).toBe(0);
  });

  it('shows exactly the rows of the flat transcript, for every height and every scroll position', () => {
    for (let h = 1; h <= 9; h++) {
      const w = new TranscriptWindow();
      const { src } = source(parts);
      let pos: ScrollPosition = w.scrollToTop();
      w.view(src, h, { mode: 'follow' });
      pos = w.scrollToTop();
      // Walk down one row at a time from the top: every window is the flat slice.
      for (let top = 0; top <= Math.max(0, flat.length - h); top++) {
        const s = w.view(src, h, pos);
        expect(s.rows, `height ${h} top ${top}`).toEqual(flat.slice(top, top + h));
        expect(s.below).toBe(Math.max(0, flat.length - (top + h)));
        pos = w.scrollBy(pos, 1, h);
      }
      expect(pos).toEqual({ mode: 'follow' });
    }
  });

  it('scrolling up leaves follow mode, and scrolling back to the bottom returns to it', () => {
    const w = new TranscriptWindow();
    const { src } = source(parts);
    w.view(src, 3, { mode: 'follow' });
    const up = w.scrollBy({ mode: 'follow' }, -2, 3);
    expect(w.view(src, 3, up).rows).toEqual(flat.slice(3, 6));
    expect(w.view(src, 3, w.scrollBy(up, 1, 3)).rows).toEqual(flat.slice(4, 7));
    expect(w.scrollBy(up, 5, 3)).toEqual({ mode: 'follow' });
    expect(w.view(src, 3, w.scrollBy(up, -100, 3)).rows).toEqual(flat.slice(0, 3));
  });

  it('lays out only the messages the window shows: a long session costs one screenful', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => [`message ${i} line 1`, `message ${i} line 2`]);
    const { src, laidOut } = source(many);
    const w = new TranscriptWindow();
    const s = w.view(src, 10, { mode: 'follow' });
    expect(s.rows.at(-1)).toBe('message 9999 line 2');
    expect(s.more).toBe(true);
    expect(laidOut.size).toBeLessThanOrEqual(4);
    // A page up lays out about a page more, not everything.
    const up = w.scrollBy({ mode: 'follow' }, -9, 10);
    expect(w.view(src, 10, up).rows[0]).toBe(flatten(many).at(-19));
    expect(laidOut.size).toBeLessThanOrEqual(8);
  });

  it('a fixed position stays on its rows while a reply grows below and while more is laid out above', () => {
    const grow = [['x1', 'x2'], ['y1', 'y2'], ['z1']];
    const w = new TranscriptWindow();
    const first = source(grow);
    w.view(first.src, 2, { mode: 'follow' });
    const pos = w.scrollBy({ mode: 'follow' }, -2, 2);
    const before = w.view(first.src, 2, pos);
    // The last message grows: the window shows the same rows, at the same coordinate.
    const grown = source([...grow.slice(0, 2), ['z1', 'z2', 'z3', 'z4']]);
    const after = w.view(grown.src, 2, pos);
    expect(after.rows).toEqual(before.rows);
    expect(after.top).toBe(before.top);
  });

  it('keeps a row coordinate from frame to frame while following a growing reply (the painter scrolls by it)', () => {
    const w = new TranscriptWindow();
    const reply: string[] = [];
    let lastTop: number | null = null;
    let src = source([]).src;
    for (let n = 1; n <= 30; n++) {
      reply.push(`line ${n}`);
      src = source([['q1'], ['q2', 'q3'], [...reply]]).src;
      const s = w.view(src, 5, { mode: 'follow' });
      // One new row, one row further down: also when the earlier messages stop being laid out.
      if (lastTop !== null) expect(s.top - lastTop, `line ${n}`).toBe(1);
      lastTop = s.top;
    }
    // Scrolling back up to the first message lays the earlier ones out again: same coordinates.
    const up = w.view(src, 5, w.scrollBy({ mode: 'follow' }, -30, 5));
    expect(up.rows[0]).toBe('q1');
    expect(up.top).toBe(lastTop! - 30);
  });

  it('starts over from the tail when messages were removed', () => {
    const w = new TranscriptWindow();
    w.view(source(parts).src, 3, { mode: 'follow' });
    const other = [['n1'], ['n2']];
    const s = w.view({ count: 2, idAt: (i) => `n${i}`, linesAt: (i) => other[i]! }, 3, { mode: 'follow' });
    expect(s.rows).toEqual(['n1', '', 'n2']);
  });

  it('an anchor that is gone follows the tail', () => {
    const w = new TranscriptWindow();
    const s = w.view(source(parts).src, 2, { mode: 'fixed', anchor: 'nope', offset: 0 });
    expect(s.rows).toEqual(['c2', 'c3']);
  });
});
