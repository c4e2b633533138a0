// The synthetic long reply and the wire-exact SSE for any text.
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, test } from 'vitest';
import { generateMarkdownDocument, sseForText, startMessagesServer, textTokens } from '../../src/server/index.js';
import { parseSse } from '../helpers/sse.js';

const fences = (md: string): string[] => md.match(/^```[a-z]+$/gm) ?? [];
const tableRules = (md: string): string[] => md.match(/^\|( *:?-{3,}:? *\|)+$/gm) ?? [];

describe('generateMarkdownDocument', () => {
  const doc = generateMarkdownDocument(8000);

  test('is deterministic for a seed and differs between seeds', () => {
    expect(generateMarkdownDocument(8000)).toBe(doc);
    expect(generateMarkdownDocument(8000, 2)).not.toBe(doc);
  });

  test('is about 4 characters per requested token', () => {
    expect(doc.length).toBeGreaterThanOrEqual(32_000);
    expect(doc.length).toBeLessThan(34_000);
    expect(generateMarkdownDocument(100).length).toBeLessThan(2000);
  });

  test('has headings, lists, ≥ 3 language-tagged code fences and ≥ 2 GFM tables', () => {
    expect(doc).toMatch(/^# \S/);
    expect(doc).toMatch(/^## /m);
    expect(doc).toMatch(/^- \S/m);
    expect(doc).toMatch(/^1\. \S/m);
    expect(fences(doc).length).toBeGreaterThanOrEqual(3);
    expect(tableRules(doc).length).toBeGreaterThanOrEqual(2);
    // every fence is closed
    expect((doc.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(new Set(fences(doc)).size).toBeGreaterThanOrEqual(4);
  });
});

describe('textTokens', () => {
  test('joins back to the text and keeps pieces around 4 characters', () => {
    const text = generateMarkdownDocument(2000, 7) + ' emoji 👍🏽 日本語テキスト\r\n';
    const tokens = textTokens(text);
    expect(tokens.join('')).toBe(text);
    expect(Math.max(...tokens.map((t) => Array.from(t).length))).toBeLessThanOrEqual(6);
    const avg = text.length / tokens.length;
    expect(avg).toBeGreaterThan(3.5);
    expect(avg).toBeLessThan(4.5);
    expect(tokens.some((t) => /[\uD800-\uDBFF]$/.test(t))).toBe(false);
  });
});

describe('sseForText', () => {
  const text = 'Hello there, this is a **short** reply.\n\n```ts\nconst x = 1;\n```\n';

  test('emits the real event sequence with padding and the spaced ping', () => {
    const sse = sseForText(text, { model: 'claude-sonnet-4-6', inputTokens: 12 });
    const events = parseSse(sse);
    const names = events.map((e) => e.event);
    const deltas = textTokens(text).length;
    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array(deltas).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(sse).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    expect(sse).toMatch(/ +}\n\n/); // padded somewhere
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    const start = JSON.parse(events[0]!.data).message;
    expect(start).toMatchObject({
      model: 'claude-sonnet-4-6',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 12, output_tokens: 1 },
    });
    expect(start.id).toMatch(/^msg_011C[0-9A-Za-z]{20}$/);
    const delta = JSON.parse(events.at(-2)!.data);
    expect(delta).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null },
      usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: deltas },
    });
    const joined = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => JSON.parse(e.data).delta.text)
      .join('');
    expect(joined).toBe(text);
    expect(sseForText(text, { model: 'claude-sonnet-4-6', inputTokens: 12 })).toBe(sse);
    expect(sseForText(text, { model: 'm', padding: false })).not.toMatch(/ +}\n\n/);
  });

  test('cuts at maxTokens with stop_reason max_tokens', () => {
    const events = parseSse(sseForText(text, { model: 'm', maxTokens: 3 }));
    expect(events.filter((e) => e.event === 'content_block_delta')).toHaveLength(3);
    const delta = JSON.parse(events.at(-2)!.data);
    expect(delta.delta.stop_reason).toBe('max_tokens');
    expect(delta.usage.output_tokens).toBe(3);
    // exactly enough tokens is not a cut
    const n = textTokens(text).length;
    expect(JSON.parse(parseSse(sseForText(text, { model: 'm', maxTokens: n })).at(-2)!.data).delta.stop_reason).toBe('end_turn');
    expect(() => sseForText(text, { model: 'm', maxTokens: 0 })).toThrow(RangeError);
  });

  test('a generated 8000-token document streams through the SDK intact', async () => {
    const doc = generateMarkdownDocument(8000);
    const server = await startMessagesServer();
    try {
      server.enqueue({ kind: 'sse', body: sseForText(doc, { model: 'claude-sonnet-4-6', inputTokens: 42 }), chunkBytes: 4096 });
      const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
      const message = await client.messages
        .stream({ model: 'claude-sonnet-4-6', max_tokens: 64000, messages: [{ role: 'user', content: 'long' }] })
        .finalMessage();
      expect(message.content).toEqual([{ type: 'text', text: doc }]);
      expect(message.usage.output_tokens).toBe(textTokens(doc).length);
      expect(message.usage.input_tokens).toBe(42);
    } finally {
      await server.close();
    }
  });
});
