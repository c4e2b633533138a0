import { messagesApi } from '../../src/api/port.js';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { isTextBlock } from '../../src/domain/wire.js';
import { ChatEngine } from '../../src/chat/engine.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { createRedactor } from '../../src/domain/redact.js';
import { loadHttpFixture, startMessagesServer } from '../../src/server/index.js';
import { FIXTURES, fixtureSummary } from '../helpers/fixtures.js';
import path from 'node:path';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

function engine(overrides: Partial<ConstructorParameters<typeof ChatEngine>[0]> = {}) {
  const client = new Anthropic({ apiKey: 'sk-ant-test-secret-1234', baseURL: server.url, maxRetries: 0 });
  return new ChatEngine({
    api: messagesApi(client),
    model: 'claude-sonnet-4-5',
    maxTokens: 1024,
    system: 'Be brief.',
    redactor: createRedactor(['sk-ant-test-secret-1234']),
    ...overrides,
  });
}

function lastReply(e: ChatEngine): AssistantMessage {
  const m = e
    .getState()
    .messages.filter((x) => x.role === 'assistant')
    .at(-1);
  if (m?.role !== 'assistant') throw new Error('no reply');
  return m;
}

const sse = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'sse' as const, path: path.join(FIXTURES, name), ...extra });

describe('the chat engine against the local Messages API server', () => {
  it('streams a recorded reply to completion with the fixture’s text and usage', async () => {
    const e = engine();
    server.enqueue(sse('02-text-medium-markdown-list-sonnet45.sse'));
    expect(e.send('Describe the image')).toBe(true);
    const outcome = await e.settled();
    expect(outcome?.ok).toBe(true);
    const want = fixtureSummary('02-text-medium-markdown-list-sonnet45.sse');
    const m = lastReply(e);
    expect(m.status).toBe('complete');
    expect(m.content.map((b) => (b.type === 'text' ? b.text : '')).join('')).toBe(want.text);
    expect(m.usage).toEqual(want.usage);
    expect(m.requestId).toMatch(/^req_/);
    expect(e.getState().totals).toEqual(want.usage);
  });

  it('sends exactly the model, max_tokens, system and history', async () => {
    const e = engine();
    server.enqueue(sse('01-text-short-sonnet45.sse'), sse('01-text-short-sonnet45.sse'));
    e.send('first question');
    await e.settled();
    const before = server.requests.length;
    e.send('second question');
    await e.settled();
    const body = server.requests.slice(before).find((r) => r.path === '/v1/messages')!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: 'Be brief.',
      stream: true,
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: [{ type: 'text', text: fixtureSummary('01-text-short-sonnet45.sse').text }] },
        { role: 'user', content: 'second question' },
      ],
    });
    expect(body).not.toHaveProperty('temperature');
  });

  it('coalesces deltas: far fewer state updates than stream events', async () => {
    const e = engine({ frameMs: 16 });
    let updates = 0;
    e.subscribe(() => updates++);
    server.enqueue(sse('03-text-long-markdown-compaction-opus46.sse', { chunkBytes: 4096 }));
    e.send('long please');
    await e.settled();
    const events = fixtureSummary('03-text-long-markdown-compaction-opus46.sse').events.length;
    expect(lastReply(e).status).toBe('complete');
    expect(updates).toBeLessThan(events / 4);
  });

  it('a mid-stream overloaded error keeps the partial reply, interrupted, with a plain notice', async () => {
    const e = engine();
    server.enqueue(sse('18-error-overloaded-midstream.sse'));
    e.send('hi');
    const outcome = await e.settled();
    expect(outcome?.ok).toBe(false);
    const m = lastReply(e);
    expect(m.status).toBe('interrupted');
    expect(m.interruption?.reason).toMatch(/overloaded/);
    const first = m.content[0];
    expect(first && isTextBlock(first) && first.text.length).toBeGreaterThan(0);
    const notice = e.getState().messages.at(-1);
    expect(notice).toMatchObject({ role: 'notice', level: 'error' });
    expect(notice?.role === 'notice' && notice.text).toMatch(/overloaded/i);
    expect(e.getState().phase).toBe('idle');
  });

  it('a rejected key explains how to set ANTHROPIC_API_KEY and never shows the key', async () => {
    const e = engine();
    server.enqueue(loadHttpFixture(path.join(FIXTURES, 'http/401-authentication.json')));
    e.send('hi');
    await e.settled();
    const notice = e.getState().messages.at(-1);
    expect(notice?.role).toBe('notice');
    const text = notice?.role === 'notice' ? notice.text : '';
    expect(text).toContain('ANTHROPIC_API_KEY');
    expect(text).not.toContain('sk-ant-test-secret-1234');
  });

  it('Esc (abort) mid-stream keeps what arrived, marked interrupted', async () => {
    const e = engine();
    server.enqueue(sse('03-text-long-markdown-compaction-opus46.sse', { tokensPerSecond: 200 }));
    e.send('go');
    await new Promise<void>((resolve) => {
      const off = e.subscribe(() => {
        const m = lastReply(e);
        if (m.content.some((b) => isTextBlock(b) && b.text.length > 50)) {
          off();
          resolve();
        }
      });
    });
    expect(e.abort()).toBe(true);
    await e.settled();
    const m = lastReply(e);
    expect(m.status).toBe('interrupted');
    expect(m.interruption?.reason).toBe('you pressed Esc');
    expect(e.getState().phase).toBe('idle');
  });

  it('learns the context window from the Models API', async () => {
    const e = engine();
    await e.loadLimits();
    expect(e.getState().limits).toMatchObject({ model: 'claude-sonnet-4-5', contextWindow: 200000, source: 'api' });
  });

  it('falls back to the table when the Models API does not know the model', async () => {
    const e = engine({ model: 'claude-opus-4-6-something-new' });
    await e.loadLimits();
    expect(e.getState().limits).toMatchObject({ source: 'fallback', contextWindow: 1_000_000 });
  });
});
