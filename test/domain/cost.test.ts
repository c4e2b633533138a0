import { describe, expect, it } from 'vitest';
import { conversationCost, costBreakdown, costOf, formatUsd, priceFor, type Price } from '../../src/domain/cost.js';
import type { AssistantMessage, Message, Usage } from '../../src/domain/types.js';
import { ZERO_USAGE } from '../../src/domain/usage.js';

const usage = (u: Partial<Usage>): Usage => ({ ...ZERO_USAGE, ...u });

function reply(model: string, u: Partial<Usage>): AssistantMessage {
  return {
    role: 'assistant',
    id: `${model}-${Math.random()}`,
    model,
    content: [],
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    usage: usage(u),
    usageFinal: true,
    status: 'complete',
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: 0,
    firstTokenAt: null,
    endedAt: null,
  };
}

describe('cost arithmetic (hand-computed cases)', () => {
  it('Sonnet: 1M input at $3, 1M output at $15', () => {
    expect(costOf(usage({ input_tokens: 1_000_000, output_tokens: 1_000_000 }), priceFor('claude-sonnet-4-5')!)).toBeCloseTo(18, 10);
  });

  it('cache writes cost 1.25× input and reads 0.1× input (fixture 19: 3337 written, 6289 read on Sonnet 5)', () => {
    // 3337 × 3.75 + 6289 × 0.30 = 12513.75 + 1886.7 = 14400.45 per million → $0.01440045
    const c = costOf(usage({ cache_creation_input_tokens: 3337, cache_read_input_tokens: 6289 }), priceFor('claude-sonnet-5')!);
    expect(c).toBeCloseTo(0.01440045, 10);
  });

  it('Haiku 4.5 with everything: 17 in, 10 out, 100 write, 1000 read', () => {
    // 17×1 + 10×5 + 100×1.25 + 1000×0.1 = 17 + 50 + 125 + 100 = 292 per million
    expect(
      costOf(
        usage({ input_tokens: 17, output_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 }),
        priceFor('claude-haiku-4-5-20251001')!,
      ),
    ).toBeCloseTo(0.000292, 12);
  });

  it('the longest prefix wins and settings override the table', () => {
    expect(priceFor('claude-opus-4-1-20250805')!.input).toBe(15);
    expect(priceFor('claude-opus-4-5')!.input).toBe(5);
    expect(priceFor('claude-sonnet-4-5', { 'claude-sonnet-4-5': { input: 1, output: 2, cacheWrite: 3, cacheRead: 4 } })!.output).toBe(2);
    expect(priceFor('some-other-model')).toBeNull();
  });

  it('a conversation adds each reply at its own model’s price; unknown models are counted apart', () => {
    const c = conversationCost([
      reply('claude-opus-4-5', { input_tokens: 1000, output_tokens: 1000 }), // 5000 + 25000 = 0.03
      reply('claude-haiku-4-5', { input_tokens: 1000, output_tokens: 1000 }), // 1000 + 5000 = 0.006
      reply('mystery-model', { input_tokens: 1000 }),
      reply('claude-sonnet-4-6', { output_tokens: 100 }), // 1500 = 0.0015
    ]);
    expect(c.total).toBeCloseTo(0.0375, 12);
    expect(c.turn).toBeCloseTo(0.0015, 12);
    expect(c.unpriced).toBe(1);
  });

  it('formats dollars for people', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.0015)).toBe('$0.0015');
    expect(formatUsd(1.234)).toBe('$1.23');
    expect(formatUsd(1234.5)).toBe('$1,235');
  });
});

