import { liveOutputTokens } from '../domain/accumulate.js';
import type { ConversationState } from '../domain/conversation.js';
import type { AssistantMessage, Usage } from '../domain/types.js';
import { conversationCost, formatUsd, type Price } from '../domain/cost.js';
import { contextPercent } from '../domain/usage.js';
import { sanitizeModelText } from '../markdown/sanitize.js';

/** One piece of the status bar with its meaning (the component picks the colour). */
export interface StatusSegment {
  text: string;
  tone: 'accent' | 'normal' | 'muted' | 'warning' | 'error';
}

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
  const cache = u.cache_creation_input_tokens || u.cache_read_input_tokens
    ? ` cache w${formatTokens(u.cache_creation_input_tokens)} r${formatTokens(u.cache_read_input_tokens)}`
    : '';
  return `${label} in ${formatTokens(u.input_tokens)} out ${formatTokens(u.output_tokens)}${cache}`;
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
  /** The saved session's title and saving problems, when sessions are on. */
  session?: { title: string | null; problem: string | null; readOnly: string | null };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * The status bar's content: model; live output against max_tokens while streaming (warning at
 * 80 %); last-turn and whole-conversation usage (input, output, cache write/read); context used;
 * a warning when the last reply stopped at max_tokens.
 * @returns segments in display order
 */
export function statusSegments(state: ConversationState, ctx: StatusContext): StatusSegment[] {
  const out: StatusSegment[] = [];
  const s = ctx.session;
  if (s?.problem) out.push({ text: '⚠ not saved (disk problem, retrying)', tone: 'error' });
  if (s?.readOnly) out.push({ text: 'read-only', tone: 'warning' });
  // A title is the first prompt (a paste can carry BiDi overrides or escapes) or a saved file's
  // words: drawn as untrusted text, like the transcript.
  const title = s?.title ? sanitizeModelText(s.title) : '';
  if (title) out.push({ text: title.length > 30 ? `${title.slice(0, 29)}…` : title, tone: 'normal' });
  out.push({ text: ctx.thinking ? `${ctx.model} ✻` : ctx.model, tone: 'accent' });
  const active = activeReply(state);
  // While a reply streams, the previous turn's usage gives way to the live count (kept short, so
  // the live part at the end fits even a narrow terminal).
  if (state.lastUsage && !active) out.push({ text: usageText('last', state.lastUsage), tone: 'muted' });
  if (state.lastUsage && !active && !sameUsage(state.totals, state.lastUsage)) out.push({ text: usageText('total', state.totals), tone: 'muted' });
  const ctxUsage = state.lastUsage;
  if (state.limits) {
    const pct = ctxUsage ? contextPercent(ctxUsage, state.limits.contextWindow) : 0;
    out.push({
      text: `ctx ${pct < 10 ? pct.toFixed(1) : Math.round(pct)}% of ${formatTokens(state.limits.contextWindow)}`,
      tone: pct >= 90 ? 'error' : pct >= 75 ? 'warning' : 'muted',
    });
  }
  if (state.lastUsage) {
    const cost = conversationCost(state.messages, ctx.prices);
    if (cost.total > 0) out.push({ text: formatUsd(cost.total), tone: 'muted' });
  }
  const last = lastReply(state);
  if (!active && last && last.status === 'complete' && last.stop_reason === 'max_tokens') {
    out.push({ text: '⚠ stopped at max_tokens · Enter continues', tone: 'warning' });
  } else if (!active && last && last.stop_reason === 'model_context_window_exceeded') {
    out.push({ text: '⚠ context window full', tone: 'error' });
  }
  // Last: the part that changes while a reply streams, so a redraw rewrites only the row's tail.
  if (active) {
    const elapsed = ((ctx.now - active.startedAt) / 1000).toFixed(1);
    if (state.retryWait) {
      const w = state.retryWait;
      const secs = Math.max(0, Math.ceil((w.until - ctx.now) / 1000));
      out.push({ text: `${SPINNER[ctx.frame % SPINNER.length]} ${w.reason}, retrying in ${secs} s (attempt ${w.attempt}/${w.of}) · Esc cancels`, tone: 'warning' });
    } else if (state.phase === 'waiting' || active.firstTokenAt === null) {
      out.push({ text: `${SPINNER[ctx.frame % SPINNER.length]} waiting ${elapsed}s`, tone: 'normal' });
    } else {
      const live = ctx.liveTokens ?? liveReplyTokens(state, active);
      const share = live.tokens / ctx.maxTokens;
      out.push({
        // The spinner comes last: a turn of it rewrites one cell, not the count before it.
        text: `out ${live.final ? '' : '~'}${formatTokens(live.tokens)}/${formatTokens(ctx.maxTokens)} ${SPINNER[ctx.frame % SPINNER.length]}`,
        tone: share >= 0.8 ? 'warning' : 'normal',
      });
    }
  }
  return out;
}
