/**
 * The local server's model of prompt caching (docs/PROTOCOL.md §11, "prompt caching"): the
 * request is read as one sequence of cacheable blocks — `tools`, then `system`, then every
 * message's content blocks, in order — and each breakpoint (`cache_control` on a block, or the
 * top-level automatic `cache_control`, which lands on the last cacheable block) names the
 * prefix that ends with its block. A prefix is keyed by a chained hash of the canonical JSON of
 * its blocks (without their `cache_control`) and the model. Lookup, per breakpoint, walks back
 * up to {@link LOOKBACK_BLOCKS} blocks for the longest cached prefix; every breakpoint past the
 * hit whose prefix reaches the model's minimum cacheable length is written. An entry lives for
 * its TTL counted from the last request that read or wrote it.
 *
 * Tokens come from the server's estimate (tokens.ts, ~4 characters per token): the prefix up to
 * block i counts `ceil(chars through i / 4)` tokens, so `input_tokens + cache_creation_input_tokens
 * + cache_read_input_tokens` always equals {@link estimateInputTokens} of the same body.
 */
import { createHash } from 'node:crypto';
import { isRecord, textOf } from './tokens.js';

/** A cache entry lifetime as the API names it. */
export type CacheTtl = '5m' | '1h';

/** Real lifetimes of the two TTLs, in ms. */
export const CACHE_TTL_MS: Readonly<Record<CacheTtl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** The API's limit on blocks carrying `cache_control` (the automatic one counts). */
export const MAX_CACHE_BREAKPOINTS = 4;

/** How many blocks before a breakpoint the API checks for an earlier cached prefix. */
export const LOOKBACK_BLOCKS = 20;

/**
 * The cache part of a response's `usage`, in tokens, shaped as the API sends it in
 * `message_start` (fixtures 04, 05, 19). `input_tokens` is the part after the last cache
 * hit or write.
 */
export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** One cacheable block of a request, as the cache sees it. */
interface PrefixBlock {
  /** Chained hash of model and every block up to and including this one. */
  hash: string;
  /** Estimated tokens of the prefix ending with this block. */
  tokens: number;
  /** The TTL of a breakpoint on this block, if there is one. */
  breakpoint?: CacheTtl;
}

/** A request read for caching: its blocks and total input tokens. */
export interface CachePlan {
  blocks: PrefixBlock[];
  /** Estimated input tokens of the whole request (≥ 1). */
  totalTokens: number;
  /** Minimum prefix length in tokens that the request's model caches. */
  minimumTokens: number;
}

/**
 * The minimum cacheable prompt length of a model in tokens (the docs' per-model table: 4096 for
 * Opus 4.5/4.6 and Haiku 4.5, 2048 for Sonnet 4.6 and Haiku 3.x, 512 for the 5-generation Opus,
 * Fable and Mythos, 1024 otherwise).
 *
 * @param model  a model id such as `claude-sonnet-4-6`.
 * @returns tokens.
 */
export function minimumCacheableTokens(model: string): number {
  if (/opus-4-[56]|haiku-4-5/.test(model)) return 4096;
  if (/sonnet-4-6|haiku-3/.test(model)) return 2048;
  if (/opus-5|fable|mythos/.test(model)) return 512;
  return 1024;
}

/**
 * Read a request body for caching: validate its `cache_control` markers and list its blocks.
 *
 * @param body  a parsed `POST /v1/messages` body.
 * @returns the plan, or `{ok: false, message}` with the API's `invalid_request_error` message
 *   (e.g. `A maximum of 4 blocks with cache_control may be provided. Found 5.`).
 */
export function planCache(body: unknown): { ok: true; plan: CachePlan } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: true, plan: { blocks: [], totalTokens: 1, minimumTokens: 0 } };
  const model = typeof body.model === 'string' ? body.model : '';
  // `where` goes into the hash (section and role); `path` names the field in a 400.
  const raw: Array<{ where: string; path: string; block: Record<string, unknown> }> = [];
  if (Array.isArray(body.tools)) {
    body.tools.forEach((tool, j) => {
      if (isRecord(tool)) raw.push({ where: 'tools', path: `tools.${j}`, block: tool });
    });
  }
  for (const [j, block] of asBlocks(body.system).entries()) raw.push({ where: 'system', path: `system.${j}`, block });
  if (Array.isArray(body.messages)) {
    body.messages.forEach((message, i) => {
      if (!isRecord(message)) return;
      for (const [j, block] of asBlocks(message.content).entries()) {
        raw.push({ where: `messages.${i}.${String(message.role)}`, path: `messages.${i}.content.${j}`, block });
      }
    });
  }

  const breakpoints: Array<CacheTtl | undefined> = [];
  let count = 0;
  for (const [i, { path, block }] of raw.entries()) {
    if (block.cache_control === undefined || block.cache_control === null) continue;
    const ttl = ttlOf(block.cache_control, `${path}.cache_control`);
    if (typeof ttl !== 'string') return ttl;
    breakpoints[i] = ttl;
    count++;
  }
  if (body.cache_control !== undefined && body.cache_control !== null) {
    const ttl = ttlOf(body.cache_control, 'cache_control');
    if (typeof ttl !== 'string') return ttl;
    const last = lastCacheable(raw);
    if (last !== -1 && breakpoints[last] === undefined) {
      breakpoints[last] = ttl;
      count++;
    }
  }
  if (count > MAX_CACHE_BREAKPOINTS) {
    return { ok: false, message: `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${count}.` };
  }

  let hash = createHash('sha256').update(model).digest('hex');
  let chars = 0;
  const blocks = raw.map(({ where, block }, i): PrefixBlock => {
    const { cache_control: _ignored, ...rest } = block;
    hash = createHash('sha256').update(hash).update('\u0000').update(where).update('\u0000').update(JSON.stringify(rest)).digest('hex');
    chars += where === 'tools' ? 0 : textOf([block]).length;
    const out: PrefixBlock = { hash, tokens: Math.ceil(chars / 4) };
    const ttl = breakpoints[i];
    if (ttl !== undefined) out.breakpoint = ttl;
    return out;
  });
  return { ok: true, plan: { blocks, totalTokens: Math.max(1, Math.ceil(chars / 4)), minimumTokens: minimumCacheableTokens(model) } };
}

