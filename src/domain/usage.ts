import type { CacheCreation, ServerToolUse, Usage } from './types.js';

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

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * `usage.cache_creation` as sent (a missing count is 0), or null when absent, not an object, or
 * all zero (no writes: nothing to tell apart, and session files stay as they were).
 */
function cacheCreationFromWire(wire: unknown): CacheCreation | null {
  const o = record(wire);
  if (!o) return null;
  const c = {
    ephemeral_5m_input_tokens: count(o.ephemeral_5m_input_tokens) ?? 0,
    ephemeral_1h_input_tokens: count(o.ephemeral_1h_input_tokens) ?? 0,
  };
  return c.ephemeral_5m_input_tokens || c.ephemeral_1h_input_tokens ? c : null;
}

/** `usage.server_tool_use` as sent, or null when absent or without a web search (other tools are not billed apart). */
function serverToolUseFromWire(wire: unknown): ServerToolUse | null {
  const n = count(record(wire)?.web_search_requests);
  return n ? { web_search_requests: n } : null;
}

/**
 * Reads the usage of a `message_start` event's message. Missing or null counts become 0; the
 * `cache_creation` breakdown and `server_tool_use` are kept when sent; other fields are ignored.
 * @param wire the `usage` object as sent (unknown shape: validated field by field)
 */
export function usageFromWire(wire: unknown): Usage {
  const u: Usage = { ...ZERO_USAGE };
  const o = record(wire);
  if (o) {
    for (const f of COUNT_FIELDS) u[f] = count(o[f]) ?? 0;
    const created = cacheCreationFromWire(o.cache_creation);
    if (created) u.cache_creation = created;
    const tools = serverToolUseFromWire(o.server_tool_use);
    if (tools) u.server_tool_use = tools;
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
    const created = cacheCreationFromWire((wire as Record<string, unknown>).cache_creation);
    if (created) next.cache_creation = created;
    const tools = serverToolUseFromWire((wire as Record<string, unknown>).server_tool_use);
    if (tools) next.server_tool_use = tools;
  }
  return next;
}

/**
 * Sum of two usages, field by field (used for conversation totals across separate messages). The
 * `cache_creation` breakdown and `server_tool_use` are present in the sum when either side has
 * them (a side without a breakdown adds its writes as 5-minute ones, as they are priced).
 */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
  };
  if (a.cache_creation || b.cache_creation) {
    const wa = cacheWrites(a);
    const wb = cacheWrites(b);
    sum.cache_creation = {
      ephemeral_5m_input_tokens: wa.fiveMinute + wb.fiveMinute,
      ephemeral_1h_input_tokens: wa.oneHour + wb.oneHour,
    };
  }
  if (a.server_tool_use || b.server_tool_use) {
    sum.server_tool_use = { web_search_requests: webSearches(a) + webSearches(b) };
  }
  return sum;
}

/**
 * A usage's cache writes by time to live, in tokens. Without a `cache_creation` breakdown every
 * write is a 5-minute one; with one, the 1-hour count is taken as sent and the rest of the writes
 * (at least the breakdown's 5-minute count) are 5-minute ones.
 */
export function cacheWrites(u: Usage): { fiveMinute: number; oneHour: number } {
  const oneHour = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const fiveMinute = Math.max(u.cache_creation?.ephemeral_5m_input_tokens ?? 0, u.cache_creation_input_tokens - oneHour);
  return { fiveMinute, oneHour };
}

/** Web searches a usage reports (`server_tool_use.web_search_requests`), 0 when absent. */
export function webSearches(u: Usage): number {
  return u.server_tool_use?.web_search_requests ?? 0;
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
