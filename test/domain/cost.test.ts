import { describe, expect, it } from 'vitest';
import { conversationCost, costOf, formatUsd, priceFor } from '../../src/domain/cost.js';
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
