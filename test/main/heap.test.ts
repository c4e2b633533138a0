import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { withoutYoungGenerationGrowth } from '../../src/runtime/heap.js';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

describe('withoutYoungGenerationGrowth', () => {
  it('returns what the work returns and rethrows what it throws', () => {
    expect(withoutYoungGenerationGrowth(() => 42)).toBe(42);
    expect(() =>
      withoutYoungGenerationGrowth(() => {
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
  });

  it('keeps the young generation at its size while much of what is allocated survives', () => {
    const before = newSpace();
    const kept: object[] = [];
    withoutYoungGenerationGrowth(() => {
      for (let i = 0; i < 400_000; i++) kept.push({ i, text: `message ${i}`, more: [i, i + 1] });
    });
    expect(kept).toHaveLength(400_000);
    // Held, it stays at its size (V8 may re-commit a semi-space it had given back, up to the
    // 16 MB); let grow, the same allocation takes it to 64–128 MB.
    expect(newSpace()).toBeLessThanOrEqual(Math.max(before, 16 * 2 ** 20));
  });
});

describe('collectGarbage', () => {
  it('frees dead ArrayBuffers that outlived the young generation, and leaves the gc flag unset', async () => {
    const { collectGarbage } = await import('../../src/runtime/heap.js');
    const { runInNewContext } = await import('node:vm');
    // 40 MB of buffers, kept alive long enough to be promoted, then dropped (in a function of
    // their own, so that nothing in this one still refers to them).
    const promoteAndDrop = (): number => {
      const kept = Array.from({ length: 40 }, () => new Uint8Array(1 << 20).fill(1));
      for (let i = 0; i < 200_000; i++) void { i, s: `churn ${i}` };
      return kept.length;
    };
    expect(promoteAndDrop()).toBe(40);
    const held = process.memoryUsage().arrayBuffers;
    expect(held).toBeGreaterThan(40 * 2 ** 20);
    expect(collectGarbage()).toBe(true);
    // The backing stores are swept on a helper thread: their count drops within moments.
    for (let i = 0; i < 50 && process.memoryUsage().arrayBuffers >= held - 30 * 2 ** 20; i++) await new Promise((r) => setTimeout(r, 10));
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(held - 30 * 2 ** 20);
    // A context made now has no gc function: the flag was set only for the moment it took.
    expect(runInNewContext('typeof gc')).toBe('undefined');
    // Later calls reuse the function.
    expect(collectGarbage()).toBe(true);
  });
});
