import { describe, expect, it } from 'vitest';
import {
  conversationReducer,
  initialConversation,
  toApiMessages,
  type ConversationAction,
  type ConversationState,
} from '../../src/domain/conversation.js';
import { describeStop } from '../../src/domain/stops.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { fixtureEvents, fixtureSummary } from '../helpers/fixtures.js';

function run(actions: ConversationAction[], from: ConversationState = initialConversation()): ConversationState {
  return actions.reduce(conversationReducer, from);
}

const send = (n: number, text = `prompt ${n}`): ConversationAction => ({
  type: 'user_sent',
  userId: `u${n}`,
  assistantId: `a${n}`,
  text,
  model: 'claude-test',
  at: n * 1000,
});

function reply(state: ConversationState, id: string): AssistantMessage {
  const m = state.messages.find((x) => x.id === id);
  if (m?.role !== 'assistant') throw new Error(`no reply ${id}`);
  return m;
}

describe('the conversation reducer', () => {
  it('a sent prompt adds the user message and a waiting reply', () => {
    const s = run([send(1)]);
    expect(s.phase).toBe('waiting');
    expect(s.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(reply(s, 'a1').status).toBe('waiting');
  });

  it('a streamed fixture completes the reply and adds its usage to the totals', () => {
    const { events, usage } = fixtureSummary('01-text-short-sonnet45.sse');
    const s = run([
      send(1),
      { type: 'stream_events', id: 'a1', events: events.slice(0, 4), at: 1100 },
      { type: 'stream_events', id: 'a1', events: events.slice(4), at: 1200 },
      { type: 'stream_completed', id: 'a1', requestId: 'req_1', at: 1300 },
    ]);
    expect(s.phase).toBe('idle');
    expect(reply(s, 'a1')).toMatchObject({ status: 'complete', requestId: 'req_1', stop_reason: 'end_turn' });
    expect(s.totals).toEqual(usage);
    expect(s.lastUsage).toEqual(usage);
  });

  it('streaming phase starts with the first event', () => {
    const events = fixtureEvents('01-text-short-sonnet45.sse');
    const s = run([send(1), { type: 'stream_events', id: 'a1', events: events.slice(0, 2), at: 1100 }]);
    expect(s.phase).toBe('streaming');
  });

  it('totals over two turns are the sum of each reply’s final usage (never the estimates)', () => {
    const one = fixtureSummary('01-text-short-sonnet45.sse');
    const two = fixtureSummary('04-max-tokens-cache-write-sonnet46.sse');
    const s = run([
      send(1),
      { type: 'stream_events', id: 'a1', events: one.events, at: 1 },
      { type: 'stream_completed', id: 'a1', requestId: null, at: 2 },
      send(2),
      { type: 'stream_events', id: 'a2', events: two.events, at: 3 },
      { type: 'stream_completed', id: 'a2', requestId: null, at: 4 },
    ]);
    expect(s.totals.input_tokens).toBe(one.usage.input_tokens + two.usage.input_tokens);
    expect(s.totals.cache_creation_input_tokens).toBe(two.usage.cache_creation_input_tokens);
    expect(s.totals.output_tokens).toBe(one.usage.output_tokens + two.usage.output_tokens);
  });

  it('an error mid-stream keeps the partial reply, marks it interrupted and says why', () => {
    const events = fixtureEvents('18-error-overloaded-midstream.sse').filter((e) => e.type !== 'error');
    const s = run([
      send(1),
      { type: 'stream_events', id: 'a1', events, at: 1100 },
      {
        type: 'stream_failed',
        id: 'a1',
        message: 'The API is overloaded.',
        reason: 'the server was overloaded',
        requestId: 'req_9',
        at: 1200,
      },
    ]);
    const a = reply(s, 'a1');
    expect(a.status).toBe('interrupted');
    expect(a.interruption?.reason).toBe('the server was overloaded');
    expect(a.content[0]).toMatchObject({ type: 'text' });
    expect(s.messages.at(-1)).toMatchObject({ role: 'notice', level: 'error', text: 'The API is overloaded.' });
    expect(s.phase).toBe('idle');
    expect(s.totals.output_tokens).toBe(0);
  });

  it('a failure before any content drops the empty reply but keeps the prompt', () => {
    const s = run([send(1), { type: 'stream_failed', id: 'a1', message: 'bad key', reason: 'auth', requestId: null, at: 5 }]);
    expect(s.messages.map((m) => m.role)).toEqual(['user', 'notice']);
  });

  it('Esc keeps what arrived, marked interrupted', () => {
    const events = fixtureEvents('02-text-medium-markdown-list-sonnet45.sse');
    const s = run([
      send(1),
      { type: 'stream_events', id: 'a1', events: events.slice(0, 20), at: 5 },
      { type: 'stream_aborted', id: 'a1', reason: 'you pressed Esc', at: 6 },
    ]);
    expect(reply(s, 'a1')).toMatchObject({ status: 'interrupted', interruption: { reason: 'you pressed Esc' } });
    expect(describeStop(reply(s, 'a1'))?.text).toContain('you pressed Esc');
  });

  it('builds alternating API history from prompts and the replies’ wire blocks', () => {
    const one = fixtureSummary('01-text-short-sonnet45.sse');
    const s = run([
      { type: 'notice', id: 'n', level: 'info', text: 'hello', at: 0 },
      send(1, 'first'),
      { type: 'stream_failed', id: 'a1', message: 'x', reason: 'y', requestId: null, at: 1 },
      send(2, 'second'),
      { type: 'stream_events', id: 'a2', events: one.events, at: 2 },
      { type: 'stream_completed', id: 'a2', requestId: null, at: 3 },
      send(3, 'third'),
    ]);
    // "first" failed before any reply: it is marked unsent and not glued onto "second".
    expect(s.messages.find((m) => m.id === 'u1')).toMatchObject({ unsent: true });
    expect(toApiMessages(s.messages)).toEqual([
      { role: 'user', content: 'second' },
      { role: 'assistant', content: [{ type: 'text', text: one.text }] },
      { role: 'user', content: 'third' },
    ]);
  });
});

describe('stop reasons in plain words', () => {
  const base = run([send(1)]);
  const withStop = (events: string) => reply(run([{ type: 'stream_events', id: 'a1', events: fixtureEvents(events), at: 1 }], base), 'a1');

  it('end_turn needs no words; max_tokens, refusal and stop_sequence do', () => {
    expect(describeStop(withStop('01-text-short-sonnet45.sse'))).toBeNull();
    expect(describeStop(withStop('04-max-tokens-cache-write-sonnet46.sse'))).toMatchObject({
      level: 'warning',
      text: expect.stringContaining('max_tokens'),
    });
    const refusal = describeStop(withStop('17-refusal-fable51.sse'));
    expect(refusal?.text).toContain('declined');
    expect(refusal?.text).toContain('reasoning_extraction');
    expect(describeStop(withStop('14-prefill-stop-sequence-haiku45.sse'))?.text).toContain('"```"');
    expect(describeStop(withStop('16-pause-turn-web-search-sonnet45.sse'))?.text).toContain('pause_turn');
    expect(describeStop(withStop('11-tool-use-parallel-sonnet4.sse'))?.text).toContain('inkwell runs no tools');
  });

  it('model_context_window_exceeded explains the window is full', () => {
    const m = { ...withStop('01-text-short-sonnet45.sse'), stop_reason: 'model_context_window_exceeded' };
    expect(describeStop(m)?.text).toMatch(/context window/);
  });
});