describe('conversationCost on a growing conversation', () => {
  /** The plain fold over every message, as conversationCost was first written. */
  function naive(messages: readonly Message[]): { turn: number | null; total: number; unpriced: number } {
    let turn: number | null = null;
    let total = 0;
    let unpriced = 0;
    for (const m of messages) {
      if (m.role !== 'assistant') continue;
      const p = priceFor(m.model);
      if (!p) {
        unpriced += 1;
        turn = null;
      } else {
        turn = costOf(m.usage, p);
        total += turn;
      }
    }
    return { turn, total, unpriced };
  }
  const user = (i: number): Message => ({ role: 'user', id: `u${i}-${Math.random()}`, text: `q${i}`, createdAt: 0 });
  const notice = (i: number): Message => ({ role: 'notice', id: `n${i}-${Math.random()}`, level: 'info', text: 'n', createdAt: 0 });

  it('gives the plain sum through appends, a reply replaced frame by frame, a retry, notices and a new conversation', () => {
    let messages: Message[] = [];
    const check = () => expect(conversationCost(messages)).toEqual(naive(messages));
    for (let i = 0; i < 60; i++) {
      messages = [...messages, user(i)];
      check();
      // The streaming reply is a new object every frame.
      for (let f = 1; f <= 3; f++) {
        const model = i % 7 === 3 ? 'unknown-model' : 'claude-sonnet-4-5';
        const before = f === 1 ? messages : messages.slice(0, -1);
        messages = [...before, reply(model, { input_tokens: 100 * i, output_tokens: f })];
        check();
      }
      if (i % 11 === 0) messages = [...messages, notice(i), notice(i + 1)];
      check();
      // A retry drops the last reply and the notices after the last prompt.
      if (i % 13 === 12) {
        messages = messages.slice(0, messages.map((m) => m.role).lastIndexOf('user') + 1);
        check();
      }
    }
    // The same message objects in another conversation do not bring their old sums with them.
    const tail = messages.slice(-4);
    messages = tail;
    check();
    messages = [user(99), ...tail];
    check();
    // … nor at the same places after another first message.
    messages = [reply('claude-sonnet-4-5', { output_tokens: 7 }), user(1), reply('claude-sonnet-4-5', { output_tokens: 9 })];
    check();
    messages = [reply('claude-opus-4-1', { output_tokens: 1000 }), ...messages.slice(1)];
    check();
    // A reply replaced in place (continued, or finished) with a notice after it kept as it was.
    const streaming = reply('claude-sonnet-4-5', { output_tokens: 3 });
    const kept = notice(500);
    const asked = user(500);
    messages = [asked, streaming, kept];
    check();
    messages = [asked, reply('claude-sonnet-4-5', { output_tokens: 50_000 }), kept];
    check();
    // A new conversation with other objects.
    messages = [user(0), reply('claude-haiku-4-5', { output_tokens: 5 })];
    check();
    messages = [];
    check();
  });

  it('adds up only the messages after the last one it summed, and prices only new replies', () => {
    // Every message counts how often its role and usage are read.
    let roles = 0;
    let usages = 0;
    const watched = (m: Message): Message =>
      new Proxy(m, { get: (t, p, r) => (p === 'role' && (roles += 1), p === 'usage' && (usages += 1), Reflect.get(t, p, r)) });
    const messages: Message[] = [];
    for (let i = 0; i < 2000; i++) messages.push(watched(i % 2 ? reply('claude-sonnet-4-5', { output_tokens: i }) : user(i)));
    conversationCost(messages);
    roles = 0;
    usages = 0;
    const next = [...messages, watched(user(2000)), watched(reply('claude-sonnet-4-5', { output_tokens: 1 }))];
    const cost = conversationCost(next);
    expect(roles).toBe(2);
    expect(usages).toBe(1);
    expect(cost).toEqual(naive(next));
  });
});

