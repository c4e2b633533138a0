import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/domain/conversation.js';
import { initialConversation } from '../../src/domain/conversation.js';
import type { Message } from '../../src/domain/types.js';
import { plainTheme } from '../../src/theme.js';
import { PromptQueue, queueRows, replyOutcome, type DraftKeeper } from '../../src/ui/queue.js';

/** The engine as the queue sees it: a state the test sets, and what was sent or said. */
function fakeEngine() {
  let state: ConversationState = initialConversation();
  const listeners = new Set<() => void>();
  const sent: string[] = [];
  const notices: string[] = [];
  return {
    sent,
    notices,
    set(patch: Partial<ConversationState>) {
      state = { ...state, ...patch };
      for (const l of listeners) l();
    },
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getState: () => state,
    send: (text: string) => {
      if (state.phase !== 'idle') return false;
      sent.push(text);
      return true;
    },
    notify: (_level: string, text: string) => void notices.push(text),
  };
}

function drafts(initial: string[] = [], id: string | null = 's1') {
  const saved: string[][] = [];
  const keeper: DraftKeeper & { saved: string[][] } = {
    saved,
    saveDraft: (q) => {
      saved.push([...q]);
      return null;
    },
    loadDraft: () => initial,
    status: () => ({ id }),
    subscribe: () => () => {},
  };
  return keeper;
}

const user = (id: string): Message => ({ role: 'user', id, text: 'q', createdAt: 0 });
const reply = (id: string, status: 'complete' | 'interrupted'): Message =>
  ({ role: 'assistant', id, status, content: [] }) as unknown as Message;
const errorNotice = (id: string): Message => ({ role: 'notice', id, level: 'error', text: 'overloaded', createdAt: 0 });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('replyOutcome', () => {
  it('tells a reply that completed from one that failed or was stopped', () => {
    const s = initialConversation();
    expect(replyOutcome({ ...s, messages: [user('u1'), reply('a1', 'complete')] })).toBe('complete');
    expect(replyOutcome({ ...s, messages: [user('u1'), reply('a1', 'interrupted'), errorNotice('a1-error')] })).toBe('error');
    expect(replyOutcome({ ...s, messages: [user('u1'), reply('a1', 'interrupted')] })).toBe('stopped');
    // Stopped before it began: the reply was removed; the earlier completed one does not count.
    expect(replyOutcome({ ...s, messages: [user('u1'), reply('a1', 'complete'), user('u2')] })).toBe('stopped');
  });
});

describe('PromptQueue', () => {
  it('holds prompts while a reply streams and sends them one per reply that ends well, saving the draft each time', async () => {
    const engine = fakeEngine();
    const keeper = drafts();
    const q = new PromptQueue(engine, keeper);
    engine.set({ phase: 'streaming', messages: [user('u1')] });
    q.add('second');
    q.add('third');
    q.add('   ');
    expect(q.snapshot().prompts).toEqual(['second', 'third']);
    expect(keeper.saved.at(-1)).toEqual(['second', 'third']);
    expect(engine.sent).toEqual([]);
    engine.set({ phase: 'idle', messages: [user('u1'), reply('a1', 'complete')] });
    await tick();
    expect(engine.sent).toEqual(['second']);
    expect(keeper.saved.at(-1)).toEqual(['third']);
    engine.set({ phase: 'streaming', messages: [user('u1'), reply('a1', 'complete'), user('u2')] });
    engine.set({ phase: 'idle', messages: [user('u1'), reply('a1', 'complete'), user('u2'), reply('a2', 'complete')] });
    await tick();
    expect(engine.sent).toEqual(['second', 'third']);
    expect(keeper.saved.at(-1)).toEqual([]);
    q.dispose();
  });

  it('an error holds the queue and says so; Enter (release) sends it; Esc asks once, then clears', async () => {
    const engine = fakeEngine();
    const q = new PromptQueue(engine, null);
    engine.set({ phase: 'streaming', messages: [user('u1')] });
    q.add('next');
    engine.set({ phase: 'idle', messages: [user('u1'), reply('a1', 'interrupted'), errorNotice('a1-error')] });
    await tick();
    expect(engine.sent).toEqual([]);
    expect(q.snapshot().held).toBe('error');
    expect(engine.notices.at(-1)).toMatch(/ended in an error, so the queued prompt was not sent/);
    expect(q.escape()).toBe('asked');
    q.disarm();
    expect(q.escape()).toBe('asked');
    expect(q.escape()).toBe('cleared');
    expect(q.size).toBe(0);
    expect(q.escape()).toBe('none');
    q.add('again');
    engine.set({ phase: 'streaming' });
    engine.set({ phase: 'idle', messages: [user('u1'), reply('a1', 'interrupted')] });
    expect(q.snapshot().held).toBe('stopped');
    expect(q.release()).toBe(true);
    expect(engine.sent).toEqual(['again']);
    q.dispose();
  });

  it("restores the open session's draft, held, with a notice", async () => {
    const engine = fakeEngine();
    const q = new PromptQueue(engine, drafts(['left over', 'and this']));
    await tick();
    expect(q.snapshot()).toMatchObject({ prompts: ['left over', 'and this'], held: 'restored' });
    expect(engine.notices[0]).toMatch(/2 prompts queued before inkwell stopped are back/);
    q.dispose();
  });
});

describe('PromptQueue across sessions', () => {
  it('a new session takes what is queued as its draft; another session brings its own; /new empties it', async () => {
    const engine = fakeEngine();
    let id: string | null = null;
    let tell = () => {};
    const saved: Array<[string | null, string[]]> = [];
    const keeper: DraftKeeper = {
      saveDraft: (q) => {
        saved.push([id, [...q]]);
        return null;
      },
      loadDraft: () => (id === 'b' ? ['from b'] : []),
      status: () => ({ id }),
      subscribe: (l) => {
        tell = l;
        return () => {};
      },
    };
    const q = new PromptQueue(engine, keeper);
    engine.set({ phase: 'streaming', messages: [user('u1')] });
    q.add('typed ahead');
    id = 'a';
    tell();
    expect(saved.at(-1)).toEqual(['a', ['typed ahead']]);
    id = 'b';
    tell();
    expect(q.snapshot()).toMatchObject({ prompts: ['from b'], held: 'restored' });
    id = null;
    tell();
    expect(q.size).toBe(0);
    q.dispose();
  });
});

describe('queueRows', () => {
  it('one dimmed row per prompt (first line, cut to the width), then how many more, then what the keys do', () => {
    const rows = queueRows({ prompts: ['a\nb', 'x'.repeat(50), 'c', 'd', 'e'], held: 'error', confirmingClear: false }, 30, plainTheme);
    expect(rows).toEqual([
      'queued › a b',
      `queued › ${'x'.repeat(20)}…`,
      'queued › c',
      'queued   +2 more',
      'held: the reply ended in an e…',
    ]);
    expect(queueRows({ prompts: ['a'], held: null, confirmingClear: true }, 80, plainTheme)).toEqual([
      'queued › a',
      'Esc again clears the queued prompt',
    ]);
    expect(queueRows({ prompts: [], held: null, confirmingClear: false }, 80, plainTheme)).toEqual([]);
  });
});
