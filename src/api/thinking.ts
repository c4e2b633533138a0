/**
 * Extended thinking: what the request asks for, per model generation.
 * Models up to the 4.5 generation take `thinking: {type: "enabled", budget_tokens}` (budget ≥ 1024
 * and below max_tokens); 4.6+ and 5.x take `thinking: {type: "adaptive"}` with an optional
 * `output_config.effort` (SDK 1.12 `ThinkingConfigParam`, `OutputConfig`;
 * platform.claude.com/docs/en/build-with-claude/extended-thinking).
 */

/** Effort levels of adaptive thinking (SDK 1.12 `OutputConfig.effort`). */
export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** The user's thinking choice. */
export interface ThinkingSetting {
  mode: 'on' | 'off';
  /** Budget for budget-style models, in tokens (≥ 1024; clamped below max_tokens). */
  budgetTokens: number;
  /** Effort for adaptive models; null leaves the model's default. */
  effort: Effort | null;
}

/** Default budget for budget-style thinking, in tokens. */
export const DEFAULT_THINKING_BUDGET = 4096;

/** The smallest budget the API accepts, in tokens. */
export const MIN_THINKING_BUDGET = 1024;

/** Every effort level, low to high. */
export const EFFORTS: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

const BUDGET_STYLE = [
  'claude-3-7',
  'claude-haiku-4-5',
  'claude-sonnet-4-5',
  'claude-opus-4-5',
  'claude-opus-4-1',
  'claude-opus-4-0',
  'claude-sonnet-4-0',
  'claude-opus-4-2025',
  'claude-sonnet-4-2025',
];

/** Whether a model takes a thinking budget (older) rather than adaptive thinking with effort. */
export function usesThinkingBudget(model: string): boolean {
  return BUDGET_STYLE.some((p) => model.startsWith(p));
}

/**
 * The request fields for a thinking setting, or {} when it is off.
 * @param maxTokens the request's `max_tokens`: a budget must stay below it; when it cannot (max_tokens
 *   ≤ 1024) thinking is left off rather than sending a request the API rejects
 */
export function thinkingParams(model: string, t: ThinkingSetting, maxTokens: number): Record<string, unknown> {
  if (t.mode !== 'on') return {};
  if (usesThinkingBudget(model)) {
    const budget = Math.min(Math.max(MIN_THINKING_BUDGET, t.budgetTokens), maxTokens - 1);
    return budget < MIN_THINKING_BUDGET ? {} : { thinking: { type: 'enabled', budget_tokens: budget } };
  }
  return {
    thinking: { type: 'adaptive', display: 'summarized' },
    ...(t.effort ? { output_config: { effort: t.effort } } : {}),
  };
}
