import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { withoutYoungGenerationGrowth } from '../../src/app/heap.js';

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
