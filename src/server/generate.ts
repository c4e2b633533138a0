/**
 * Synthetic replies: a deterministic long markdown document for the benchmark, the
 * text → token splitting used for streaming, and a wire-exact SSE stream for any text.
 * Event shapes follow docs/PROTOCOL.md §1–§3 (as recorded from claude-sonnet-4-6 in fixture 04).
 */
import type { CacheUsage } from './cache.js';
import { encodeEvent, messageStartEvent, PING_FRAME } from './sse.js';
import { fnv1a, messageIdFor } from './ids.js';

/** Pieces longer than this many code points are split (≈ 1 token ≈ 4 chars on average). */
const MAX_PIECE = 6;
/** Long pieces are cut into parts of about this many code points. */
const PART = 5;

/**
 * Split text into streaming "tokens": whitespace is attached to the following word, and
 * pieces longer than 6 code points are cut into near-equal parts of at most 5 code points.
 * Surrogate pairs are never split. `textTokens(t).join('') === t` always holds.
 *
 * @param text  any string.
 * @returns the pieces in order (about one per 4 characters on English prose and markdown).
 */
export function textTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\s*\S+|\s+/gu)) {
    const chars = Array.from(match[0]);
    if (chars.length <= MAX_PIECE) {
      out.push(match[0]);
      continue;
    }
    const parts = Math.ceil(chars.length / PART);
    const size = Math.ceil(chars.length / parts);
    for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  }
  return out;
}

/** Options of {@link sseForText}. */
export interface SseForTextOptions {
  /** The `model` reported in `message_start` (the requested model). */
  model: string;
  /** Cut after this many tokens (text deltas) and stop with `max_tokens`; must be ≥ 1. */
  maxTokens?: number;
  /** `usage.input_tokens` to report; default 1. */
  inputTokens?: number;
  /**
   * The usage split by the prompt cache (cache.ts); default none (cache fields 0). Its
   * `input_tokens` wins over `inputTokens`; `message_start` carries the `cache_creation`
   * breakdown, `message_delta` the three totals (as fixture 04 shows).
   */
  cache?: CacheUsage;
  /** Message id; default derived deterministically from model and text. */
  id?: string;
  /** Pad `data:` JSON with 0–14 spaces before the final `}` like the real API; default true. */
  padding?: boolean;
}

/**
 * A wire-exact SSE stream answering with `text`: `message_start` (usage, `output_tokens: 1`),
 * `content_block_start` (text), `ping` (`{"type": "ping"}`), one `content_block_delta`
 * `text_delta` per token (see {@link textTokens}), `content_block_stop`, `message_delta`
 * (cumulative usage, `stop_reason` `end_turn` or `max_tokens`), `message_stop`.
 * Deterministic for equal inputs. docs/PROTOCOL.md §1 (framing, padding, ping), §2 (order),
 * §3 (usage is cumulative in message_delta), §4 (max_tokens).
 *
 * @param text  the reply text.
 * @returns the SSE body as a string; output tokens = number of text deltas sent.
 * @throws RangeError if `maxTokens` is given and is not an integer ≥ 1.
 */
export function sseForText(text: string, opts: SseForTextOptions): string {
  if (opts.maxTokens !== undefined && !(Number.isInteger(opts.maxTokens) && opts.maxTokens >= 1)) {
    throw new RangeError(`maxTokens must be an integer >= 1, got ${opts.maxTokens}`);
  }
  const all = textTokens(text);
  const truncated = opts.maxTokens !== undefined && all.length > opts.maxTokens;
  const tokens = truncated ? all.slice(0, opts.maxTokens) : all;
  const inputTokens = opts.cache?.input_tokens ?? opts.inputTokens ?? 1;
  const id = opts.id ?? messageIdFor(`${opts.model}\u0000${text}`);
  const rand = mulberry32(fnv1a(id));
  const pad = (): number => (opts.padding === false ? 0 : Math.floor(rand() * 15));

  const frames: string[] = [];
  frames.push(encodeEvent(messageStartEvent({ model: opts.model, id, inputTokens, ...(opts.cache ? { cache: opts.cache } : {}) }), pad()));
  frames.push(encodeEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, pad()));
  frames.push(PING_FRAME);
  for (const token of tokens) {
    frames.push(encodeEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: token } }, pad()));
  }
  frames.push(encodeEvent({ type: 'content_block_stop', index: 0 }, pad()));
  frames.push(
    encodeEvent(
      {
        type: 'message_delta',
        delta: { stop_reason: truncated ? 'max_tokens' : 'end_turn', stop_sequence: null, stop_details: null },
        usage: {
          input_tokens: inputTokens,
          cache_creation_input_tokens: opts.cache?.cache_creation_input_tokens ?? 0,
          cache_read_input_tokens: opts.cache?.cache_read_input_tokens ?? 0,
          output_tokens: tokens.length,
        },
      },
      pad(),
    ),
  );
  frames.push(encodeEvent({ type: 'message_stop' }, pad()));
  return frames.join('');
}

