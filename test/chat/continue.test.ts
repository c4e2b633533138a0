import { messagesApi } from '../../src/api/port.js';
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/chat/engine.js';
import { SessionRecorder } from '../../src/chat/recorder.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { NO_SECRETS } from '../../src/domain/redact.js';
import { demoReply, loadHttpFixture, sseForText, startMessagesServer } from '../../src/server/index.js';
import { latestSession, loadSession } from '../../src/sessions/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

function engine(model: string, extra: Partial<ConstructorParameters<typeof ChatEngine>[0]> = {}) {
  const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
  return new ChatEngine({ api: messagesApi(client), model, maxTokens: 40, system: null, ...extra });
}

const reply = (e: ChatEngine): AssistantMessage =>
  e
    .getState()
    .messages.filter((m) => m.role === 'assistant')
    .at(-1) as AssistantMessage;
const textOf = (m: AssistantMessage) => m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
const lastBody = () =>
  server.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };

describe('continuing a reply cut at max_tokens', () => {
  it('on a prefill model (Haiku 4.5): the partial goes back right-trimmed as the final assistant turn', async () => {
    const e = engine('claude-haiku-4-5');
    server.enqueue({
      kind: 'sse',
      body: sseForText('One two three four five six seven eight nine ten eleven twelve', { model: 'claude-haiku-4-5', maxTokens: 4 }),
    });
    e.send('count');
    await e.settled();
    const partial = textOf(reply(e));
    expect(reply(e).stop_reason).toBe('max_tokens');
    server.enqueue({ kind: 'sse', body: sseForText(' five six.', { model: 'claude-haiku-4-5' }) });
    expect(e.continueReply()).toBe(true);
    await e.settled();
    const body = lastBody();
    expect(body.messages).toEqual([
      { role: 'user', content: 'count' },
      { role: 'assistant', content: partial.trimEnd() },
    ]);
    expect(textOf(reply(e))).toBe(`${partial.trimEnd()} five six.`);
    expect(reply(e).stop_reason).toBe('end_turn');
    expect(e.getState().messages.filter((m) => m.role === 'assistant')).toHaveLength(1);
  });

  it.each(['claude-sonnet-4-6', 'claude-opus-4-8', 'claude-sonnet-5-5', 'claude-fable-5-1'])(
    'on %s (no prefill): the partial, then a user turn asking to continue; never a trailing assistant turn',
    async (model) => {
      const e = engine(model);
      server.enqueue({ kind: 'sse', body: sseForText('Alpha beta gamma delta epsilon zeta eta theta', { model, maxTokens: 3 }) });
      e.send('greek');
      await e.settled();
      const partial = textOf(reply(e));
      server.enqueue({ kind: 'sse', body: sseForText(' delta epsilon.', { model }) });
      e.continueReply();
      await e.settled();
      const body = lastBody();
      expect(body.messages.at(-1)?.role).toBe('user');
      expect(body.messages.slice(0, 2)).toEqual([
        { role: 'user', content: 'greek' },
        { role: 'assistant', content: partial },
      ]);
      expect(String(body.messages[2]?.content)).toContain(partial.slice(-20));
      expect(textOf(reply(e)).replace(/\s+/g, ' ')).toContain('gamma delta epsilon.');
    },
  );

  it('when the server rejects prefill anyway (400), falls back to a user turn and remembers it for the model', async () => {
    const remembered: string[] = [];
    const e = engine('claude-opus-4-5', { onPrefillRejected: (m) => remembered.push(m) });
    server.enqueue({ kind: 'sse', body: sseForText('First part of the answer that goes on', { model: 'claude-opus-4-5', maxTokens: 3 }) });
    e.send('q');
    await e.settled();
    const before = server.requests.length;
    server.enqueue(loadHttpFixture(path.join(FIXTURES, 'http/400-prefill-not-supported.json')), {
      kind: 'sse',
      body: sseForText(' the answer.', { model: 'claude-opus-4-5' }),
    });
    e.continueReply();
    // The fallback turn is chained onto the first: one wait covers both.
    await e.settled();
    const sent = server.requests
      .slice(before)
      .filter((r) => r.path === '/v1/messages')
      .map((r) => (r.body as { messages: Array<{ role: string }> }).messages.at(-1)?.role);
    expect(sent).toEqual(['assistant', 'user']);
    expect(remembered).toEqual(['claude-opus-4-5']);
    expect(reply(e).status).toBe('complete');
    expect(e.getState().messages.some((m) => m.role === 'notice' && m.level === 'error')).toBe(false);
    // Next time it goes straight to the user turn.
    server.enqueue(
      { kind: 'sse', body: sseForText('More text here and there', { model: 'claude-opus-4-5', maxTokens: 2 }) },
      { kind: 'sse', body: sseForText('there.', { model: 'claude-opus-4-5' }) },
    );
    e.send('again');
    await e.settled();
    e.continueReply();
    await e.settled();
    expect(lastBody().messages.at(-1)?.role).toBe('user');
  });

  it('a two- and a three-part reply read as the one whole reply, in one message, with summed usage', async () => {
    const model = 'inkwell-demo';
    const e = engine(model, { maxTokens: 60 });
    server.setDefault({ kind: 'demo', tokensPerSecond: 100_000 });
    e.send('tell me about tables');
    await e.settled();
    const parts: number[] = [reply(e).usage.output_tokens];
    let rounds = 1;
    while (reply(e).stop_reason === 'max_tokens' && rounds < 10) {
      e.continueReply();
      await e.settled();
      parts.push(reply(e).usage.output_tokens);
      rounds++;
    }
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(textOf(reply(e))).toBe(demoReply('tell me about tables'));
    expect(e.getState().messages.filter((m) => m.role === 'assistant')).toHaveLength(1);
    expect(parts.at(-1)).toBe(e.getState().totals.output_tokens);
  });

  it('the session holds one assistant message with the stitched text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-cont-'));
    const recorder = new SessionRecorder({ dir, model: 'claude-sonnet-4-6', system: null, redactor: NO_SECRETS });
    const e = engine('claude-sonnet-4-6', { sink: recorder });
    server.enqueue({
      kind: 'sse',
      body: sseForText('The quick brown fox jumps over the lazy dog again', { model: 'claude-sonnet-4-6', maxTokens: 3 }),
    });
    e.send('fox');
    await e.settled();
    server.enqueue({ kind: 'sse', body: sseForText('brown fox jumps.', { model: 'claude-sonnet-4-6' }) });
    e.continueReply();
    await e.settled();
    recorder.close();
    const loaded = loadSession(dir, latestSession(dir)!.id);
    const replies = loaded.messages.filter((m) => m.role === 'assistant') as AssistantMessage[];
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0]!)).toBe(textOf(reply(e)));
    expect(textOf(replies[0]!)).toBe('The quick brown fox jumps.');
    expect(loaded.totals.output_tokens).toBe(e.getState().totals.output_tokens);
  });

  it('an interrupted reply can be continued too; a full context window cannot', async () => {
    const e = engine('claude-sonnet-4-6');
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '18-error-overloaded-midstream.sse') });
    e.send('hi');
    await e.settled();
    expect(reply(e).status).toBe('interrupted');
    expect(e.continueBlocker()).toBeNull();
    const ctx = engine('claude-sonnet-4-6');
    server.enqueue({
      kind: 'sse',
      body: sseForText('x', { model: 'claude-sonnet-4-6' }).replace('"end_turn"', '"model_context_window_exceeded"'),
    });
    ctx.send('big');
    await ctx.settled();
    expect(reply(ctx).stop_reason).toBe('model_context_window_exceeded');
    expect(ctx.continueBlocker()).toMatch(/context window is full.*\/new/);
    expect(ctx.continueReply()).toBe(false);
  });
});
