import type { Message, Usage } from './types.js';

/**
 * What a model's tokens cost, in US dollars per million tokens. Cache writes and reads are priced
 * apart from plain input (platform.claude.com/docs/en/about-claude/pricing: a 5-minute cache write
 * costs 1.25× input, a cache read 0.1× input).
 */
export interface Price {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

function family(input: number, output: number): Price {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1 };
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
  'inkwell-demo': family(0, 0),
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
 * The dollar cost of one usage at one price.
 * @returns US dollars
 */
export function costOf(u: Usage, p: Price): number {
  return (
    (u.input_tokens * p.input +
      u.output_tokens * p.output +
      u.cache_creation_input_tokens * p.cacheWrite +
      u.cache_read_input_tokens * p.cacheRead) /
    1_000_000
  );
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

/** The cost fold over a conversation up to and including one message. */
interface CostPrefix extends ConversationCost {
  /** The message's index in the conversation. */
  index: number;
  /** The conversation's first message (a prefix holds only for the conversation it was made in). */
  first: Message;
}

/** The default of `overrides`: one object, so that its caches are found again. */
const NO_OVERRIDES: Readonly<Record<string, Price>> = Object.freeze({});

/** How many messages from the end are searched for a known prefix before adding up from the start. */
const PREFIX_LOOKBACK = 16;

/**
 * Adds up what a conversation cost, reply by reply, each at its own model's price (a reply's usage
 * is the sum of its parts when it was continued).
 *
 * The status bar asks on every frame, and a long session has thousands of replies: the sum up to
 * each message is remembered with the message (messages are immutable, and a conversation only
 * grows at its end, loses its end, or is replaced whole), so a call costs the messages after the
 * last one summed before, usually one or two, not the whole conversation.
 */
export function conversationCost(messages: readonly Message[], overrides: Readonly<Record<string, Price>> = NO_OVERRIDES): ConversationCost {
  let caches = costCache.get(overrides);
  if (!caches) {
    caches = { replies: new WeakMap(), prefixes: new WeakMap() };
    costCache.set(overrides, caches);
  }
  const { replies, prefixes } = caches;
  const first = messages[0];
  let fold: ConversationCost = { turn: null, total: 0, unpriced: 0 };
  let start = 0;
  for (let k = messages.length - 1; k >= 0 && k >= messages.length - PREFIX_LOOKBACK; k--) {
    const p = prefixes.get(messages[k]!);
    if (p !== undefined && p.index === k && p.first === first) {
      fold = { turn: p.turn, total: p.total, unpriced: p.unpriced };
      start = k + 1;
      break;
    }
  }
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'assistant') {
      let c = replies.get(m);
      if (c === undefined) {
        const price = priceFor(m.model, overrides);
        c = price ? costOf(m.usage, price) : null;
        replies.set(m, c);
      }
      if (c === null) fold = { turn: null, total: fold.total, unpriced: fold.unpriced + 1 };
      else fold = { turn: c, total: fold.total + c, unpriced: fold.unpriced };
    }
    prefixes.set(m, { ...fold, index: i, first: first! });
  }
  return fold;
}

const costCache = new WeakMap<object, { replies: WeakMap<Message, number | null>; prefixes: WeakMap<Message, CostPrefix> }>();

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
