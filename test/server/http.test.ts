// What the server records, how it authenticates, and how HTTP errors, resets, empty bodies
// and stalls look to the real SDK.
import Anthropic from '@anthropic-ai/sdk';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadHttpFixture, startMessagesServer, type MessagesServer } from '../../src/server/index.js';
import { FIXTURE_DIR } from '../helpers/sse.js';

let server: MessagesServer;

beforeEach(async () => {
  server = await startMessagesServer();
});
afterEach(() => server.close());

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Say hi' }],
};

function sdk(opts: { maxRetries?: number; apiKey?: string; timeout?: number } = {}): Anthropic {
  return new Anthropic({ apiKey: opts.apiKey ?? 'sk-test', baseURL: server.url, maxRetries: opts.maxRetries ?? 0, timeout: opts.timeout });
}

/** Settle a promise into its rejection reason (or null if it resolved). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => null,
    (e: unknown) => e,
  );
}

function httpFixtureFile(name: string): { status: number; headers: Record<string, string>; body: string } {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'http', `${name}.json`), 'utf8'));
}

describe('the request log', () => {
  test('holds exactly the body the SDK sent, with lower-cased and redacted headers', async () => {
    server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse' });
    await sdk()
      .messages.stream({ ...params, system: 'Be brief.' })
      .finalMessage();
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/v1/messages');
    expect(req!.body).toEqual({ ...params, system: 'Be brief.', stream: true });
    expect(req!.headers.authorization).toBe('[redacted]');
    expect(req!.headers['x-api-key']).toBeUndefined();
    expect(req!.headers['anthropic-version']).toBe('2026-10-21');
    expect(req!.headers['x-stainless-retry-count']).toBe('0');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(Object.keys(req!.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(req!.receivedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  test('keeps a non-JSON body as the raw string and an empty one as undefined', async () => {
    await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST', body: 'not json' });
    await fetch(`${server.url}/v1/models`);
    expect(server.requests.map((r) => r.body)).toEqual(['not json', undefined]);
  });

  test('redacts x-api-key too', async () => {
    await fetch(`${server.url}/v1/models`, { headers: { 'X-Api-Key': 'secret' } });
    expect(server.requests[0]!.headers['x-api-key']).toBe('[redacted]');
  });
});

describe('auth', () => {
  beforeEach(async () => {
    await server.close();
    server = await startMessagesServer({ apiKey: 'sk-right', defaultScenario: { kind: 'sse', path: '01-text-short-sonnet45.sse' } });
  });

  test('the SDK authenticates with Authorization: Bearer', async () => {
    const message = await sdk({ apiKey: 'sk-right' }).messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(server.requests[0]!.headers.authorization).toBe('[redacted]');
    expect(server.requests[0]!.headers['x-api-key']).toBeUndefined();
  });

  test('x-api-key is accepted as well', async () => {
    const res = await fetch(`${server.url}/v1/models/claude-haiku-4-5`, { headers: { 'x-api-key': 'sk-right' } });
    expect(res.status).toBe(200);
  });

  test('a wrong key gets the 401 fixture body and an AuthenticationError, not retried', async () => {
    const err = await rejection(sdk({ apiKey: 'sk-wrong', maxRetries: 2 }).messages.stream(params).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe('authentication_error');
    expect(server.requests).toHaveLength(1);

    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(await res.text()).toBe(httpFixtureFile('401-authentication').body);
  });

  test('a missing key gets 401 on every endpoint', async () => {
    for (const path of ['/v1/models', '/v1/models/claude-haiku-4-5']) {
      expect((await fetch(server.url + path)).status).toBe(401);
    }
    const res = await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });
});

describe('http fixtures', () => {
  const errorClasses: Record<number, new (...args: never[]) => Error> = {
    400: Anthropic.BadRequestError,
    401: Anthropic.AuthenticationError,
    404: Anthropic.NotFoundError,
    413: Anthropic.ContentTooLargeError,
    429: Anthropic.RateLimitError,
    500: Anthropic.InternalServerError,
    529: Anthropic.OverloadedError,
  };
  const names = [
    '400-effort-unsupported',
    '400-prefill-not-supported',
    '400-prompt-too-long',
    '400-trailing-whitespace',
    '401-authentication',
    '404-not-found-model',
    '413-request-too-large',
    '429-rate-limit',
    '500-api-error',
    '529-overloaded',
  ];

  test.each(names)('%s is sent verbatim and maps to the SDK error class', async (name) => {
    const file = httpFixtureFile(name);
    const scenario = loadHttpFixture(name);
    expect(scenario).toEqual({ kind: 'http', status: file.status, headers: file.headers, body: file.body });

    server.enqueue(scenario);
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(file.status);
    expect(await res.text()).toBe(file.body);
    expect(res.headers.get('request-id')).toBe(file.headers['request-id'] ?? res.headers.get('request-id'));
    expect(res.headers.get('request-id')).toMatch(/^req_/);

    server.enqueue(scenario);
    const err = await rejection(sdk().messages.create(params));
    expect(err).toBeInstanceOf(errorClasses[file.status]!);
    const apiError = err as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(file.status);
    expect(apiError.type).toBe(JSON.parse(file.body).error.type);
  });

  test('loadHttpFixture accepts a path and rejects a missing file', () => {
    expect(loadHttpFixture(join(FIXTURE_DIR, 'http', '529-overloaded.json')).status).toBe(529);
    expect(loadHttpFixture('http/529-overloaded.json').status).toBe(529);
    expect(() => loadHttpFixture('no-such-fixture')).toThrow(/fixture not found/);
  });

  test('529 is an OverloadedError with maxRetries 0, carrying the recorded request id', async () => {
    server.enqueue(loadHttpFixture('529-overloaded'));
    const err = await rejection(sdk({ maxRetries: 0 }).messages.stream(params).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.OverloadedError);
    expect((err as InstanceType<typeof Anthropic.APIError>).requestID).toBe('req_011CX7J5ZXp3npD8nY7VYZvm');
    expect(server.requests).toHaveLength(1);
  });

  test('429 with retry-after is retried by the SDK after that delay, then succeeds', async () => {
    const fixture = loadHttpFixture('429-rate-limit');
    // The fixture's retry-after is 4300 s, which the SDK would honour; shorten it.
    server.enqueue(
      { ...fixture, headers: { ...fixture.headers, 'retry-after': '0.1' } },
      { kind: 'sse', path: '01-text-short-sonnet45.sse' },
    );
    const message = await sdk({ maxRetries: 1 }).messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('end_turn');
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    expect(server.requests[1]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(90);
  });

  test('x-should-retry: false stops the SDK from retrying a 400', async () => {
    server.enqueue(loadHttpFixture('400-prefill-not-supported'));
    const err = await rejection(sdk({ maxRetries: 2 }).messages.create(params));
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('broken streams', () => {
  const fixture01 = readFileSync(join(FIXTURE_DIR, '01-text-short-sonnet45.sse'));
  /** Byte offset just past the frame holding `marker`. */
  const pastFrame = (marker: string): number => fixture01.indexOf('\n\n', fixture01.indexOf(marker)) + 2;

  test('resetAfterBytes cuts the body there and the SDK rejects, keeping the partial text', async () => {
    const cut = pastFrame('" Captain"');
    server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse', resetAfterBytes: cut });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST' });
    const reader = res.body!.getReader();
    let received = 0;
    const readAll = async (): Promise<void> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received += value.length;
      }
    };
    await expect(readAll()).rejects.toThrow();
    expect(received).toBe(cut);

    server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse', resetAfterBytes: cut });
    let text = '';
    const stream = sdk({ maxRetries: 2 })
      .messages.stream(params)
      .on('text', (t) => (text += t));
    const err = await rejection(stream.finalMessage());
    // undici's "terminated" wrapped in a plain AnthropicError: not an APIError, not retried.
    expect(err).toBeInstanceOf(Anthropic.AnthropicError);
    expect(err).not.toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).message).toBe('terminated');
    expect(text).toBe('- Captain');
    expect(server.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(2); // not retried
  });

  test('an empty 200 body makes finalMessage reject with "request ended without sending any chunks"', async () => {
    server.enqueue({ kind: 'script', steps: [{ kind: 'head', status: 200 }, { kind: 'end' }] });
    const err = await rejection(sdk().messages.stream(params).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.AnthropicError);
    expect((err as Error).message).toMatch(/request ended without sending any chunks/);

    server.enqueue({ kind: 'script', steps: [] });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await res.text()).toBe('');
  });

  test('a stream ending without message_stop rejects with the role=assistant error', async () => {
    const cut = pastFrame('content_block_stop');
    server.enqueue({ kind: 'sse', body: fixture01.subarray(0, cut).toString('utf8') });
    const err = await rejection(sdk().messages.stream(params).finalMessage());
    expect((err as Error).message).toMatch(/stream ended without producing a Message with role=assistant/);
  });

  test('stallAfterBytes keeps the socket open: no settlement until the client aborts', async () => {
    const cut = pastFrame('" Captain"');
    server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse', stallAfterBytes: cut });
    let text = '';
    // The SDK timeout covers only the wait for response headers, not a stalled body.
    const stream = sdk({ timeout: 100 })
      .messages.stream(params)
      .on('text', (t) => (text += t));
    let settled = false;
    const result = rejection(stream.finalMessage()).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(text).toBe('- Captain');
    expect(settled).toBe(false);
    stream.abort();
    expect(await result).toBeInstanceOf(Anthropic.APIUserAbortError);
  });

  test('close() ends a stalled response promptly', async () => {
    server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse', stallAfterBytes: 100 });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST' });
    const body = res.text().then(
      () => 'ended',
      () => 'errored',
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await body).toBe('errored');
  });
});