describe('cache-aware cost (hand-computed, Sonnet: input $3, output $15 per million)', () => {
  const sonnet = priceFor('claude-sonnet-4-5')!;
  it('a 5-minute write costs 1.25× input: 1M tokens = $3.75', () => {
    const u = usage({ cache_creation_input_tokens: 1_000_000 });
    u.cache_creation = { ephemeral_5m_input_tokens: 1_000_000, ephemeral_1h_input_tokens: 0 };
    expect(costOf(u, sonnet)).toBeCloseTo(3.75, 10);
  });
  it('a 1-hour write costs 2× input: 1M tokens = $6', () => {
    const u = usage({ cache_creation_input_tokens: 1_000_000 });
    u.cache_creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1_000_000 };
    expect(costOf(u, sonnet)).toBeCloseTo(6, 10);
  });
  it('a mixed breakdown prices each part apart', () => {
    // 10 input ($0.00003) + 200 output ($0.003) + 4,000 5m writes ($0.015) + 6,000 1h writes ($0.036)
    // + 50,000 reads ($0.015) = $0.06903
    const u = usage({ input_tokens: 10, output_tokens: 200, cache_creation_input_tokens: 10_000, cache_read_input_tokens: 50_000 });
    u.cache_creation = { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 6_000 };
    expect(costOf(u, sonnet)).toBeCloseTo(0.06903, 12);
  });
  it('a missing breakdown prices every write as a 5-minute one', () => {
    expect(costOf(usage({ cache_creation_input_tokens: 18_639 }), sonnet)).toBeCloseTo((18_639 * 3.75) / 1e6, 12);
  });
  it('reads cost 0.1× input: 1M tokens = $0.30', () => {
    expect(costOf(usage({ cache_read_input_tokens: 1_000_000 }), sonnet)).toBeCloseTo(0.3, 10);
  });
  it('web searches cost $10 per 1,000 on top of the tokens', () => {
    const u = usage({ input_tokens: 1000, output_tokens: 100 });
    u.server_tool_use = { web_search_requests: 3 };
    // $0.003 + $0.0015 + 3 × $0.01
    expect(costOf(u, sonnet)).toBeCloseTo(0.0345, 12);
  });
  it('an override in the old four-field shape still prices, deriving 1h writes at 2× input', () => {
    const old: Price = { input: 2, output: 8, cacheWrite: 2.5, cacheRead: 0.2 };
    const p = priceFor('claude-sonnet-4-5', { 'claude-sonnet': old })!;
    const u = usage({ cache_creation_input_tokens: 1_000_000 });
    u.cache_creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1_000_000 };
    expect(costOf(u, p)).toBeCloseTo(4, 10);
    u.server_tool_use = { web_search_requests: 1000 };
    expect(costOf(u, p)).toBeCloseTo(14, 10);
    expect(costOf(u, { ...old, webSearch: 5, cacheWrite1h: 3 })).toBeCloseTo(8, 10);
  });
  it('the session sums stay exact with the new kinds, and /cost breaks them down by kind', () => {
    const a = reply('claude-sonnet-4-5', { input_tokens: 10, output_tokens: 200, cache_creation_input_tokens: 10_000 });
    a.usage.cache_creation = { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 6_000 };
    const b = reply('claude-sonnet-4-5', { input_tokens: 5, output_tokens: 100, cache_read_input_tokens: 10_000 });
    b.usage.server_tool_use = { web_search_requests: 2 };
    const c = reply('unknown-model', { input_tokens: 5 });
    const msgs: Message[] = [a, b, c];
    // a: 0.00003 + 0.003 + 0.015 + 0.036 = 0.05403; b: 0.000015 + 0.0015 + 0.003 + 0.02 = 0.024515
    expect(conversationCost(msgs).total).toBeCloseTo(0.078545, 12);
    const k = costBreakdown(msgs);
    expect(k.total).toBeCloseTo(0.078545, 12);
    expect(k.unpriced).toBe(1);
    expect(k.input).toEqual({ count: 15, usd: expect.closeTo(0.000045, 12) });
    expect(k.output).toEqual({ count: 300, usd: expect.closeTo(0.0045, 12) });
    expect(k.cacheWrite5m).toEqual({ count: 4_000, usd: expect.closeTo(0.015, 12) });
    expect(k.cacheWrite1h).toEqual({ count: 6_000, usd: expect.closeTo(0.036, 12) });
    expect(k.cacheRead).toEqual({ count: 10_000, usd: expect.closeTo(0.003, 12) });
    expect(k.webSearch).toEqual({ count: 2, usd: expect.closeTo(0.02, 12) });
  });
});
