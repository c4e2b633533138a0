import type { Message, Usage } from './types.js';
import { cacheWrites, webSearches } from './usage.js';

/**
 * What a model's tokens cost, in US dollars per million tokens. Cache writes and reads are priced
 * apart from plain input (platform.claude.com/docs/en/about-claude/pricing: a 5-minute cache write
 * costs 1.25× input, a 1-hour write 2× input, a cache read 0.1× input); web searches are priced
 * per 1,000. The four first fields are the shape the `prices` setting has always had: the others
 * are optional, and derived when absent.
 */
export interface Price {
  input: number;
  output: number;
  /** A 5-minute cache write (and any write without a TTL breakdown). */
  cacheWrite: number;
  cacheRead: number;
  /** A 1-hour cache write; 2× `input` when absent. */
  cacheWrite1h?: number;
  /** USD per 1,000 web searches (`server_tool_use.web_search_requests`); {@link WEB_SEARCH_PER_1000} when absent. */
  webSearch?: number;
}

/** A request made beside the conversation (a model-written session title): its model and usage, billed like a reply. */
export interface SideRequest {
  model: string;
  usage: Usage;
}

/**
 * What side requests cost, each at its own model's price.
 * @returns US dollars of the priced ones, and how many had no price
 */
export function sideRequestsCost(
  requests: readonly SideRequest[],
  overrides: Readonly<Record<string, Price>> = {},
): { usd: number; unpriced: number } {
  let usd = 0;
  let unpriced = 0;
  for (const r of requests) {
    const p = priceFor(r.model, overrides);
    if (p) usd += costOf(r.usage, p);
    else unpriced++;
  }
  return { usd, unpriced };
}

/** The web search tool's fee: US dollars per 1,000 searches, on top of the tokens (docs/PROTOCOL.md). */
export const WEB_SEARCH_PER_1000 = 10;

function family(input: number, output: number, webSearch = WEB_SEARCH_PER_1000): Price {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1, cacheWrite1h: input * 2, webSearch };
}

/**
 * Default prices by model id prefix (the longest matching prefix wins). Published list prices for
 * the families inkwell knows; anything else has no default and shows no cost until a price is set
 * in settings (`inkwell config set prices.<model> …`).
 */
export const DEFAULT_PRICES: Readonly<Record<string, Price>> = Object.freeze({
  'claude-opus-4-0': family(15, 75),
  'claude-opus-4-1': family(15, 75),
  'claude-opus-4-5': family(5, 25),
  'claude-opus-4-6': family(5, 25),
  'claude-opus-4-7': family(5, 25),
  'claude-opus-4-8': family(5, 25),
  'claude-opus-5': family(5, 25),
  'claude-sonnet-4': family(3, 15),
  'claude-sonnet-5': family(3, 15),
  'claude-haiku-4-5': family(1, 5),
  'claude-haiku-5': family(1, 5),
  'claude-3-5-haiku': family(0.8, 4),
  'inkwell-demo': family(0, 0, 0),
});

/**
 * The price of a model: an override wins, else the longest default prefix, else null (unknown).
 * @param overrides prices from settings, keyed by model id or id prefix
 */
export function priceFor(model: string, overrides: Readonly<Record<string, Price>> = {}): Price | null {
  const pick = (table: Readonly<Record<string, Price>>): Price | null => {
    let best: string | null = null;
    for (const prefix of Object.keys(table)) {
      if (model.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
    }
    return best === null ? null : table[best]!;
  };
  return pick(overrides) ?? pick(DEFAULT_PRICES);
}

/**
 * The dollar cost of one usage at one price: input, output, 5-minute and 1-hour cache writes
 * (a write without a breakdown is a 5-minute one), cache reads, and web searches.
 * @returns US dollars
 */
export function costOf(u: Usage, p: Price): number {
  let usd = 0;
  for (const [, l] of usageLines(u, p)) usd += l.usd;
  return usd;
}

/**
 * One usage at one price, split by kind (the one place each kind is priced): how many tokens
 * (searches, for web searches) and US dollars.
 */
function usageLines(u: Usage, p: Price): Array<[(typeof COST_KINDS)[number], CostLine]> {
  const writes = cacheWrites(u);
  const searches = webSearches(u);
  const perToken = (count: number, usdPerMillion: number): CostLine => ({ count, usd: (count * usdPerMillion) / 1_000_000 });
  return [
    ['input', perToken(u.input_tokens, p.input)],
    ['output', perToken(u.output_tokens, p.output)],
    ['cacheWrite5m', perToken(writes.fiveMinute, p.cacheWrite)],
    ['cacheWrite1h', perToken(writes.oneHour, p.cacheWrite1h ?? p.input * 2)],
    ['cacheRead', perToken(u.cache_read_input_tokens, p.cacheRead)],
    ['webSearch', { count: searches, usd: (searches * (p.webSearch ?? WEB_SEARCH_PER_1000)) / 1000 }],
  ];
}

/** What one kind of billed usage came to: how many (tokens, or searches) and US dollars. */
export interface CostLine {
  count: number;
  usd: number;
}

/** A cost split by kind, as `/cost` shows it. */
export interface CostBreakdown {
  input: CostLine;
  output: CostLine;
  cacheWrite5m: CostLine;
  cacheWrite1h: CostLine;
  cacheRead: CostLine;
  /** `count` is searches, not tokens. */
  webSearch: CostLine;
  /** US dollars of every priced reply. */
  total: number;
  /** Replies left out because their model has no price. */
  unpriced: number;
}

/** The kinds of a {@link CostBreakdown}, in the order `/cost` lists them. */
export const COST_KINDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'webSearch'] as const;

