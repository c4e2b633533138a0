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
