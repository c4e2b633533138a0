import Anthropic from '@anthropic-ai/sdk';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENDED_CACHE_TTL_BETA, type PromptCache } from '../../src/api/cache.js';
import { messagesApi } from '../../src/api/port.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { startMessagesServer } from '../../src/server/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { httpError } from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

/** One request as it left the SDK: the exact body text and the headers. */
interface Sent {
  body: string;
  headers: Headers;
}

/** An engine against the local server whose client records every request body byte for byte. */
function recordingEngine(overrides: Partial<ConstructorParameters<typeof ChatEngine>[0]> = {}) {
  const sent: Sent[] = [];
  const record: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string' && String(input).endsWith('/v1/messages'))
      sent.push({ body: init.body, headers: new Headers(init.headers) });
    return fetch(input, init);
  };
  const client = new Anthropic({ apiKey: 'sk-ant-test-secret-1234', baseURL: server.url, maxRetries: 0, fetch: record });
  const engine = new ChatEngine({
    api: messagesApi(client),
    model: 'claude-sonnet-5-5',
    maxTokens: 8192,
    system: 'Be brief.',
    ...overrides,
  });
  return { engine, sent };
}

const sse = (name: string) => ({ kind: 'sse' as const, path: path.join(FIXTURES, name) });

/** Replies with thinking (and its signature), markdown whitespace, redacted thinking and plain text. */
const REPLIES = [
  '06-thinking-budget-sonnet45.sse',
  '02-text-medium-markdown-list-sonnet45.sse',
  '10-redacted-thinking-sonnet45.sse',
  '01-text-short-sonnet45.sse',
];

/** Runs a conversation of one prompt per reply and returns each request as sent. */
async function conversation(promptCache: PromptCache | undefined): Promise<Sent[]> {
  const { engine, sent } = recordingEngine({
    ...(promptCache ? { promptCache } : {}),
    thinking: { mode: 'on', budgetTokens: 2048, effort: null },
  });
  for (const [i, name] of REPLIES.entries()) {
    server.enqueue(sse(name));
    expect(engine.send(`question ${i}:  with  spaces \n and a newline`)).toBe(true);
    const outcome = await engine.settled();
    expect(outcome?.ok).toBe(true);
  }
  expect(sent).toHaveLength(REPLIES.length);
  return sent;
}

/** The exact JSON text of a body's `messages` array, cut out of the body as sent. */
function messagesJson(body: string): string {
  const parsed = JSON.parse(body) as { messages: unknown[] };
  const text = JSON.stringify(parsed.messages);
  // The SDK serialises with JSON.stringify, so the array's text is a substring of the body.
  expect(body).toContain(text);
  return text;
}

/** Occurrences of `"cache_control"` anywhere in the body: every breakpoint the request carries. */
function breakpoints(body: string): number {
  return body.split('"cache_control"').length - 1;
}

