import { liveOutputTokens } from '../domain/conversation.js';
import type { ConversationState } from '../domain/conversation.js';
import type { AssistantMessage, Usage } from '../domain/types.js';
import { conversationCost, formatUsd, type Price } from '../domain/cost.js';
import { contextPercent } from '../domain/usage.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import cliTruncate from 'cli-truncate';
import terminalWidth from '../text/width.js';

/**
 * One piece of the status bar with its meaning (the component picks the colour) and how it
 * gives way when the bar is short of columns (see {@link fitStatus}).
 */
export interface StatusSegment {
  /** The full form. */
  text: string;
  tone: 'accent' | 'normal' | 'muted' | 'warning' | 'error';
  /** Higher is kept longer (see {@link PRIORITY}). */
  priority: number;
  /** Shorter forms of the same segment, each shorter than the one before. */
  compact?: readonly string[];
  /** May be cut with an ellipsis inside itself (the session title): shortened before anything else. */
  elastic?: boolean;
}

/**
 * How long each kind of segment holds on when the bar is short: the lowest gives way first.
 * Below {@link LOW}: shortened and dropped before anything at or above it is touched.
 */
export const PRIORITY = {
  title: 10,
  total: 20,
  /** The last request's cache hit rate (`cache 94%`): gives way before the last reply's usage. */
  cacheRate: 25,
  last: 30,
  context: 40,
  /** How long the cache stays warm (`warm 4:12`, `cold`). */
  cacheClock: 60,
  cost: 70,
  model: 75,
  /** Web search is on (`web`). */
  web: 72,
  /** A context window at 75 % or more. */
  contextHigh: 80,
  readOnly: 85,
  warning: 90,
  /** The live part: output gauge, waiting spinner, retry notice. */
  live: 100,
} as const;

/** Priorities below this are "low": they give way wholly before any higher segment shrinks. */
export const LOW = 50;

/** Columns a shortened title keeps (its ellipsis included) before it is dropped. */
const MIN_TITLE = 12;

/** The separator between segments. */
export const SEPARATOR = ' · ';