/** Options of {@link PromptCache}. */
export interface PromptCacheOptions {
  /** Lifetimes in ms overriding {@link CACHE_TTL_MS} (tests shorten them to see an expiry). */
  ttlMs?: Partial<Record<CacheTtl, number>>;
  /** The clock, ms since the epoch; default `Date.now`. */
  now?: () => number;
}

/** A prefix cache shared by every request to one server. */
export class PromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttl: CacheTtl }>();
  private readonly ttlMs: Record<CacheTtl, number>;
  private readonly now: () => number;

  constructor(opts: PromptCacheOptions = {}) {
    this.ttlMs = { ...CACHE_TTL_MS, ...opts.ttlMs };
    this.now = opts.now ?? Date.now;
  }

  /** Number of live entries (expired ones are dropped first). */
  size(): number {
    this.purge(this.now());
    return this.entries.size;
  }

  /**
   * Serve a request: find the longest cached prefix at or before each breakpoint (looking back
   * up to {@link LOOKBACK_BLOCKS} blocks), refresh what was read, write every later breakpoint
   * long enough to cache, and report the usage split.
   *
   * @param plan  from {@link planCache}.
   * @returns the usage; without breakpoints, all tokens are `input_tokens` and the cache fields 0.
   */
  use(plan: CachePlan): CacheUsage {
    const now = this.now();
    this.purge(now);
    const { blocks } = plan;
    let hit = -1;
    for (const [b, block] of blocks.entries()) {
      if (block.breakpoint === undefined) continue;
      for (let j = b; j >= 0 && j > b - LOOKBACK_BLOCKS; j--) {
        if (this.entries.has(blocks[j]!.hash)) {
          hit = Math.max(hit, j);
          break;
        }
      }
    }
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    const readTokens = hit >= 0 ? blocks[hit]!.tokens : 0;
    if (hit >= 0) {
      const entry = this.entries.get(blocks[hit]!.hash)!;
      entry.expiresAt = now + this.ttlMs[entry.ttl];
    }
    let cachedTokens = readTokens;
    for (const [b, block] of blocks.entries()) {
      if (block.breakpoint === undefined) continue;
      const existing = this.entries.get(block.hash);
      if (b <= hit) {
        if (existing) existing.expiresAt = now + this.ttlMs[existing.ttl];
        continue;
      }
      if (block.tokens < plan.minimumTokens) continue;
      this.entries.set(block.hash, { expiresAt: now + this.ttlMs[block.breakpoint], ttl: block.breakpoint });
      const written = block.tokens - cachedTokens;
      if (block.breakpoint === '1h') creation.ephemeral_1h_input_tokens += written;
      else creation.ephemeral_5m_input_tokens += written;
      cachedTokens = block.tokens;
    }
    const creationTokens = creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens;
    return {
      input_tokens: plan.totalTokens - readTokens - creationTokens,
      cache_creation_input_tokens: creationTokens,
      cache_read_input_tokens: readTokens,
      cache_creation: creation,
    };
  }

  private purge(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

/** Blocks of a `system` or message `content` value (a string is one text block). */
function asBlocks(content: unknown): Array<Record<string, unknown>> {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

/** The last block that may carry `cache_control` (thinking blocks may not), or -1. */
function lastCacheable(raw: ReadonlyArray<{ block: Record<string, unknown> }>): number {
  for (let i = raw.length - 1; i >= 0; i--) {
    const type = raw[i]!.block.type;
    if (type !== 'thinking' && type !== 'redacted_thinking') return i;
  }
  return -1;
}

/** The TTL a `cache_control` value asks for, or the 400 message naming its field. */
function ttlOf(value: unknown, field: string): CacheTtl | { ok: false; message: string } {
  if (!isRecord(value) || value.type !== 'ephemeral') return { ok: false, message: `${field}.type: Input should be 'ephemeral'` };
  if (value.ttl === undefined) return '5m';
  if (value.ttl === '5m' || value.ttl === '1h') return value.ttl;
  return { ok: false, message: `${field}.ttl: Input should be '5m' or '1h'` };
}