describe('prompt caching in the requests the engine sends', () => {
  it('keeps the request prefix byte-stable: each turn’s messages, less the closing bracket, start the next turn’s', async () => {
    const sent = await conversation('5m');
    for (let n = 0; n + 1 < sent.length; n++) {
      const mine = messagesJson(sent[n]!.body);
      const next = messagesJson(sent[n + 1]!.body);
      expect(next.startsWith(`${mine.slice(0, -1)},`)).toBe(true);
      // The system prompt and the thinking parameters are the same on every turn too.
      const a = JSON.parse(sent[n]!.body) as Record<string, unknown>;
      const b = JSON.parse(sent[n + 1]!.body) as Record<string, unknown>;
      expect(b.system).toBe(a.system);
      expect(b.thinking).toEqual(a.thinking);
      expect(b.cache_control).toEqual(a.cache_control);
    }
    // The thinking reply came back with its signature, unchanged.
    const last = JSON.parse(sent.at(-1)!.body) as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(last.messages[1]!.content)).toContain('"signature"');
  });

  it('5m (the default): one top-level cache_control {type: ephemeral}, no ttl, no beta header', async () => {
    for (const sent of [await conversation('5m'), await conversation(undefined)]) {
      for (const s of sent) {
        const body = JSON.parse(s.body) as Record<string, unknown>;
        expect(body.cache_control).toEqual({ type: 'ephemeral' });
        expect(breakpoints(s.body)).toBe(1);
        expect(s.headers.get('anthropic-beta') ?? '').not.toContain(EXTENDED_CACHE_TTL_BETA);
      }
    }
  });

  it('1h: one top-level cache_control with ttl "1h" and the extended-TTL beta header', async () => {
    for (const s of await conversation('1h')) {
      const body = JSON.parse(s.body) as Record<string, unknown>;
      expect(body.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
      expect(breakpoints(s.body)).toBe(1);
      expect(s.headers.get('anthropic-beta')).toContain(EXTENDED_CACHE_TTL_BETA);
    }
  });

  it('off: no cache_control anywhere and no beta header', async () => {
    for (const s of await conversation('off')) {
      expect(breakpoints(s.body)).toBe(0);
      expect(s.headers.get('anthropic-beta')).toBeNull();
    }
  });

  it('never more than four breakpoints in any request', async () => {
    for (const mode of ['5m', '1h'] as const) for (const s of await conversation(mode)) expect(breakpoints(s.body)).toBeLessThanOrEqual(4);
  });

  it('/cache changes the next request and reports the change to be saved', async () => {
    const saved: PromptCache[] = [];
    const { engine, sent } = recordingEngine({ onPromptCacheChanged: (v) => saved.push(v) });
    engine.configure({ promptCache: '1h' });
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    engine.send('hi');
    await engine.settled();
    expect(JSON.parse(sent[0]!.body).cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    engine.configure({ promptCache: '1h' });
    expect(saved).toEqual(['1h']);
  });
});

describe('a server that rejects cache_control', () => {
  const rejection = () => httpError(400, 'invalid_request_error', 'cache_control: Extra inputs are not permitted', 'req_cache_rejected_1');

  it('is asked once more without it; the engine remembers, tells the user once, and sends none after', async () => {
    let remembered = 0;
    const { engine, sent } = recordingEngine({ onCacheRejected: () => remembered++ });
    server.enqueue(rejection(), sse('01-text-short-sonnet45.sse'));
    engine.send('first');
    const outcome = await engine.settled();
    expect(outcome?.ok).toBe(true);
    expect(sent).toHaveLength(2);
    expect(JSON.parse(sent[0]!.body)).toHaveProperty('cache_control');
    expect(breakpoints(sent[1]!.body)).toBe(0);
    expect(remembered).toBe(1);
    const told = () => engine.getState().messages.filter((m) => m.role === 'notice' && /cache_control/.test(m.text));
    expect(told()).toHaveLength(1);
    expect(engine.effectivePromptCache).toBe('off');

    server.enqueue(sse('01-text-short-sonnet45.sse'));
    engine.send('second');
    expect((await engine.settled())?.ok).toBe(true);
    expect(sent).toHaveLength(3);
    expect(breakpoints(sent[2]!.body)).toBe(0);
    expect(remembered).toBe(1);
    expect(told()).toHaveLength(1);
  });

  it('a base URL remembered from an earlier run gets no cache_control from the first request', async () => {
    const { engine, sent } = recordingEngine({ cacheRejected: true });
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    engine.send('first');
    expect((await engine.settled())?.ok).toBe(true);
    expect(breakpoints(sent[0]!.body)).toBe(0);
  });

  it('is retried only once: a second 400 is a failure like any other', async () => {
    const { engine, sent } = recordingEngine();
    server.enqueue(rejection(), rejection());
    engine.send('first');
    const outcome = await engine.settled();
    expect(outcome?.ok).toBe(false);
    expect(sent).toHaveLength(2);
  });

  it('a 400 that does not name cache_control is not retried', async () => {
    const { engine, sent } = recordingEngine();
    server.enqueue(httpError(400, 'invalid_request_error', 'messages: roles must alternate', 'req_other_400'));
    engine.send('first');
    expect((await engine.settled())?.ok).toBe(false);
    expect(sent).toHaveLength(1);
    expect(engine.effectivePromptCache).toBe('5m');
  });
});