/**
 * Compact token count: 950, 1.2k, 18.6k, 1.1M.
 * @param n tokens
 */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(2).replace(/\.?0+$/, '')}M`;
}

function usageText(label: string, u: Usage): string {
  const cache =
    u.cache_creation_input_tokens || u.cache_read_input_tokens
      ? ` cache w${formatTokens(u.cache_creation_input_tokens)} r${formatTokens(u.cache_read_input_tokens)}`
      : '';
  return `${label} in ${formatTokens(u.input_tokens)} out ${formatTokens(u.output_tokens)}${cache}`;
}

/**
 * Shorter forms of usage: arrows for input and output (`↑2 ↓199`) with the cache part, then
 * without it; behind `label` when given.
 */
function usageArrows(label: string, u: Usage): string[] {
  const arrows = `${label}↑${formatTokens(u.input_tokens)} ↓${formatTokens(u.output_tokens)}`;
  const full = usageText('', u);
  const cache = full.indexOf(' cache ');
  return cache === -1 ? [arrows] : [arrows + full.slice(cache), arrows];
}

function sameUsage(a: Usage, b: Usage): boolean {
  return (
    a.input_tokens === b.input_tokens &&
    a.output_tokens === b.output_tokens &&
    a.cache_creation_input_tokens === b.cache_creation_input_tokens &&
    a.cache_read_input_tokens === b.cache_read_input_tokens
  );
}

function activeReply(state: ConversationState): AssistantMessage | null {
  if (!state.activeId) return null;
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.id === state.activeId && m.role === 'assistant') return m;
  }
  return null;
}

function lastReply(state: ConversationState): AssistantMessage | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.role === 'assistant') return m;
  }
  return null;
}

/** Any cache field of a usage is non-zero: the request wrote to or read from the prompt cache. */
function usedCache(u: Usage): boolean {
  return u.cache_creation_input_tokens > 0 || u.cache_read_input_tokens > 0;
}

/**
 * The share of a request's input read from the cache: cache_read ÷ (input + cache_write +
 * cache_read), 0–1; null when the request used no cache (no cache field non-zero).
 */
export function cacheHitRate(u: Usage): number | null {
  if (!usedCache(u)) return null;
  return u.cache_read_input_tokens / (u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens);
}

/** A cache's time to live: 5 minutes by default, 1 hour. */
export const CACHE_TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

/**
 * When the prompt cache the last request used goes cold: the last reply's start (the request that
 * used it) plus the TTL, 1 hour when that request wrote 1-hour entries or `ttl` says `1h`, else
 * 5 minutes. Null when the last reply used no cache (or none has finished).
 * @param ttl the TTL requests are sent with, when known (the `promptCache` setting)
 * @returns ms since the epoch
 */
export function cacheWarmUntil(state: ConversationState, ttl?: '5m' | '1h' | 'off'): number | null {
  const last = lastReply(state);
  if (!last || last.status === 'waiting' || !usedCache(last.usage)) return null;
  const oneHour = ttl === '1h' || (last.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0) > 0;
  return last.startedAt + CACHE_TTL_MS[oneHour ? '1h' : '5m'];
}

/** Time left as `m:ss` (or `h:mm:ss` from an hour), rounded up to the second. @param ms milliseconds, > 0 */
function clockText(ms: number): string {
  const secs = Math.ceil(ms / 1000);
  const ss = String(secs % 60).padStart(2, '0');
  const mins = Math.floor(secs / 60);
  return mins >= 60 ? `${Math.floor(mins / 60)}:${String(mins % 60).padStart(2, '0')}:${ss}` : `${mins}:${ss}`;
}

/** The streaming reply's output so far, as the status bar shows it. */
export interface LiveTokens {
  /** Output tokens: the API's count once final, else an estimate rounded to the nearest 10. */
  tokens: number;
  /** The API's final count (no "~"). */
  final: boolean;
}

/**
 * The output tokens of the reply streaming now (of its newest part, for a continuation: the
 * budget is per request); 0 when none streams.
 */
export function liveReplyTokens(state: ConversationState, active = activeReply(state)): LiveTokens {
  if (!active) return { tokens: 0, final: false };
  // A continuation's budget is its own part's: count the new segment only.
  const part = state.continuation?.id === active.id ? state.continuation.segment : active;
  // An estimate moves with every delta: shown to the nearest 10 it changes (and is redrawn) less.
  const tokens = part.usageFinal ? liveOutputTokens(part) : Math.round(liveOutputTokens(part) / 10) * 10;
  return { tokens, final: part.usageFinal };
}

/** Inputs of the status bar beyond the conversation itself. */
export interface StatusContext {
  model: string;
  /** `max_tokens` per reply, in tokens. */
  maxTokens: number;
  /** ms since the epoch, for the waiting spinner's elapsed time. */
  now: number;
  /** Spinner frame counter. */
  frame: number;
  /**
   * The live output count to show, sampled when the spinner last turned (so the bar changes at
   * the spinner's pace, not per delta); computed from `state` when absent.
   */
  liveTokens?: LiveTokens | undefined;
  /** Price overrides; the session cost shows when the models' prices are known. */
  prices?: Readonly<Record<string, Price>>;
  /** Extended thinking is on (shown next to the model). */
  thinking?: boolean;
  /** Web search and web fetch are offered (`web`, after the model). */
  web?: boolean;
  /** The prompt cache's TTL requests are sent with (the cache clock counts 1 h for `1h`). */
  promptCache?: '5m' | '1h' | 'off';
  /**
   * The tokens the next request would take, conversation plus draft (count_tokens, chat/token-count.ts),
   * when counted: the context gauge shows it instead of the last reply's usage.
   */
  contextTokens?: number | null;
  /** The saved session's title and saving problems, when sessions are on. */
  session?: { title: string | null; problem: string | null; readOnly: string | null };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The status bar's content: model; live output against max_tokens while streaming (warning at
 * 80 %); last-turn and whole-conversation usage (input, output, cache write/read); context used;
 * cost; the last request's cache hit rate; a warning when the last reply stopped at max_tokens;
 * while idle, the cache clock (`warm 4:12` until the cache the last request used expires, then
 * `cold`).
 * @returns segments in display order
 */
export function statusSegments(state: ConversationState, ctx: StatusContext): StatusSegment[] {
  const out: StatusSegment[] = [];
  const s = ctx.session;
  if (s?.problem)
    out.push({ text: '⚠ not saved (disk problem, retrying)', compact: ['⚠ not saved'], tone: 'error', priority: PRIORITY.warning });
  if (s?.readOnly) out.push({ text: 'read-only', tone: 'warning', priority: PRIORITY.readOnly });
  // A title is the first prompt (a paste can carry BiDi overrides or escapes) or a saved file's
  // words: drawn as untrusted text, like the transcript.
  const title = s?.title ? sanitizeModelText(s.title) : '';
  if (title) out.push({ text: cliTruncate(title, 30, { position: 'end' }), tone: 'normal', priority: PRIORITY.title, elastic: true });
  const mark = ctx.thinking ? ' ✻' : '';
  const family = ctx.model.replace(/^claude-/, '');
  out.push({
    text: ctx.model + mark,
    ...(family !== ctx.model ? { compact: [family + mark] } : {}),
    tone: 'accent',
    priority: PRIORITY.model,
  });
  if (ctx.web) out.push({ text: 'web', tone: 'accent', priority: PRIORITY.web });
  const active = activeReply(state);
  // While a reply streams, the previous turn's usage gives way to the live count (kept short, so
  // the live part at the end fits even a narrow terminal).
  if (state.lastUsage && !active) {
    out.push({
      text: usageText('last', state.lastUsage),
      compact: usageArrows('', state.lastUsage),
      tone: 'muted',
      priority: PRIORITY.last,
    });
  }
  if (state.lastUsage && !active && !sameUsage(state.totals, state.lastUsage)) {
    out.push({
      text: usageText('total', state.totals),
      compact: usageArrows('total ', state.totals),
      tone: 'muted',
      priority: PRIORITY.total,
    });
  }
  const ctxUsage = state.lastUsage;
  if (state.limits) {
    const estimate = active ? null : (ctx.contextTokens ?? null);
    const pct =
      estimate !== null
        ? (estimate / Math.max(1, state.limits.contextWindow)) * 100
        : ctxUsage
          ? contextPercent(ctxUsage, state.limits.contextWindow)
          : 0;
    const shown = `ctx ${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
    out.push({
      text: `${shown} of ${formatTokens(state.limits.contextWindow)}`,
      compact: [shown],
      tone: pct >= 90 ? 'error' : pct >= 75 ? 'warning' : 'muted',
      priority: pct >= 75 ? PRIORITY.contextHigh : PRIORITY.context,
    });
  }
  if (state.lastUsage) {
    const cost = conversationCost(state.messages, ctx.prices);
    if (cost.total > 0) out.push({ text: formatUsd(cost.total), tone: 'muted', priority: PRIORITY.cost });
  }
  const hit = state.lastUsage && !active ? cacheHitRate(state.lastUsage) : null;
  if (hit !== null) {
    const pct = Math.floor(hit * 100);
    out.push({ text: `cache ${pct}%`, compact: [`c${pct}%`], tone: 'muted', priority: PRIORITY.cacheRate });
  }
  const last = lastReply(state);
  if (!active && last && last.status === 'complete' && last.stop_reason === 'max_tokens') {
    out.push({
      text: '⚠ stopped at max_tokens · Enter continues',
      compact: ['⚠ max_tokens · Enter continues', '⚠ max_tokens'],
      tone: 'warning',
      priority: PRIORITY.warning,
    });
  } else if (!active && last && last.stop_reason === 'model_context_window_exceeded') {
    out.push({ text: '⚠ context window full', compact: ['⚠ context full'], tone: 'error', priority: PRIORITY.warning });
  }
  // The cache clock changes every second while idle: last, so a repaint rewrites only the tail.
  const until = active ? null : cacheWarmUntil(state, ctx.promptCache);
  if (until !== null) {
    const left = until - ctx.now;
    out.push(
      left > 0
        ? {
            text: `warm ${clockText(left)}`,
            compact: [`w${clockText(left)}`],
            tone: left <= 60_000 ? 'warning' : 'muted',
            priority: PRIORITY.cacheClock,
          }
        : { text: 'cold', tone: 'muted', priority: PRIORITY.cacheClock },
    );
  }
  // Last: the part that changes while a reply streams, so a redraw rewrites only the row's tail.
  if (active) {
    const elapsed = ((ctx.now - active.startedAt) / 1000).toFixed(1);
    const spin = SPINNER[ctx.frame % SPINNER.length];
    if (state.retryWait) {
      const w = state.retryWait;
      const secs = Math.max(0, Math.ceil((w.until - ctx.now) / 1000));
      out.push({
        text: `${spin} ${w.reason}, retrying in ${secs} s (attempt ${w.attempt}/${w.of}) · Esc cancels`,
        compact: [
          `${spin} retrying in ${secs} s (${w.attempt}/${w.of}) · Esc cancels`,
          `${spin} retry in ${secs} s · Esc cancels`,
          `${spin} retry ${secs}s · Esc`,
        ],
        tone: 'warning',
        priority: PRIORITY.live,
      });
    } else if (state.phase === 'waiting' || active.firstTokenAt === null) {
      out.push({ text: `${spin} waiting ${elapsed}s`, tone: 'normal', priority: PRIORITY.live });
    } else {
      const live = ctx.liveTokens ?? liveReplyTokens(state, active);
      const share = live.tokens / ctx.maxTokens;
      const gauge = `${live.final ? '' : '~'}${formatTokens(live.tokens)}/${formatTokens(ctx.maxTokens)} ${spin}`;
      out.push({
        // The spinner comes last: a turn of it rewrites one cell, not the count before it.
        text: `out ${gauge}`,
        compact: [gauge],
        tone: share >= 0.8 ? 'warning' : 'normal',
        priority: PRIORITY.live,
      });
    }
  }
  return out;
}

