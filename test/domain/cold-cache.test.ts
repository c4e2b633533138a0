import { describe, expect, it } from 'vitest';
import { coldSendDecision, coldWarmCost, type ColdSendInput } from '../../src/domain/cold-cache.js';
import { priceFor } from '../../src/domain/cost.js';

const MIN = 60_000;
const sonnet = priceFor('claude-sonnet-4-5')!;

/** A send 7 minutes after a 5-minute cache of a 151k-token conversation went warm. */
function input(over: Partial<ColdSendInput> = {}): ColdSendInput {
  return {
    now: 1_000 * MIN,
    warmUntil: 1_000 * MIN - 2 * MIN,
    promptCache: '5m',
    ttl: '5m',
    conversationTokens: 151_000,
    threshold: 20_000,
    price: sonnet,
    warnedFor: null,
    ...over,
  };
}

describe('coldSendDecision', () => {
  it('holds the first Enter into an expired cache and says cold vs warm cost', () => {
    const d = coldSendDecision(input());
    expect(d.send).toBe(false);
    if (d.send) return;
    // 151k × $3.75/M = $0.566; warm 151k × $0.30/M = $0.045. Expired 2 min ago (TTL end to now).
    expect(d.notice).toBe('cache expired 2 min ago: re-reading 151k tokens ≈ $0.57 (warm: $0.05) · Enter sends · /new');
    expect(d.warnedFor).toBe(input().warmUntil);
  });

  it('lets the second Enter (same expired cache) send', () => {
    const first = coldSendDecision(input());
    expect(first.send).toBe(false);
    if (first.send) return;
    expect(coldSendDecision(input({ warnedFor: first.warnedFor })).send).toBe(true);
    // A later expiry (a newer cache) warns again.
    expect(coldSendDecision(input({ warnedFor: first.warnedFor - MIN })).send).toBe(false);
  });

  it('sends at once while the cache is warm', () => {
    expect(coldSendDecision(input({ warmUntil: 1_000 * MIN + 1 })).send).toBe(true);
  });

  it('sends at once when no request used the cache', () => {
    expect(coldSendDecision(input({ warmUntil: null })).send).toBe(true);
  });

  it('sends at once for a conversation under the threshold', () => {
    expect(coldSendDecision(input({ conversationTokens: 19_999 })).send).toBe(true);
    expect(coldSendDecision(input({ conversationTokens: 20_000 })).send).toBe(false);
  });

  it('never warns with coldCacheWarnTokens 0 or promptCache off', () => {
    expect(coldSendDecision(input({ threshold: 0 })).send).toBe(true);
    expect(coldSendDecision(input({ promptCache: 'off' })).send).toBe(true);
  });

  it('names no dollars when the price is unknown', () => {
    const d = coldSendDecision(input({ price: null, now: 1_000 * MIN + 3 * 60 * MIN }));
    expect(d.send ? '' : d.notice).toBe('cache expired 3 h ago: re-reading 151k tokens · Enter sends · /new');
  });
});

describe('coldWarmCost', () => {
  it('prices a cold 5-minute send at 1.25× input and a warm one at 0.1×', () => {
    const c = coldWarmCost(1_000_000, sonnet, '5m');
    expect(c.cold).toBeCloseTo(3.75, 10);
    expect(c.warm).toBeCloseTo(0.3, 10);
  });

  it('prices a cold 1-hour send at 2× input', () => {
    expect(coldWarmCost(1_000_000, sonnet, '1h').cold).toBeCloseTo(6, 10);
  });
});
