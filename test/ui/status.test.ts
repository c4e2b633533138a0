import { describe, expect, it } from 'vitest';
import { conversationReducer, initialConversation, type ConversationState } from '../../src/domain/conversation.js';
import { darkTheme, monochromeTheme, setColorLevel } from '../../src/theme.js';
import { statusLine } from '../../src/ui/StatusBar.js';
import { liveReplyTokens, statusSegments } from '../../src/ui/status.js';
import { fixtureEvents } from '../helpers/fixtures.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]$/;
const plain = (s: string) => s.replace(/\x1b\[[\d;]*m/g, '');

/** A reply streaming: the prompt sent and the first `n` events of a recorded stream applied. */
function streaming(n: number): ConversationState {
  let s = conversationReducer(initialConversation(), { type: 'user_sent', userId: 'u1', assistantId: 'a1', text: 'hi', model: 'claude-sonnet-4-5', at: 1 });
  const events = fixtureEvents('03-text-long-markdown-compaction-opus46.sse').slice(0, n);
  s = conversationReducer(s, { type: 'stream_events', id: 'a1', events, at: 2 });
  return s;
}

const ctx = { model: 'claude-sonnet-4-5', maxTokens: 8192, now: 1000, frame: 3 };

describe('the status bar while a reply streams', () => {
  it('ends with the spinner, after the live output count (so a turn of it rewrites one cell)', () => {
    const state = streaming(60);
    const last = statusSegments(state, ctx).at(-1)!;
    expect(last.text).toMatch(SPINNER);
    expect(last.text).toMatch(/^out ~\d+\/8\.2k /);
    const live = liveReplyTokens(state);
    expect(live.final).toBe(false);
    expect(live.tokens % 10).toBe(0);
    expect(last.text).toContain(`~${live.tokens}/`);
  });

  it('shows the count sampled at the last spinner turn when one is given, not the newest', () => {
    const state = streaming(200);
    const sampled = statusSegments(state, { ...ctx, liveTokens: { tokens: 40, final: false } }).at(-1)!;
    expect(sampled.text.startsWith('out ~40/8.2k ')).toBe(true);
    expect(liveReplyTokens(state).tokens).toBeGreaterThan(40);
  });

  it('the line: the same inputs give the same text, a change of content, width or theme a new one', () => {
    setColorLevel(1); // colour on whatever the test runner's terminal is
    const state = streaming(60);
    const props = { state, session: { id: null, title: null, problem: null, readOnly: null }, model: 'claude-sonnet-4-5', maxTokens: 8192, frame: 1, theme: darkTheme };
    const a = statusLine(props, 100);
    expect(statusLine(props, 100)).toBe(a);
    expect(a).toContain('\x1b[36m'); // the model, in the dark theme's accent
    expect(statusLine({ ...props, theme: monochromeTheme }, 100)).not.toContain('\x1b[36m');
    expect(plain(statusLine({ ...props, frame: 2 }, 100))).not.toBe(plain(a));
    expect(plain(statusLine(props, 20)).length).toBeLessThanOrEqual(20);

  });
});
