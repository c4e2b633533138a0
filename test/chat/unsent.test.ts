import Anthropic from '@anthropic-ai/sdk';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesApi } from '../../src/api/port.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { SessionRecorder } from '../../src/chat/recorder.js';
import { toApiMessages } from '../../src/domain/conversation.js';
import { NO_SECRETS } from '../../src/domain/redact.js';
import type { UserMessage } from '../../src/domain/types.js';
import { loadHttpFixture, sseForText, startMessagesServer } from '../../src/server/index.js';
import { listSessions, loadSession } from '../../src/sessions/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';
import { tempDir } from '../sessions/helpers.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

const MODEL = 'claude-sonnet-4-6';

function engine(sink: SessionRecorder | null = null) {
  const client = new Anthropic({ apiKey: 'sk-ant-test-unsent', baseURL: server.url, maxRetries: 0 });
  return new ChatEngine({ api: messagesApi(client), model: MODEL, maxTokens: 512, system: null, maxRetries: 0, sink });
}

const http = (name: string) => loadHttpFixture(path.join(FIXTURES, 'http', name));
const ok = (text: string) => ({ kind: 'sse' as const, body: sseForText(text, { model: MODEL }) });

/** The `messages` of the requests sent from index `from` on. */
function sentMessages(from: number): unknown[] {
  return server.requests
    .slice(from)
    .filter((r) => r.path === '/v1/messages')
    .map((r) => (r.body as { messages: unknown }).messages);
}

/** Plain text of each message of a request (string content or its text blocks). */
function texts(messages: unknown): string[] {
  return (messages as { content: string | { type: string; text?: string }[] }[]).map((m) =>
    typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join(''),
  );
}

describe('a prompt whose request failed before any reply', () => {
  for (const [name, fixture] of [
    ['500', '500-api-error.json'],
    ['401', '401-authentication.json'],
    ['429', '429-rate-limit.json'],
  ] as const) {
    it(`${name}: is marked unsent, and the next request carries only the next prompt`, async () => {
      const e = engine();
      server.enqueue(ok('First answer.'), http(fixture), ok('Second answer.'));
      e.send('first');
      await e.settled();
      const from = server.requests.length;
      e.send('this one fails');
      await e.settled();
      const failed = e.getState().messages.find((m) => m.role === 'user' && m.text === 'this one fails') as UserMessage;
      expect(failed.unsent).toBe(true);
      e.send('this one works');
      await e.settled();
      const [, second] = sentMessages(from);
      // Not "this one fails\n\nthis one works": the failed prompt is not glued on.
      expect(texts(second)).toEqual(['first', 'First answer.', 'this one works']);
    });
  }

  it('retyping the failed prompt sends it once', async () => {
    const e = engine();
    server.enqueue(http('500-api-error.json'), ok('Answer.'));
    const from = server.requests.length;
    e.send('hello');
    await e.settled();
    e.send('hello');
    await e.settled();
    expect(texts(sentMessages(from)[1])).toEqual(['hello']);
  });

  it('stopped (Esc) while waiting for the first byte: marked unsent too', async () => {
    const e = engine();
    server.enqueue({
      kind: 'script',
      steps: [
        { kind: 'delay', ms: 5_000 },
        { kind: 'scenario', scenario: ok('late') },
      ],
    });
    e.send('wait for it');
    await new Promise((r) => setTimeout(r, 100));
    e.abort();
    await e.settled();
    const m = e.getState().messages.find((x) => x.role === 'user');
    expect(m).toMatchObject({ text: 'wait for it', unsent: true });
    expect(toApiMessages(e.getState().messages)).toEqual([]);
  });

  it('tells the UI, with the prompt, so it can be put back in the editor', async () => {
    const e = engine();
    const back: string[] = [];
    e.onUnsent((m) => back.push(m.text));
    server.enqueue(http('500-api-error.json'));
    e.send('put me back');
    await e.settled();
    expect(back).toEqual(['put me back']);
  });

  it('a reply that had begun keeps its prompt sent', async () => {
    const e = engine();
    server.enqueue({ kind: 'sse', body: sseForText('Some words that arrive', { model: MODEL }), resetAfterBytes: 900 });
    e.send('keep me');
    await e.settled();
    const m = e.getState().messages.find((x) => x.role === 'user');
    const r = e.getState().messages.find((x) => x.role === 'assistant');
    expect(r).toBeDefined();
    expect((m as UserMessage).unsent).toBeUndefined();
  });

  it('/retry sends the unsent prompt again, as sent', async () => {
    const e = engine();
    server.enqueue(http('500-api-error.json'), ok('Retried answer.'));
    const from = server.requests.length;
    e.send('try again');
    await e.settled();
    expect(e.retry()).toBe(true);
    await e.settled();
    expect(texts(sentMessages(from)[1])).toEqual(['try again']);
    const users = e.getState().messages.filter((m) => m.role === 'user');
    expect(users).toHaveLength(1);
    expect((users[0] as UserMessage).unsent).toBeUndefined();
  });

  it('on disk: the prompt is saved marked unsent, and a resumed session does not send it', async () => {
    const dir = tempDir();
    const rec = new SessionRecorder({ dir, model: MODEL, system: null, redactor: NO_SECRETS });
    const e = engine(rec);
    server.enqueue(ok('First answer.'), http('500-api-error.json'));
    e.send('first');
    await e.settled();
    e.send('lost in transit');
    await e.settled();
    rec.close();
    const [s] = listSessions(dir);
    const loaded = loadSession(dir, s!.id);
    const failed = loaded.messages.find((m) => m.role === 'user' && m.text === 'lost in transit');
    expect(failed).toMatchObject({ unsent: true });
    // Resumed in a new window: the next request carries the earlier exchange and the new prompt only.
    const again = engine();
    await again.replaceConversation(null, { messages: loaded.messages, totals: loaded.totals, lastUsage: loaded.lastUsage });
    server.enqueue(ok('Resumed answer.'));
    const from = server.requests.length;
    again.send('after resume');
    await again.settled();
    expect(texts(sentMessages(from)[0])).toEqual(['first', 'First answer.', 'after resume']);
  });

  it('on disk: /retry of an unsent prompt saves it as sent again', async () => {
    const dir = tempDir();
    const rec = new SessionRecorder({ dir, model: MODEL, system: null, redactor: NO_SECRETS });
    const e = engine(rec);
    server.enqueue(http('500-api-error.json'), ok('Now it worked.'));
    e.send('second time lucky');
    await e.settled();
    e.retry();
    await e.settled();
    rec.close();
    const [s] = listSessions(dir);
    const loaded = loadSession(dir, s!.id);
    expect(toApiMessages(loaded.messages).map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