/**
 * The segments that fit in `width` columns, in display order, each whole (in its full or one of
 * its compact forms) and joined by {@link SEPARATOR}: priorities, not truncation. Steps, until
 * the line fits:
 * 1. every segment but the most important, lowest priority first, takes its first compact form
 *    (the same facts in fewer columns: arrows for usage, the model without "claude-"); an elastic
 *    one (the title) is cut with an ellipsis, down to {@link MIN_TITLE} columns;
 * 2. the same segments, lowest first, take their shorter forms and then are dropped whole (the
 *    low ones, below {@link LOW}, all go before the others);
 * 3. the most important one (the highest priority; the last on a tie) takes its compact forms;
 * 4. only then, on a bar narrower than that one's shortest form, it is cut with an ellipsis.
 * @param segments from {@link statusSegments}, in display order
 * @param width the bar's columns
 * @returns the segments to draw, `text` set to the form chosen
 */
export function fitStatus(segments: readonly StatusSegment[], width: number): StatusSegment[] {
  const shown: (StatusSegment | null)[] = segments.map((seg) => ({ ...seg }));
  const widths = shown.map((seg) => terminalWidth(seg!.text));
  const total = (): number => {
    let sum = 0;
    let n = 0;
    shown.forEach((seg, i) => {
      if (seg === null) return;
      sum += widths[i]!;
      n++;
    });
    return sum + SEPARATOR.length * Math.max(0, n - 1);
  };
  const set = (i: number, text: string | null): void => {
    shown[i] = text === null ? null : { ...shown[i]!, text };
    widths[i] = text === null ? 0 : terminalWidth(text);
  };
  const fits = (): boolean => total() <= width;
  // Shorter forms of segment i, from the `from`-th compact form to the `to`-th, one at a time,
  // until the line fits; true when it does. An elastic segment is cut instead, down to MIN_TITLE.
  const shorten = (i: number, from = 0, to = Infinity): boolean => {
    const seg = shown[i]!;
    if (seg.elastic) {
      const room = widths[i]! - (total() - width);
      set(i, cliTruncate(seg.text, Math.max(Math.min(MIN_TITLE, widths[i]!), room), { position: 'end' }));
      return fits();
    }
    for (const form of (segments[i]!.compact ?? []).slice(from, to)) {
      set(i, form);
      if (fits()) return true;
    }
    return false;
  };
  if (fits()) return shown.filter((seg): seg is StatusSegment => seg !== null);
  // Lowest priority first; on a tie, the earlier segment gives way first.
  const order = segments.map((_, i) => i).sort((a, b) => segments[a]!.priority - segments[b]!.priority || a - b);
  const low = order.filter((i) => segments[i]!.priority < LOW);
  const high = order.filter((i) => segments[i]!.priority >= LOW);
  const keep = high.pop() ?? low.pop();
  const done = (): StatusSegment[] => {
    // A title cut early (before later steps freed room) takes back the columns left over.
    shown.forEach((seg, i) => {
      if (seg === null || !seg.elastic || seg.text === segments[i]!.text) return;
      const room = widths[i]! + width - total();
      if (room > widths[i]!) set(i, cliTruncate(segments[i]!.text, room, { position: 'end' }));
    });
    return shown.filter((seg): seg is StatusSegment => seg !== null);
  };
  for (const i of [...low, ...high]) if (shorten(i, 0, 1)) return done();
  for (const i of [...low, ...high]) {
    if (shorten(i, 1)) return done();
    set(i, null);
    if (fits()) return done();
  }
  if (keep === undefined || shorten(keep)) return done();
  set(keep, cliTruncate(shown[keep]!.text, Math.max(1, width), { position: 'end' }));
  return done();
}
