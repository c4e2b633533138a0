import { describe, expect, it } from 'vitest';
import { addUsage, applyDeltaUsage, cacheWrites, contextPercent, totalInput, usageFromWire } from '../../src/domain/usage.js';

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

describe('cache breakdown and server tools in usage', () => {
  const wire = {
    input_tokens: 3,
    cache_creation_input_tokens: 700,
    cache_read_input_tokens: 9,
    output_tokens: 1,
    cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 400 },
    server_tool_use: { web_search_requests: 2, future_tool_requests: 7 },
    service_tier: 'standard',
    something_new: { deep: true },
  };
  it('keeps the breakdown and the searches, ignores unknown fields', () => {
    expect(usageFromWire(wire)).toStrictEqual({
      input_tokens: 3,
      output_tokens: 1,
      cache_creation_input_tokens: 700,
      cache_read_input_tokens: 9,
      cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 400 },
      server_tool_use: { web_search_requests: 2 },
    });
  });
  it('adds no field a server did not send (old-shape usage stays as it was)', () => {
    expect(Object.keys(usageFromWire({ input_tokens: 1, cache_creation: null }))).toHaveLength(4);
    const zeros = {
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      server_tool_use: { web_search_requests: 0 },
    };
    expect(Object.keys(usageFromWire(zeros))).toHaveLength(4);
  });
  it('a message_delta breakdown overwrites', () => {
    const u = applyDeltaUsage(usageFromWire(wire), { server_tool_use: { web_search_requests: 5 } });
    expect(u.server_tool_use).toEqual({ web_search_requests: 5 });
    expect(u.cache_creation).toEqual({ ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 400 });
  });
  it('sums breakdowns, a side without one adding its writes as 5-minute ones', () => {
    const a = usageFromWire(wire);
    const b = usageFromWire({ cache_creation_input_tokens: 50 });
    const s = addUsage(a, b);
    expect(s.cache_creation).toEqual({ ephemeral_5m_input_tokens: 350, ephemeral_1h_input_tokens: 400 });
    expect(s.server_tool_use).toEqual({ web_search_requests: 2 });
    expect(addUsage(b, b).cache_creation).toBeUndefined();
    expect(cacheWrites(b)).toEqual({ fiveMinute: 50, oneHour: 0 });
  });
});
