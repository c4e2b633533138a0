import Anthropic from '@anthropic-ai/sdk';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamedBody } from '../../src/api/body.js';
import { streamTurn } from '../../src/api/stream.js';
import type { ApiMessage } from '../../src/domain/conversation.js';
import { startMessagesServer } from '../../src/server/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

/** A conversation of `n` messages with some non-ASCII text (multi-byte UTF-8). */
function conversation(n: number, text = 'Réponse ✓ 日本語 🦩 — with "quotes", \\ and \n newlines. '.repeat(20)): ApiMessage[] {
  const out: ApiMessage[] = [];
  for (let i = 0; i < n; i++)
    out.push(i % 2 === 0 ? { role: 'user', content: `question ${i}` } : { role: 'assistant', content: `${i}: ${text}` });
  out.push({ role: 'user', content: 'and now?' });
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('streaming a long request body', () => {
  it('leaves a short conversation to the SDK', () => {
    expect(streamedBody({ model: 'm', max_tokens: 10, messages: conversation(4) })).toBeNull();
  });

  it('writes the same JSON as JSON.stringify, in chunks, with its exact byte length', async () => {
    const body = { model: 'claude-opus-4-6', max_tokens: 8192, system: 'Be brief.', stream: true, messages: conversation(400) };
    const s = streamedBody(body, 10_000)!;
    expect(s).not.toBeNull();
    expect(s.headers['content-type']).toBe('application/json');
    const chunks: number[] = [];
    const bytes = await readAll(
      s.body.pipeThrough(new TransformStream({ transform: (c, ctl) => (chunks.push(c.byteLength), ctl.enqueue(c)) })),
    );
    expect(bytes.byteLength).toBe(Number(s.headers['content-length']));
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(body);
    // Written a batch at a time, never as one piece.
    expect(chunks.length).toBeGreaterThan(3);
    expect(Math.max(...chunks)).toBeLessThan(bytes.byteLength / 3);
  });

  it('fails the stream rather than send a body that no longer matches its length', async () => {
    const messages = conversation(200);
    const s = streamedBody({ model: 'm', messages }, 1000)!;
    (messages[1] as { content: string }).content += ' grown after it was counted';
    await expect(readAll(s.body)).rejects.toThrow(/changed while it was being sent/);
  });

  it('reaches the server through the SDK as a whole JSON body with a Content-Length, not chunked', async () => {
    const sent: unknown[] = [];
    const spy: typeof fetch = (input, init) => (sent.push(init?.body), fetch(input, init));
    const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0, fetch: spy });
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '01-text-short-sonnet45.sse') });
    const messages = conversation(3000);
    const before = server.requests.length;
    const outcome = await streamTurn(
      client,
      { model: 'claude-sonnet-4-5', maxTokens: 1024, system: null, messages },
      { onEvent: () => {} },
      new AbortController().signal,
    );
    expect(outcome.ok).toBe(true);
    // The SDK handed fetch the stream, not a string of the whole body.
    expect(sent.at(-1)).toBeInstanceOf(ReadableStream);
    const req = server.requests.slice(before).find((r) => r.path === '/v1/messages')!;
    expect(req.headers['transfer-encoding']).toBeUndefined();
    expect(Number(req.headers['content-length'])).toBeGreaterThan(1 << 20);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages, stream: true });
  });
});