/**
 * A conversation's cost split by kind (input, output, cache writes 5m and 1h, cache reads, web
 * searches), each reply at its own model's price; replies of unknown price are counted in
 * `unpriced` and left out of every line.
 */
export function costBreakdown(messages: readonly Message[], overrides: Readonly<Record<string, Price>> = NO_OVERRIDES): CostBreakdown {
  const line = (): CostLine => ({ count: 0, usd: 0 });
  const b: CostBreakdown = {
    input: line(),
    output: line(),
    cacheWrite5m: line(),
    cacheWrite1h: line(),
    cacheRead: line(),
    webSearch: line(),
    total: 0,
    unpriced: 0,
  };
  const add = (l: CostLine, count: number, usd: number): void => {
    l.count += count;
    l.usd += usd;
  };
  for (const m of messages) {
    if (m.role !== 'assistant') continue;
    const p = priceFor(m.model, overrides);
    if (!p) {
      b.unpriced++;
      continue;
    }
    for (const [kind, l] of usageLines(m.usage, p)) {
      add(b[kind], l.count, l.usd);
      b.total += l.usd;
    }
  }
  return b;
}

/** Cost of a conversation: its last reply and all replies, with replies of unknown price counted apart. */
export interface ConversationCost {
  /** US dollars of the last reply, or null when its model's price is unknown or there is none. */
  turn: number | null;
  /** US dollars of every reply whose price is known. */
  total: number;
  /** Replies left out of `total` because their model has no price. */
  unpriced: number;
}

/** The last conversation a cost was worked out for, and the fold up to each of its messages. */
interface CostRun {
  messages: readonly Message[];
  /** `folds[i]`: the cost of `messages[0..i]`. */
  folds: ConversationCost[];
}

/** The default of `overrides`: one object, so that its caches are found again. */
const NO_OVERRIDES: Readonly<Record<string, Price>> = Object.freeze({});

/**
 * Adds up what a conversation cost, reply by reply, each at its own model's price (a reply's usage
 * is the sum of its parts when it was continued).
 *
 * The status bar asks on every frame, and a long session has thousands of replies: the sums up to
 * each message of the last conversation asked about are kept, and a call adds up again only from
 * the first message that is not the same object as before (messages are immutable: a streaming
 * reply is a new object each frame, and so is a reply continued in place, notices after it kept),
 * comparing references up to there, never prices.
 */
export function conversationCost(
  messages: readonly Message[],
  overrides: Readonly<Record<string, Price>> = NO_OVERRIDES,
): ConversationCost {
  let caches = costCache.get(overrides);
  if (!caches) {
    caches = { replies: new WeakMap(), run: { messages: [], folds: [] } };
    costCache.set(overrides, caches);
  }
  const { replies, run } = caches;
  const same = Math.min(run.messages.length, messages.length);
  let start = 0;
  while (start < same && run.messages[start] === messages[start]) start++;
  const folds = run.folds;
  folds.length = start;
  let fold: ConversationCost = start > 0 ? folds[start - 1]! : { turn: null, total: 0, unpriced: 0 };
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'assistant') {
      let c = replies.get(m);
      if (c === undefined) {
        const price = priceFor(m.model, overrides);
        c = price ? costOf(m.usage, price) : null;
        replies.set(m, c);
      }
      fold =
        c === null
          ? { turn: null, total: fold.total, unpriced: fold.unpriced + 1 }
          : { turn: c, total: fold.total + c, unpriced: fold.unpriced };
    }
    folds.push(fold);
  }
  run.messages = messages;
  return { ...fold };
}

const costCache = new WeakMap<object, { replies: WeakMap<Message, number | null>; run: CostRun }>();

/**
 * Dollars for a person: "$0.0042" under a cent, "$1.23" above.
 * @param usd US dollars
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 100) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString('en-US')}`;
}
