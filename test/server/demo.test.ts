// The offline demo model answers anything with markdown, honouring max_tokens.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { demoReply, sanitizePrompt, startMessagesServer, textTokens, type MessagesServer } from '../../src/server/index.js';

let server: MessagesServer;
let client: Anthropic;

beforeEach(async () => {
  // Unpaced so the tests stay fast; the default pace has its own test.
  server = await startMessagesServer({ defaultScenario: { kind: 'demo', tokensPerSecond: 0 } });
  client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.close());

const ask = (content: string, max_tokens = 4096) => ({
  model: 'inkwell-demo',
  max_tokens,
  messages: [{ role: 'user' as const, content }],
});

describe('demo model', () => {
  test('streams a markdown reply with a heading, list, code fence and table', async () => {
    const deltas: string[] = [];
    const stream = client.messages.stream(ask('How do I render markdown?')).on('text', (t) => deltas.push(t));
    const message = await stream.finalMessage();
    const text = message.content[0]!.type === 'text' ? message.content[0]!.text : '';
    expect(message.model).toBe('inkwell-demo');
    expect(message.stop_reason).toBe('end_turn');
    expect(text).toMatch(/^## .*How do I render markdown\?/);
    expect(text).toMatch(/\n- /);
    expect(text).toContain('```typescript\n');
    expect(text).toMatch(/\n\| --- \| --- (\| --- )?\|\n/);
    expect(deltas.join('')).toBe(text);
    expect(message.usage.output_tokens).toBe(deltas.length);
    // ~1 token per 4 characters, so deltas are small.
    expect(Math.max(...deltas.map((d) => Array.from(d).length))).toBeLessThanOrEqual(6);
  });

  test('echoes the requested model and estimates input tokens as chars / 4', async () => {
    const prompt = 'x'.repeat(400);
    const message = await client.messages.stream({ ...ask(prompt), model: 'claude-opus-5-5', system: 'y'.repeat(40) }).finalMessage();
    expect(message.model).toBe('claude-opus-5-5');
    expect(message.usage.input_tokens).toBe(110);
  });

  test('with max_tokens 20 it stops at max_tokens after at most 20 tokens', async () => {
    const deltas: string[] = [];
    const message = await client.messages
      .stream(ask('Tell me everything', 20))
      .on('text', (t) => deltas.push(t))
      .finalMessage();
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBeLessThanOrEqual(20);
    expect(deltas.length).toBe(message.usage.output_tokens);
    expect(demoReply('Tell me everything').startsWith(deltas.join(''))).toBe(true);
  });

  test('a non-streamed answer has the same text as the streamed one', async () => {
    const params = ask('Compare streaming and batching', 60);
    let streamed = '';
    await client.messages
      .stream(params)
      .on('text', (t) => (streamed += t))
      .finalMessage();
    const created = await client.messages.create(params);
    expect(created.content).toEqual([{ type: 'text', text: streamed }]);
    expect(created.stop_reason).toBe('max_tokens');
    expect(created.usage.output_tokens).toBe(60);
  });

  test('answers the last user message, whatever came before', async () => {
    const message = await client.messages
      .stream({
        model: 'inkwell-demo',
        max_tokens: 50,
        messages: [
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: 'an answer' },
          { role: 'user', content: [{ type: 'text', text: 'second question' }] },
        ],
      })
      .finalMessage();
    const text = message.content[0]!.type === 'text' ? message.content[0]!.text : '';
    expect(text).toContain('second question');
    expect(text).not.toContain('first question');
  });

  test('different prompts get different replies', () => {
    const prompts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    const bodies = new Set(prompts.map((p) => demoReply(p).split('\n\n').slice(2).join('\n\n')));
    expect(bodies.size).toBeGreaterThanOrEqual(3);
    expect(demoReply('alpha')).toBe(demoReply('alpha'));
  });

  test('a missing max_tokens is a 400 invalid_request_error', async () => {
    const res = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'inkwell-demo', messages: [], stream: true }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: unknown };
    expect(body.error).toEqual({ type: 'invalid_request_error', message: 'max_tokens: Field required' });
    await expect(client.messages.create({ ...ask('hi'), max_tokens: 0 })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  test('is paced at about 80 tokens per second by default', async () => {
    server.enqueue({ kind: 'demo' });
    const started = performance.now();
    const message = await client.messages.stream(ask('pace me', 8)).finalMessage();
    expect(message.usage.output_tokens).toBe(8);
    // 8 deltas at 80/s: the last is due at 100 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe('sanitizePrompt', () => {
  test('strips escapes, control characters and markdown punctuation', () => {
    expect(sanitizePrompt('# \u001b[31mred\u001b[0m `code` *bold*\n\tnext|line')).toBe('red code bold next line');
  });

  test('truncates to 40 characters plus an ellipsis without splitting emoji', () => {
    const long = '👍'.repeat(50);
    const out = sanitizePrompt(long);
    expect(Array.from(out)).toHaveLength(41);
    expect(out.endsWith('…')).toBe(true);
    expect(textTokens(out).join('')).toBe(out);
  });

  test('an empty prompt becomes "your message"', () => {
    expect(sanitizePrompt(' \n ')).toBe('your message');
    expect(demoReply('')).toContain('your message');
  });
});
