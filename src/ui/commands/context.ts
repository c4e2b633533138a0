import type { ContextBreakdown } from '../../chat/token-count.js';
import { contextTokens } from '../../domain/usage.js';
import { formatTokens } from '../status.js';
import { say, type CommandContext } from './types.js';

/** ` of 200k (6.2%)` for `tokens` of a context window, or '' when the window is unknown. */
function ofWindow(tokens: number, window: number | null): string {
  if (!window) return '';
  const pct = (tokens / window) * 100;
  return ` of ${formatTokens(window)} (${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%)`;
}

/**
 * `/context`'s line for a breakdown, e.g. `Context: 12k of 200k (6.0%) · system 1.2k ·
 * conversation 11k (thinking ≈ 2k) · draft 40`.
 * @param window the model's context window in tokens, or null when unknown
 */
export function contextText(b: ContextBreakdown, window: number | null): string {
  const thinking = b.thinking > 0 ? ` (thinking ≈ ${formatTokens(b.thinking)})` : '';
  return `Context: ${formatTokens(b.total)}${ofWindow(b.total, window)} · system ${formatTokens(b.system)} · conversation ${formatTokens(b.conversation)}${thinking} · draft ${formatTokens(b.draft)}`;
}

/**
 * /context [draft]: the next request's input against the model's window, split into system,
 * conversation (its thinking estimated) and draft (the text after the command), counted with
 * count_tokens (at most 3 requests); when counting fails, the last reply's usage.
 */
export function contextCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  const window = engine.getState().limits?.contextWindow ?? null;
  const fallback = (): void => {
    const u = engine.getState().lastUsage;
    say(
      ctx,
      'info',
      u
        ? `Context: ${formatTokens(contextTokens(u))}${ofWindow(contextTokens(u), window)} at the last reply (no count available now).`
        : 'Context: nothing sent yet, and no count available.',
    );
  };
  if (!ctx.tokens) {
    fallback();
    return;
  }
  void ctx.tokens.breakdown(arg).then((b) => (b ? say(ctx, 'info', contextText(b, window)) : fallback()));
}
