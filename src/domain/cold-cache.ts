import { formatUsd, type Price } from './cost.js';

/** What the cold-cache check needs to know about the send the user is making. */
export interface ColdSendInput {
  /** ms since the epoch. */
  now: number;
  /**
   * When the cache the last request used goes cold (its start plus the TTL), ms since the epoch;
   * null when no request used the cache (nothing to go cold).
   */
  warmUntil: number | null;
  /** The `promptCache` setting in effect for this send: `off` sends no cache_control, so no warning. */
  promptCache: '5m' | '1h' | 'off';
  /** The TTL the last cached request wrote with: decides the write price of the cold send. */
  ttl: '5m' | '1h';
  /** Tokens of conversation the send re-reads (the prefix that was cached), in tokens. */
  conversationTokens: number;
  /** The `coldCacheWarnTokens` setting: warn from this many tokens; 0 never warns. */
  threshold: number;
  /** The model's price, or null when unknown (the warning then names no dollars). */
  price: Price | null;
  /** `warmUntil` of the cache this send was already warned about (the first Enter), or null. */
  warnedFor: number | null;
}

/** The check's answer: send now, or hold this Enter and show `notice` (the next Enter sends). */
export type ColdSendDecision = { send: true } | { send: false; notice: string; warnedFor: number };

/** Tokens as people read them: 950, 12k, 151k, 1.2M. */
function tokensText(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** How long ago, in whole minutes (at least 1), or hours from 2 hours. @param ms > 0 */
function agoText(ms: number): string {
  const min = Math.max(1, Math.floor(ms / 60_000));
  return min >= 120 ? `${Math.floor(min / 60)} h ago` : `${min} min ago`;
}

/**
 * What re-reading `tokens` costs into a cold cache (written again: 1.25× input for a 5-minute
 * write, 2× for a 1-hour one) and into a warm one (a cache read, 0.1× input).
 * @returns US dollars, cold and warm
 */
export function coldWarmCost(tokens: number, price: Price, ttl: '5m' | '1h'): { cold: number; warm: number } {
  const write = ttl === '1h' ? (price.cacheWrite1h ?? price.input * 2) : price.cacheWrite;
  return { cold: (tokens * write) / 1_000_000, warm: (tokens * price.cacheRead) / 1_000_000 };
}

/**
 * Whether Enter sends now or first says what sending into an expired prompt cache costs: it holds
 * the send when caching is on, a request used the cache and its TTL has run out, the conversation
 * is at least `threshold` tokens (a non-zero setting), and this expiry has not been warned about
 * yet (the second Enter sends). The notice reads, e.g.,
 * `cache expired 7 min ago: re-reading 151k tokens ≈ $0.57 (warm: $0.05) · Enter sends · /new`.
 */
export function coldSendDecision(i: ColdSendInput): ColdSendDecision {
  if (i.promptCache === 'off' || i.threshold <= 0 || i.warmUntil === null) return { send: true };
  if (i.now < i.warmUntil || i.conversationTokens < i.threshold) return { send: true };
  if (i.warnedFor === i.warmUntil) return { send: true };
  const cost = i.price ? coldWarmCost(i.conversationTokens, i.price, i.ttl) : null;
  const dollars = cost ? ` ≈ ${formatUsd(cost.cold)} (warm: ${formatUsd(cost.warm)})` : '';
  return {
    send: false,
    notice: `cache expired ${agoText(i.now - i.warmUntil)}: re-reading ${tokensText(i.conversationTokens)} tokens${dollars} · Enter sends · /new`,
    warnedFor: i.warmUntil,
  };
}
