import { describe, expect, it } from 'vitest';
import { addUsage, applyDeltaUsage, contextPercent, totalInput, usageFromWire } from '../../src/domain/usage.js';

describe('usage accounting', () => {
  const start = usageFromWire({ input_tokens: 17, cache_creation_input_tokens: 5, cache_read_input_tokens: null, output_tokens: 1 });

  it('reads message_start usage, missing and null counts as 0', () => {
    expect(start).toEqual({ input_tokens: 17, output_tokens: 1, cache_creation_input_tokens: 5, cache_read_input_tokens: 0 });
  });

  it('message_delta counts overwrite (cumulative), absent ones keep their value', () => {
    const a = applyDeltaUsage(start, { output_tokens: 10 });
    expect(a).toEqual({ input_tokens: 17, output_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 0 });
    const b = applyDeltaUsage(a, { output_tokens: 12, input_tokens: 404500, cache_read_input_tokens: null });
    expect(b.output_tokens).toBe(12);
    expect(b.input_tokens).toBe(404500);
    expect(b.cache_read_input_tokens).toBe(0);
  });

  it('totals add across messages; total input counts cache writes and reads', () => {
    const u = { input_tokens: 10, output_tokens: 2, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 };
    expect(totalInput(u)).toBe(1110);
    expect(addUsage(u, u)).toEqual({ input_tokens: 20, output_tokens: 4, cache_creation_input_tokens: 200, cache_read_input_tokens: 2000 });
    expect(contextPercent(u, 2224)).toBeCloseTo(50, 5);
    expect(contextPercent(u, 0)).toBe(0);
  });
});
