import { describe, expect, it } from 'vitest';
import type { CountParams } from '../../../src/api/count.js';
import type { MessagesApi } from '../../../src/api/port.js';
import { ChatEngine } from '../../../src/chat/engine.js';
import { TokenCounter } from '../../../src/chat/token-count.js';
import { contextCommand, contextText } from '../../../src/ui/commands/context.js';
import type { CommandContext } from '../../../src/ui/commands/types.js';

/** count_tokens answering 1 token per character of system and message text. */
function counter(engine: ChatEngine, fail = false) {
  const calls: CountParams[] = [];
  const api = {
    countTokens: async (p: CountParams) => {
      calls.push(p);
      if (fail) return null;
      return (p.system?.length ?? 0) + p.messages.reduce((n, m) => n + String(m.content).length, 0);
    },
  };
  const c = new TokenCounter(api, () => ({ model: 'm', system: engine.settings.system, messages: [{ role: 'user', content: 'hello' }] }));
  return { c, calls };
}

function setup(fail = false) {
  const engine = new ChatEngine({ api: {} as MessagesApi, model: 'claude-sonnet-4-6', maxTokens: 1000, system: 'be brief' });
  engine.dispatch({ type: 'model_limits', limits: { contextWindow: 200_000, maxOutputTokens: 64_000 } } as never);
  const { c, calls } = counter(engine, fail);
  const ctx = { engine, sessions: null, openPicker: () => {}, quit: () => {}, tokens: c } as CommandContext;
  const notices = () => engine.getState().messages.flatMap((m) => (m.role === 'notice' ? [m.text] : []));
  return { ctx, calls, notices };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('/context', () => {
  it('splits system, conversation and draft with at most 3 counts', async () => {
    const { ctx, calls, notices } = setup();
    contextCommand(ctx, 'a draft');
    await settle();
    expect(calls.length).toBeLessThanOrEqual(3);
    // The draft joins the trailing user turn after a blank line: 7 characters and 2 newlines.
    expect(notices().at(-1)).toBe('Context: 22 of 200k (0.0%) · system 8 · conversation 5 · draft 9');
  });

  it('says the last usage when counting fails', async () => {
    const { ctx, notices } = setup(true);
    contextCommand(ctx, '');
    await settle();
    expect(notices().at(-1)).toBe('Context: nothing sent yet, and no count available.');
  });

  it('names the thinking estimate', () => {
    expect(contextText({ system: 0, conversation: 3000, thinking: 1200, draft: 0, total: 3000 }, null)).toBe(
      'Context: 3k · system 0 · conversation 3k (thinking ≈ 1.2k) · draft 0',
    );
  });
});
