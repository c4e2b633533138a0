import { describe, expect, it } from 'vitest';
import { thinkingParams, usesThinkingBudget } from '../../src/api/thinking.js';

describe('extended thinking request fields', () => {
  const on = { mode: 'on' as const, budgetTokens: 4096, effort: null };

  it('off sends nothing', () => {
    expect(thinkingParams('claude-sonnet-4-5', { ...on, mode: 'off' }, 8192)).toEqual({});
  });

  it('models up to 4.5 get a budget, kept below max_tokens and at least 1024', () => {
    expect(usesThinkingBudget('claude-haiku-4-5-20251001')).toBe(true);
    expect(thinkingParams('claude-sonnet-4-5', on, 8192)).toEqual({ thinking: { type: 'enabled', budget_tokens: 4096 } });
    expect(thinkingParams('claude-sonnet-4-5', on, 2000)).toEqual({ thinking: { type: 'enabled', budget_tokens: 1999 } });
    expect(thinkingParams('claude-sonnet-4-5', on, 1000)).toEqual({});
  });

  it('4.6+ and 5.x get adaptive thinking, with effort only when set', () => {
    expect(usesThinkingBudget('claude-opus-4-6')).toBe(false);
    expect(thinkingParams('claude-opus-4-6', on, 8192)).toEqual({ thinking: { type: 'adaptive', display: 'summarized' } });
    expect(thinkingParams('claude-sonnet-5-5', { ...on, effort: 'high' }, 8192)).toEqual({
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: 'high' },
    });
  });
});
