import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatEngine } from '../../src/chat/engine.js';
import { emptyReply, initialConversation, type ConversationState } from '../../src/domain/conversation.js';
import { SPINNER_MS, TranscriptView } from '../../src/ui/transcript-view.js';

/** An engine stand-in whose live reply has `tokens()` output tokens so far. */
function engineWith(tokens: () => number): ChatEngine {
  const reply = () => ({
    ...emptyReply('a1', 'm', 0),
    content: [{ type: 'text' as const, text: 'x'.repeat(tokens() * 4), citations: [] }],
    status: 'streaming' as const,
  });
  return {
    subscribe: () => () => {},
    getState: (): ConversationState => ({ ...initialConversation(), phase: 'streaming', activeId: 'a1', messages: [reply()] }),
  } as unknown as ChatEngine;
}

describe('the transcript view spinner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns once a second while text flows, four times a second while nothing arrives', () => {
    let n = 0;
    const flowing = new TranscriptView(
      engineWith(() => (n += 40)),
      null,
    );
    flowing.setBusy(true);
    vi.advanceTimersByTime(SPINNER_MS * 8);
    expect(flowing.spinnerFrame).toBe(2);
    flowing.dispose();

    const stalled = new TranscriptView(
      engineWith(() => 120),
      null,
    );
    stalled.setBusy(true);
    vi.advanceTimersByTime(SPINNER_MS * 8);
    // The first tick sees the count for the first time: after that nothing changes.
    expect(stalled.spinnerFrame).toBeGreaterThanOrEqual(7);
    stalled.dispose();
  });
});

describe('the cache clock while idle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('repaints the status bar once a second while the cache is warm, and stops once it says cold', async () => {
    const { conversationReducer } = await import('../../src/domain/conversation.js');
    const { fixtureEvents } = await import('../helpers/fixtures.js');
    const { monochromeTheme } = await import('../../src/theme.js');
    const { stripSgr } = await import('../../src/text/sgr.js');
    const T = Date.now();
    let s = conversationReducer(initialConversation(), {
      type: 'user_sent',
      userId: 'u1',
      assistantId: 'a1',
      text: 'hi',
      model: 'claude-sonnet-4-6',
      at: T,
    });
    s = conversationReducer(s, { type: 'stream_events', id: 'a1', events: fixtureEvents('05-max-tokens-cache-read-sonnet46.sse'), at: T });
    s = conversationReducer(s, { type: 'stream_completed', id: 'a1', requestId: null, at: T });
    const state = s;
    const engine = { subscribe: () => () => {}, getState: () => state } as unknown as ChatEngine;
    const statusRows: string[] = [];
    const screen = { setRegion: (rows: string[]) => statusRows.push(stripSgr(rows.at(-1)!)) };
    const view = new TranscriptView(engine, screen as never);
    view.setFrame({
      width: 120,
      height: 3,
      theme: monochromeTheme,
      menu: [],
      status: {
        session: { id: null, title: null, problem: null, readOnly: null },
        model: 'claude-sonnet-4-6',
        maxTokens: 8192,
        theme: monochromeTheme,
      },
      painting: true,
    } as never);
    expect(statusRows.at(-1)).toMatch(/warm 5:00$/);
    vi.advanceTimersByTime(48_000);
    expect(statusRows.at(-1)).toMatch(/warm 4:12$/);
    const paints = statusRows.length;
    expect(paints).toBeGreaterThanOrEqual(49);
    expect(paints).toBeLessThanOrEqual(51);
    vi.advanceTimersByTime(300_000);
    expect(statusRows.at(-1)).toMatch(/cold$/);
    const cold = statusRows.length;
    vi.advanceTimersByTime(10_000);
    expect(statusRows.length).toBe(cold);
    view.dispose();
  });
});
