// Every recorded stream replays through the real SDK exactly as the real API sent it.
import Anthropic from '@anthropic-ai/sdk';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sseForText, startMessagesServer, textTokens, type MessagesServer } from '../../src/server/index.js';
import { expectedSummary, FIXTURE_DIR, readFixtureBytes, sseFixtureNames } from '../helpers/sse.js';

let server: MessagesServer;
let client: Anthropic;

beforeAll(async () => {
  server = await startMessagesServer();
  client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hello' }],
};

const fixtures = sseFixtureNames();

test('all 20 fixtures are found', () => {
  expect(fixtures).toHaveLength(20);
});

describe.each(fixtures)('%s', (name) => {
  const summary = expectedSummary(readFixtureBytes(name).toString('utf8'));

  test('streams through the SDK to the message its own events describe', async () => {
    server.enqueue({ kind: 'sse', path: join(FIXTURE_DIR, name) });
    const stream = client.messages.stream(params);
    if (summary.errorType !== undefined) {
      const err = await stream.finalMessage().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Anthropic.APIError);
      expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe(summary.errorType);
      expect((err as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
      return;
    }
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe(summary.stopReason);
    expect(message.content.map((b) => b.type)).toEqual(summary.blockTypes);
    expect(message.usage).toEqual(summary.usage);
    const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    expect(text).toBe(summary.textDeltas);
    expect(stream.request_id).toMatch(/^req_/);
  });

  test('puts the exact file bytes on the wire with SSE headers', async () => {
    server.enqueue({ kind: 'sse', path: join(FIXTURE_DIR, name) });
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('request-id')).toMatch(/^req_011C[0-9A-Za-z]{20}$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(readFixtureBytes(name))).toBe(true);
  });

  test('answers a non-streaming request with the same final message', async () => {
    if (summary.errorType !== undefined) {
      server.enqueue({ kind: 'sse', path: join(FIXTURE_DIR, name) });
      const err = await client.messages.create(params).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Anthropic.OverloadedError);
      expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe(summary.errorType);
      return;
    }
    server.enqueue({ kind: 'sse', path: join(FIXTURE_DIR, name) });
    const streamed = await client.messages.stream(params).finalMessage();
    server.enqueue({ kind: 'sse', path: join(FIXTURE_DIR, name) });
    const created = await client.messages.create(params);
    const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
    const createdContent = plain(created.content) as Array<Record<string, unknown>>;
    const streamedContent = plain(streamed.content) as Array<Record<string, unknown>>;
    // The GA SDK's MessageStream ignores compaction_delta (a beta delta type), so its
    // compaction block keeps `content: null`; the server folds the deltas in, as the beta API does.
    streamedContent.forEach((block, i) => {
      if (block.type === 'compaction') {
        expect(block.content).toBeNull();
        expect(createdContent[i]?.content).toEqual(expect.stringContaining('## Summary of Conversation'));
        block.content = createdContent[i]?.content;
      }
    });
    expect(createdContent).toEqual(streamedContent);
    expect(created.stop_reason).toBe(streamed.stop_reason);
    expect(created.usage).toMatchObject(streamed.usage);
    expect(created.id).toBe(streamed.id);
  });
});

describe('chunking and pacing', () => {
  /** Sizes of the body pieces the client's HTTP parser saw (one per chunked-encoding chunk read). */
  function bodyPieces(url: string): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${url}/v1/messages`, { method: 'POST' }, (res) => {
        const sizes: number[] = [];
        res.on('data', (c: Buffer) => sizes.push(c.length));
        res.on('end', () => resolve(sizes));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end('{"stream":true}');
    });
  }

  test('the body goes out in pieces of at most chunkBytes (default 37)', async () => {
    const name = '02-text-medium-markdown-list-sonnet45.sse';
    const size = readFixtureBytes(name).length;
    server.enqueue({ kind: 'sse', path: name });
    const sizes = await bodyPieces(server.url);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(size);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(37);
    expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(size / 37));

    server.enqueue({ kind: 'sse', path: name, chunkBytes: 5 });
    const small = await bodyPieces(server.url);
    expect(Math.max(...small)).toBeLessThanOrEqual(5);
  });

  test('intervalMs spaces the writes out', async () => {
    server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse', chunkBytes: 300, intervalMs: 25 });
    const started = performance.now();
    await client.messages.stream(params).finalMessage();
    // 1500 bytes → 5 writes → 4 gaps of 25 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  test('tokensPerSecond paces text deltas', async () => {
    const words = 'one two six ten red big cat dog sun sky';
    expect(textTokens(words)).toHaveLength(10);
    const body = sseForText(words, { model: 'claude-haiku-4-5' });
    server.enqueue({ kind: 'sse', body, tokensPerSecond: 100 });
    const arrivals: number[] = [];
    const started = performance.now();
    const stream = client.messages.stream(params).on('text', () => arrivals.push(performance.now()));
    await stream.finalMessage();
    expect(arrivals).toHaveLength(10);
    // 10 deltas at 100/s: the last cannot be sent before 100 ms have passed. Measured over the
    // whole request (a lower bound that load can only raise), not between client-side arrivals,
    // which a busy machine may deliver in one batch.
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});