/**
 * A small deterministic PRNG (mulberry32).
 *
 * @param seed  a 32-bit integer seed.
 * @returns a function giving floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'stream token buffer render terminal markdown viewport cache frame reply model message ' +
  'client server latency budget context window history session cursor scroll width column ' +
  'parser lexer block heading table list fence language highlight theme colour layout ' +
  'reducer state action event delta usage output input signal retry timeout error ' +
  'stable prefix live region static commit flush batch queue worker pipeline schedule ' +
  'measure profile benchmark throughput memory allocation string line wrap unicode ' +
  'grapheme emoji accent quick careful simple robust precise steady gentle bright ' +
  'quietly rapidly always never often eventually carefully neatly'
).split(' ');

const LANGS = ['typescript', 'python', 'rust', 'go', 'bash', 'json', 'sql'] as const;

/**
 * A deterministic markdown document of about `approxTokens` tokens (~4 characters each):
 * an H1 title, then sections with `##`/`###` headings, paragraphs with inline code and bold,
 * bullet and numbered lists, fenced code blocks with a language (typescript, python, rust,
 * go, bash, json, sql) and GFM tables. Every six sections hold two code blocks and one
 * table, so 8000 tokens give well over 3 fences and 2 tables.
 *
 * @param approxTokens  target size in tokens; the result has at least `approxTokens * 4`
 *   characters (one section past it at most).
 * @param seed  PRNG seed; equal (approxTokens, seed) give identical output. Default 1.
 * @returns the markdown text, ending with a newline.
 */
export function generateMarkdownDocument(approxTokens: number, seed = 1): string {
  const rand = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const word = (): string => pick(WORDS);
  const title = (n: number): string =>
    Array.from({ length: n }, () => word())
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ');
  const ident = (): string => word() + title(1).replace(/ /g, '');
  const sentence = (): string => {
    const words = Array.from({ length: int(6, 14) }, () => word());
    const r = rand();
    if (r < 0.15) words[int(1, words.length - 1)] = `\`${ident()}\``;
    else if (r < 0.3) words[int(1, words.length - 1)] = `**${word()}**`;
    const s = words.join(' ');
    return s[0]!.toUpperCase() + s.slice(1) + (rand() < 0.1 ? '?' : '.');
  };
  const paragraph = (): string => Array.from({ length: int(3, 5) }, sentence).join(' ');
  const bullets = (): string => Array.from({ length: int(3, 6) }, () => `- ${sentence()}`).join('\n');
  const numbered = (): string => Array.from({ length: int(3, 5) }, (_, i) => `${i + 1}. ${sentence()}`).join('\n');
  const table = (): string => {
    const cols = int(3, 4);
    const head = Array.from({ length: cols }, () => title(1));
    const align = head.map((_, i) => (i === 0 ? '---' : pick(['---', ':---:', '---:'])));
    const rows = Array.from({ length: int(3, 5) }, () =>
      head.map((_, i) => (i === 0 ? `\`${ident()}\`` : rand() < 0.5 ? String(int(1, 9999)) : word())),
    );
    return [head, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  };
  const code = (): string => {
    const lang = pick(LANGS);
    const a = ident();
    const b = ident();
    const n = int(2, 64);
    let body: string;
    switch (lang) {
      case 'typescript':
        body = `export function ${a}(${b}: string[], limit = ${n}): number {\n  let total = 0;\n  for (const item of ${b}) {\n    if (total >= limit) break;\n    total += item.length;\n  }\n  return total;\n}`;
        break;
      case 'python':
        body = `def ${snake(a)}(${snake(b)}, limit=${n}):\n    """${sentence()}"""\n    total = 0\n    for item in ${snake(b)}:\n        total += len(item)\n    return min(total, limit)`;
        break;
      case 'rust':
        body = `fn ${snake(a)}(${snake(b)}: &[u32]) -> u32 {\n    ${snake(b)}.iter().copied().filter(|v| *v < ${n}).sum()\n}`;
        break;
      case 'go':
        body = `func ${a}(${b} []int) int {\n\ttotal := 0\n\tfor _, v := range ${b} {\n\t\ttotal += v % ${n}\n\t}\n\treturn total\n}`;
        break;
      case 'bash':
        body = `#!/usr/bin/env bash\nset -euo pipefail\nfor f in ./${word()}/*.md; do\n  wc -c "$f" | head -n ${n}\ndone`;
        break;
      case 'json':
        body = JSON.stringify({ name: a, [word()]: n, enabled: rand() < 0.5, tags: [word(), word()] }, null, 2);
        break;
      case 'sql':
        body = `SELECT ${snake(a)}, COUNT(*) AS n\nFROM ${snake(b)}\nWHERE n > ${n}\nGROUP BY ${snake(a)}\nORDER BY n DESC;`;
        break;
    }
    return `\`\`\`${lang}\n${body}\n\`\`\``;
  };

  const target = Math.max(0, approxTokens) * 4;
  const parts: string[] = [`# ${title(int(2, 4))}`, paragraph()];
  let length = parts.join('\n\n').length;
  const cycle = ['bullets', 'code', 'table', 'numbered', 'paragraph', 'code'] as const;
  for (let i = 0; length < target; i++) {
    const section: string[] = [`## ${i + 1}. ${title(int(2, 5))}`, paragraph()];
    switch (cycle[i % cycle.length]!) {
      case 'bullets':
        section.push(bullets());
        break;
      case 'code':
        section.push(code(), paragraph());
        break;
      case 'table':
        section.push(table());
        break;
      case 'numbered':
        section.push(numbered());
        break;
      case 'paragraph':
        section.push(`### ${title(int(2, 4))}`, paragraph());
        break;
    }
    const text = section.join('\n\n');
    parts.push(text);
    length += text.length + 2;
  }
  return parts.join('\n\n') + '\n';
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
