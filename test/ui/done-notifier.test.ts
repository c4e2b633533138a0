import { describe, expect, it } from 'vitest';
import { type ConversationState, initialConversation } from '../../src/domain/conversation.js';
import type { Message } from '../../src/domain/types.js';
import type { Notification } from '../../src/terminal/notify.js';
import { DoneNotifier, doneNotification, LONG_RETRY_WAIT_MS } from '../../src/ui/done-notifier.js';

const usage = { input_tokens: 1000, output_tokens: 412, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const user: Message = { role: 'user', id: 'u1', text: 'Tell me about\npelicans', createdAt: 0 };
const reply = (status: 'complete' | 'interrupted', text = 'Pelicans.'): Message =>
  ({ role: 'assistant', id: 'a1', model: 'claude-sonnet-4-6', status, usage, content: [{ type: 'text', text }] }) as unknown as Message;

function setup(focused: boolean) {
  let state: ConversationState = initialConversation();
  const listeners = new Set<() => void>();
  const posted: Notification[] = [];
  let clock = 0;
  const engine = {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getState: () => state,
  };
  const focus = { focused };
  const notifier = new DoneNotifier(
    { engine, screen: { notify: (_p, n) => void posted.push(n) }, protocol: 'osc9', tmux: false, focus, title: () => null },
    () => clock,
  );
  return {
    posted,
    focus,
    notifier,
    advance: (ms: number) => (clock += ms),
    set(patch: Partial<ConversationState>) {
      state = { ...state, ...patch };
      for (const l of listeners) l();
    },
  };
}
const settle = () => new Promise((r) => setTimeout(r, 120));

describe('doneNotification', () => {
  it('names the session (its first prompt without a title) and the reply’s outcome, output tokens and cost', () => {
    const s = { ...initialConversation(), messages: [user, reply('complete')] };
    const n = doneNotification(s, null);
    expect(n.title).toBe('Tell me about pelicans');
    expect(n.body).toMatch(/^Reply done · 412 tokens · \$0\.\d{4}$/);
    expect(doneNotification({ ...s, messages: [user, reply('interrupted')] }, 'Birds')).toMatchObject({
      title: 'Birds',
      body: expect.stringMatching(/^Reply stopped · 412 tokens/),
    });
  });
});

describe('DoneNotifier', () => {
  it('pings once when a reply ends unfocused, not when focused, not while another turn follows at once', async () => {
    const t = setup(false);
    t.set({ phase: 'streaming', messages: [user] });
    t.set({ phase: 'idle', messages: [user, reply('complete')] });
    await settle();
    expect(t.posted).toHaveLength(1);
    // A turn that follows at once (a queued prompt): one ping for the lot, at its end.
    t.set({ phase: 'streaming' });
    t.set({ phase: 'idle' });
    t.set({ phase: 'waiting' });
    await settle();
    expect(t.posted).toHaveLength(1);
    t.focus.focused = true;
    t.set({ phase: 'idle' });
    await settle();
    expect(t.posted).toHaveLength(1);
    t.notifier.dispose();
  });

  it('pings when a long retry wait ends with the request sent again (not a short one)', () => {
    const t = setup(false);
    const wait = { attempt: 2, of: 5, until: 0, reason: 'overloaded' };
    t.set({ phase: 'waiting', messages: [user], retryWait: wait });
    t.advance(2000);
    t.set({ retryWait: null });
    expect(t.posted).toHaveLength(0);
    t.set({ retryWait: wait });
    t.advance(LONG_RETRY_WAIT_MS + 500);
    t.set({ retryWait: null });
    expect(t.posted.map((n) => n.body)).toEqual(['Retry wait over after 11 s · the request was sent again']);
    t.notifier.dispose();
  });
});
