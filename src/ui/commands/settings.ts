import { EFFORTS, MIN_THINKING_BUDGET, type Effort } from '../../api/thinking.js';
import { COST_KINDS, costBreakdown, conversationCost, formatUsd, sideRequestsCost, type CostBreakdown } from '../../domain/cost.js';
import { tellPrefixBreak } from './cache.js';
import { say, type CommandContext } from './types.js';

/** /model: list the models the API offers; /model <id>: use it for the next replies. */
export function modelCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  if (arg) {
    const changed = arg !== engine.settings.model;
    engine.configure({ model: arg });
    engine.notify('info', `Model for the next replies: ${arg}.`);
    if (changed) tellPrefixBreak(ctx, 'model');
    return;
  }
  void engine.listModels().then((ids) => {
    engine.notify(
      'info',
      ids.length
        ? `Current model: ${engine.settings.model}. Available: ${ids.join(', ')}. Switch with /model <id>.`
        : `Current model: ${engine.settings.model}. The Models API did not answer; /model <id> still switches.`,
    );
  });
}

/** /system: show the system prompt; /system <prompt>: set it; /system off: remove it. */
export function systemCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  if (!arg) {
    const cur = engine.settings.system;
    say(ctx, 'info', cur ? `System prompt: ${cur}` : 'No system prompt. Set one with /system <prompt>.');
    return;
  }
  const system = arg === 'off' ? null : arg;
  const changed = system !== engine.settings.system;
  engine.configure({ system });
  say(ctx, 'info', arg === 'off' ? 'System prompt removed for the next replies.' : 'System prompt set for the next replies.');
  if (changed) tellPrefixBreak(ctx, 'system');
}

/** /max-tokens: show max_tokens; /max-tokens <n>: set it (commas and underscores allowed), up to the model's limit. */
export function maxTokensCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  if (!arg) {
    say(ctx, 'info', `max_tokens is ${engine.settings.maxTokens.toLocaleString('en-US')}.`);
    return;
  }
  const n = Number(arg.replace(/[,_]/g, ''));
  const cap = engine.getState().limits?.maxOutputTokens ?? Infinity;
  if (!Number.isInteger(n) || n < 1) say(ctx, 'warning', 'Give a whole number of tokens, e.g. /max-tokens 16000.');
  else if (n > cap) say(ctx, 'warning', `${engine.settings.model} allows at most ${cap.toLocaleString('en-US')} output tokens.`);
  else {
    engine.configure({ maxTokens: n });
    say(ctx, 'info', `max_tokens is now ${n.toLocaleString('en-US')}.`);
  }
}

/** /thinking, /thinking on|off, /thinking budget <n>, /thinking effort <level>. */
export function thinkingCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  const t = engine.settings.thinking;
  const tell = (level: 'info' | 'warning', text: string) => engine.notify(level, text);
  const [word, value] = arg.toLowerCase().split(/\s+/);
  if (!word) {
    tell(
      'info',
      `Extended thinking is ${t.mode}${t.mode === 'on' ? ` (budget ${t.budgetTokens} tokens on budget-style models, effort ${t.effort ?? 'model default'} on adaptive ones)` : ''}. /thinking on|off|budget N|effort ${EFFORTS.join('|')}.`,
    );
    return;
  }
  if (word === 'on' || word === 'off') {
    engine.configure({ thinking: { ...t, mode: word } });
    tell('info', `Extended thinking ${word} for the next replies.`);
    if (word !== t.mode) tellPrefixBreak(ctx, 'thinking');
    return;
  }
  if (word === 'budget') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < MIN_THINKING_BUDGET)
      return tell('warning', `A thinking budget is a whole number of tokens, ${MIN_THINKING_BUDGET} or more.`);
    if (n >= engine.settings.maxTokens)
      return tell('warning', `The budget must stay below max_tokens (${engine.settings.maxTokens}); raise it with /max-tokens first.`);
    engine.configure({ thinking: { ...t, mode: 'on', budgetTokens: n } });
    tell('info', `Thinking on, budget ${n} tokens.`);
    if (t.mode !== 'on') tellPrefixBreak(ctx, 'thinking');
    return;
  }
  if (word === 'effort') {
    if (!EFFORTS.includes(value as Effort)) return tell('warning', `Effort is one of ${EFFORTS.join(', ')}.`);
    engine.configure({ thinking: { ...t, mode: 'on', effort: value as Effort } });
    tell('info', `Thinking on, effort ${value}.`);
    if (t.mode !== 'on') tellPrefixBreak(ctx, 'thinking');
    return;
  }
  tell('warning', 'Use /thinking on, /thinking off, /thinking budget <tokens> or /thinking effort <level>.');
}

/** The words for each kind of a cost breakdown, and what it counts. */
const COST_LABELS: Record<(typeof COST_KINDS)[number], { label: string; unit: string }> = {
  input: { label: 'input', unit: 'tokens' },
  output: { label: 'output', unit: 'tokens' },
  cacheWrite5m: { label: 'cache writes 5m', unit: 'tokens' },
  cacheWrite1h: { label: 'cache writes 1h', unit: 'tokens' },
  cacheRead: { label: 'cache reads', unit: 'tokens' },
  webSearch: { label: 'web searches', unit: 'searches' },
};

/**
 * The session's cost by kind, one line each (label, count, dollars) and the total, in aligned
 * columns, dollars to the hundredth of a cent, e.g. `cache reads      18,639 tokens  $0.0056`.
 */
export function costTable(b: CostBreakdown): string[] {
  // To the hundredth of a cent: the breakdown is for checking a bill, not a glance.
  const usd = (n: number): string => (n === 0 ? '$0' : n < 100 ? `$${n.toFixed(4)}` : formatUsd(n));
  const rows = COST_KINDS.map((k) => [COST_LABELS[k].label, b[k].count.toLocaleString('en-US'), COST_LABELS[k].unit, usd(b[k].usd)]);
  rows.push(['total', '', '', usd(b.total)]);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map(([label, n, unit, usd]) =>
    `  ${label!.padEnd(w[0]!)}  ${n!.padStart(w[1]!)} ${unit!.padEnd(w[2]!)}  ${usd!.padStart(w[3]!)}`.trimEnd(),
  );
}

/**
 * /cost: what this turn and this session cost, in dollars, then the session by kind (input,
 * output, cache writes 5m and 1h, cache reads, web searches: count and dollars) and the total.
 */
export function costCommand(ctx: CommandContext): void {
  const { engine } = ctx;
  const messages = engine.getState().messages;
  const c = conversationCost(messages, ctx.prices);
  const side = sideRequestsCost(ctx.sessions?.status().sideRequests ?? [], ctx.prices);
  c.total += side.usd;
  const head = [
    `This turn: ${c.turn === null ? 'unknown' : formatUsd(c.turn)}.`,
    `This session: ${formatUsd(c.total)}${c.unpriced ? ` (+${c.unpriced} repl${c.unpriced === 1 ? 'y' : 'ies'} on models with no price set)` : ''}.`,
  ];
  const titles = side.usd > 0 ? [`  session title (a small model's request)  ${formatUsd(side.usd)}`] : [];
  say(ctx, 'info', [head.join(' '), ...costTable(costBreakdown(messages, ctx.prices)), ...titles].join('\n'));
}
