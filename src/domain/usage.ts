import type { Usage } from './types.js';

/** A usage with every count at zero. */
export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
});

const COUNT_FIELDS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Reads the usage of a `message_start` event's message. Missing or null counts become 0.
 * @param wire the `usage` object as sent (unknown shape: validated field by field)
 */
export function usageFromWire(wire: unknown): Usage {
  const u = { ...ZERO_USAGE };
  if (wire && typeof wire === 'object') {
    for (const f of COUNT_FIELDS) u[f] = count((wire as Record<string, unknown>)[f]) ?? 0;
  }
  return u;
}

/**
 * Applies a `message_delta` usage to the current usage. The counts in message_delta are
 * cumulative whole-message totals: each one present and non-null **overwrites** the current value,
 * never adds (docs/PROTOCOL.md §3; SDK 1.12 `MessageStream#accumulateMessage`).
 * @returns a new Usage; the input is not modified
 */
export function applyDeltaUsage(current: Usage, wire: unknown): Usage {
  const next = { ...current };
  if (wire && typeof wire === 'object') {
    for (const f of COUNT_FIELDS) {
      const v = count((wire as Record<string, unknown>)[f]);
      if (v !== null) next[f] = v;
    }
  }
  return next;
}

/** Sum of two usages, field by field (used for conversation totals across separate messages). */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
  };
}

/** Total input tokens of a message: uncached + cache write + cache read (docs/PROTOCOL.md §3). */
export function totalInput(u: Usage): number {
  return u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
}

/**
 * Tokens of context a turn occupied: everything it read plus what it wrote.
 * @returns tokens
 */
export function contextTokens(u: Usage): number {
  return totalInput(u) + u.output_tokens;
}

/**
 * Share of the context window used, in percent (0–100+, one decimal place is enough to show).
 * @param contextWindow tokens; a non-positive window gives 0
 */
export function contextPercent(u: Usage, contextWindow: number): number {
  if (contextWindow <= 0) return 0;
  return (contextTokens(u) / contextWindow) * 100;
}

/**
 * A live estimate of output tokens while a reply streams, before message_delta brings the real
 * count: about 4 characters of English text per token, and never below the count message_start
 * already reported.
 * @param streamedChars characters of text, thinking and tool JSON received so far
 * @param startCount message_start's `output_tokens`
 */
export function estimateOutputTokens(streamedChars: number, startCount: number): number {
  return Math.max(startCount, Math.ceil(streamedChars / 4));
}
