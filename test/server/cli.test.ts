// The standalone entry's argument handling and start-up line.
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, test } from 'vitest';
import { parseServerArgs, runServerMain, scenarioForArgs } from '../../src/server/cli.js';

describe('parseServerArgs', () => {
  test('reads every flag', () => {
    expect(parseServerArgs(['--port', '8123', '--sse', 'x.sse', '--tps', '100', '--api-key', 'k'])).toEqual({
      port: 8123,
      sse: 'x.sse',
      tps: 100,
      apiKey: 'k',
      model: 'inkwell-demo',
    });
    expect(parseServerArgs(['--demo'])).toEqual({ port: 0, model: 'inkwell-demo' });
    expect(parseServerArgs(['--cache-ttl-ms', '2000'])).toMatchObject({ cacheTtlMs: 2000 });
    expect(parseServerArgs(['--generate', '8000', '--seed', '3', '--model', 'claude-sonnet-4-6'])).toMatchObject({
      generate: 8000,
      seed: 3,
      model: 'claude-sonnet-4-6',
    });
  });

  test('rejects unknown flags and bad values', () => {
    expect(() => parseServerArgs(['--nope'])).toThrow(/unknown flag/);
    expect(() => parseServerArgs(['--port'])).toThrow(/needs a value/);
    expect(() => parseServerArgs(['--tps', 'fast'])).toThrow(/number/);
  });

  test('picks the scenario: sse replay, generated document, or demo', () => {
    expect(scenarioForArgs(parseServerArgs(['--sse', 'a.sse', '--tps', '100']))).toEqual({
      kind: 'sse',
      path: 'a.sse',
      tokensPerSecond: 100,
    });
    expect(scenarioForArgs(parseServerArgs(['--generate', '50']))).toMatchObject({
      kind: 'sse',
      body: expect.stringContaining('event: message_start'),
    });
    expect(scenarioForArgs(parseServerArgs([]))).toEqual({ kind: 'demo', tokensPerSecond: undefined });
  });
});

describe('runServerMain', () => {
  test('prints one JSON line with the url, then replays the file for every request', async () => {
    const lines: string[] = [];
    const server = await runServerMain(['--sse', '01-text-short-sonnet45.sse', '--tps', '1000'], (l) => lines.push(l));
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]!.endsWith('\n')).toBe(true);
      expect(JSON.parse(lines[0]!)).toEqual({ url: server.url });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
      for (let i = 0; i < 2; i++) {
        const message = await client.messages
          .stream({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
          .finalMessage();
        expect(message.id).toBe('msg_017A4s3HAsrqf5d2WvBmrpLr');
      }
    } finally {
      await server.close();
    }
  });
});
