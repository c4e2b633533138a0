import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CountParams } from '../../src/api/count.js';
import { TokenCounter, withDraft } from '../../src/chat/token-count.js';
import type { ApiMessage } from '../../src/domain/conversation.js';

/** A fake count_tokens: 1 token per character of text (system and messages); records each call. */
function fakeApi(opts: { fail?: boolean; delayMs?: number } = {}) {
  const calls: CountParams[] = [];
  const chars = (p: CountParams) =>
    (p.system?.length ?? 0) +
    p.messages.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length), 0);
  return {
    calls,
    countTokens: async (p: CountParams, signal?: AbortSignal) => {
      calls.push(p);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.fail || signal?.aborted) return null;
      return chars(p);
    },
  };
}

const conversation: ApiMessage[] = [
  { role: 'user', content: 'hello' },
  {
    role: 'assistant',
    content: [{ type: 'thinking', thinking: 'x'.repeat(400), signature: 's' } as never, { type: 'text', text: 'hi' } as never],
  },
];
const source = () => ({ model: 'claude-sonnet-4-6', system: 'be brief', messages: conversation });

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenCounter', () => {
  it('counts once, 400 ms after the last keystroke, none while typing', async () => {
    vi.useFakeTimers();
    const api = fakeApi();
    const c = new TokenCounter(api, source);
    for (const draft of ['w', 'wh', 'wha', 'what']) {
      c.setDraft(draft, 2);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(api.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(399);
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'what' });
    expect(c.estimate).toBe(8 + 5 + JSON.stringify(conversation[1]!.content).length + 4);
  });

  it('drops a stale answer and falls back (null) when the count fails or the draft is cleared', async () => {
    vi.useFakeTimers();
    const slow = fakeApi({ delayMs: 1000 });
    const c = new TokenCounter(slow, source);
    c.setDraft('one', 2);
    await vi.advanceTimersByTimeAsync(500); // in flight
    c.setDraft('two', 2); // aborts it
    await vi.advanceTimersByTimeAsync(2000);
    expect(slow.calls).toHaveLength(2);
    expect(c.estimate).not.toBeNull();
    c.setDraft('two', 4); // a reply arrived: the count is stale
    expect(c.estimate).toBeNull();
    const failing = new TokenCounter(fakeApi({ fail: true }), source);
    failing.setDraft('x', 2);
    await vi.advanceTimersByTimeAsync(500);
    expect(failing.estimate).toBeNull();
  });

  it('breaks the context down with at most 3 requests', async () => {
    const api = fakeApi();
    const b = (await new TokenCounter(api, source).breakdown('draft'))!;
    expect(api.calls.length).toBeLessThanOrEqual(3);
    expect(b.system).toBe(8);
    expect(b.draft).toBe(5);
    expect(b.thinking).toBe(100);
    expect(b.total).toBe(b.system + b.conversation + b.draft);
  });

  it('appends a draft to a trailing user turn', () => {
    expect(withDraft([{ role: 'user', content: 'a' }], 'b')).toEqual([{ role: 'user', content: 'a\n\nb' }]);
  });
});