describe('scripts', () => {
  const overloaded = httpFixtureFile('529-overloaded').body;

  test('"respond 529 with retry-after" then a replay: the SDK retries once and succeeds', async () => {
    server.enqueue(
      { kind: 'script', steps: [{ kind: 'respond', status: 529, headers: { 'retry-after': '0.05' }, body: overloaded }] },
      { kind: 'sse', path: '01-text-short-sonnet45.sse' },
    );
    const message = await sdk({ maxRetries: 1 }).messages.stream(params).finalMessage();
    expect(message.content).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  test('"delay before headers" trips the SDK timeout, and without a timeout just arrives late', async () => {
    const delayed = {
      kind: 'script' as const,
      steps: [
        { kind: 'delay' as const, ms: 300 },
        { kind: 'scenario' as const, scenario: { kind: 'sse' as const, path: '01-text-short-sonnet45.sse' } },
      ],
    };
    server.enqueue(delayed);
    const err = await rejection(sdk({ timeout: 100 }).messages.stream(params).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);

    server.enqueue(delayed);
    const started = performance.now();
    const message = await sdk().messages.stream(params).finalMessage();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(message.stop_reason).toBe('end_turn');
  });

  test('"send these SSE events then reset the connection": partial text, then rejection', async () => {
    server.enqueue({
      kind: 'script',
      steps: [
        {
          kind: 'events',
          events: [
            {
              type: 'message_start',
              message: {
                id: 'msg_x',
                type: 'message',
                role: 'assistant',
                model: 'm',
                content: [],
                stop_reason: null,
                stop_sequence: null,
                usage: { input_tokens: 3, output_tokens: 1 },
              },
            },
            { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
            { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
            { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
          ],
        },
        { kind: 'reset' },
      ],
    });
    let text = '';
    const stream = sdk()
      .messages.stream(params)
      .on('text', (t) => (text += t));
    const err = await rejection(stream.finalMessage());
    expect(err).toBeInstanceOf(Error);
    expect(text).toBe('Hello');
  });

  test('a reset before any header is a connection error the SDK retries', async () => {
    server.enqueue({ kind: 'script', steps: [{ kind: 'reset' }] }, { kind: 'sse', path: '04-max-tokens-cache-write-sonnet46.sse' });
    const message = await sdk({ maxRetries: 1 }).messages.stream(params).finalMessage();
    expect(message.stop_reason).toBe('max_tokens');
    expect(server.requests).toHaveLength(2);

    server.enqueue({ kind: 'script', steps: [{ kind: 'reset' }] });
    const err = await rejection(sdk({ maxRetries: 0 }).messages.stream(params).finalMessage());
    expect(err).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  test('raw writes in tiny chunks with a custom head', async () => {
    const body = readFileSync(join(FIXTURE_DIR, '17-refusal-fable51.sse'));
    server.enqueue({
      kind: 'script',
      steps: [
        { kind: 'head', status: 200, headers: { 'x-extra': 'yes' } },
        { kind: 'write', data: body, chunkBytes: 3, intervalMs: 0 },
      ],
    });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST' });
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  test('a script can stall and close() still finishes', async () => {
    server.enqueue({ kind: 'script', steps: [{ kind: 'write', data: 'event: ping\ndata: {"type": "ping"}\n\n' }, { kind: 'stall' }] });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST' });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toContain('ping');
    const pending = reader.read().then(
      () => 'done',
      () => 'errored',
    );
    await server.close();
    expect(await pending).toBe('errored');
  });
});

describe('routing', () => {
  test('scenarios are consumed FIFO, then the default answers', async () => {
    server.setDefault({ kind: 'sse', path: '05-max-tokens-cache-read-sonnet46.sse' });
    server.enqueue({ kind: 'sse', path: '17-refusal-fable51.sse' }, { kind: 'sse', path: '13-tool-use-empty-input-haiku45.sse' });
    expect(server.pending()).toBe(2);
    const client = sdk();
    const reasons = [];
    for (let i = 0; i < 3; i++) reasons.push((await client.messages.stream(params).finalMessage()).stop_reason);
    expect(reasons).toEqual(['refusal', 'tool_use', 'max_tokens']);
    expect(server.pending()).toBe(0);
  });

  test('an unknown path is a 404 not_found_error with a request-id', async () => {
    const res = await fetch(`${server.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const body = await res.json();
    expect(body).toMatchObject({ type: 'error', error: { type: 'not_found_error' }, request_id: res.headers.get('request-id') });
  });

  test('a missing .sse file answers 500 api_error instead of hanging', async () => {
    server.enqueue({ kind: 'sse', path: 'does-not-exist.sse' });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('api_error');
  });

  test('strictModels rejects unknown models on messages with the real 404 shape', async () => {
    await server.close();
    server = await startMessagesServer({ strictModels: true });
    const err = await rejection(sdk().messages.create({ ...params, model: 'claude-does-not-exist' }));
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'not_found_error', message: 'model: claude-does-not-exist' },
    });
  });
});
