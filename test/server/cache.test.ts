// The local server's prompt cache through the real SDK: writes, reads, the TTL breakdown,
// expiry, the 4-breakpoint limit, and count_tokens agreeing with the billed input.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, test } from 'vitest';
import { PromptCache, planCache, type CacheUsage } from '../../src/server/cache.js';
import { startMessagesServer, type MessagesServer, type MessagesServerOptions } from '../../src/server/index.js';
import { estimateInputTokens } from '../../src/server/tokens.js';

let server: MessagesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(opts: MessagesServerOptions = {}): Promise<Anthropic> {
  server = await startMessagesServer({ defaultScenario: { kind: 'demo', tokensPerSecond: 0 }, ...opts });
  return new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
}

const MODEL = 'claude-sonnet-5'; // minimum cacheable prefix: 1024 tokens
/** 6000 characters = 1500 estimated tokens: over the minimum on its own. */
const SYSTEM = 'You answer questions about terminals. '.repeat(158).slice(0, 6000);

type Body = Anthropic.MessageCreateParamsStreaming & { cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } };

/** One streamed request: the usage of `message_start` and of the final message, and the reply. */
async function send(client: Anthropic, body: Omit<Body, 'stream'>): Promise<{ start: CacheUsage; final: Anthropic.Usage; text: string }> {
  const stream = client.messages.stream(body as Anthropic.MessageStreamParams);
  let start: CacheUsage | undefined;
  stream.on('streamEvent', (event) => {
    if (event.type === 'message_start') start = event.message.usage as unknown as CacheUsage;
  });
  const message = await stream.finalMessage();
  const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return { start: start!, final: message.usage, text };
}

const billed = (u: CacheUsage): number => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;

describe('automatic caching (top-level cache_control)', () => {
  test('a 3-turn conversation writes, then reads what the turn before wrote and writes the new part', async () => {
    const client = await start();
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is a pty?' }];
    const base = { model: MODEL, max_tokens: 16, system: SYSTEM };

    const t1 = await send(client, { ...base, messages, cache_control: { type: 'ephemeral' } });
    const total1 = estimateInputTokens({ system: SYSTEM, messages });
    expect(t1.start).toMatchObject({
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: total1,
      cache_creation: { ephemeral_5m_input_tokens: total1, ephemeral_1h_input_tokens: 0 },
    });
    expect(billed(t1.start)).toBe(total1);
    // The final usage (message_delta) repeats the three totals, as fixture 04 shows.
    expect(t1.final).toMatchObject({
      input_tokens: t1.start.input_tokens,
      cache_creation_input_tokens: total1,
      cache_read_input_tokens: 0,
    });

    messages.push({ role: 'assistant', content: t1.text }, { role: 'user', content: 'And a tty?' });
    const t2 = await send(client, { ...base, messages, cache_control: { type: 'ephemeral' } });
    const total2 = estimateInputTokens({ system: SYSTEM, messages });
    expect(t2.start.cache_read_input_tokens).toBe(total1);
    expect(t2.start.cache_creation_input_tokens).toBe(total2 - total1);
    expect(t2.start.cache_creation).toEqual({ ephemeral_5m_input_tokens: total2 - total1, ephemeral_1h_input_tokens: 0 });
    expect(billed(t2.start)).toBe(total2);

    messages.push({ role: 'assistant', content: t2.text }, { role: 'user', content: 'And a console?' });
    const t3 = await send(client, { ...base, messages, cache_control: { type: 'ephemeral', ttl: '1h' } });
    const total3 = estimateInputTokens({ system: SYSTEM, messages });
    expect(t3.start.cache_read_input_tokens).toBe(total2);
    expect(t3.start.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: total3 - total2 });
    expect(billed(t3.start)).toBe(total3);
  });

  test('without cache_control nothing is cached and the cache fields are 0', async () => {
    const client = await start();
    const body = { model: MODEL, max_tokens: 8, system: SYSTEM, messages: [{ role: 'user' as const, content: 'hi' }] };
    await send(client, body);
    const again = await send(client, body);
    const total = estimateInputTokens(body);
    expect(again.start).toEqual(
      expect.objectContaining({
        input_tokens: total,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      }),
    );
    // The same body with caching on finds nothing to read: the earlier requests wrote nothing.
    const cached = await send(client, { ...body, cache_control: { type: 'ephemeral' } });
    expect(cached.start.cache_read_input_tokens).toBe(0);
    expect(cached.start.cache_creation_input_tokens).toBe(total);
  });

  test('a prefix shorter than the model minimum is not written', async () => {
    const client = await start();
    const body = {
      model: MODEL,
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: 'short' }],
      cache_control: { type: 'ephemeral' as const },
    };
    const r = await send(client, body);
    expect(r.start).toMatchObject({ input_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  test('an entry expires after its (shortened) TTL and the next request writes again', async () => {
    const client = await start({ cacheTtlMs: { '5m': 400 } });
    const body = {
      model: MODEL,
      max_tokens: 8,
      system: SYSTEM,
      messages: [{ role: 'user' as const, content: 'hi' }],
      cache_control: { type: 'ephemeral' as const },
    };
    const total = estimateInputTokens(body);
    expect((await send(client, body)).start.cache_creation_input_tokens).toBe(total);
    expect((await send(client, body)).start.cache_read_input_tokens).toBe(total);
    await new Promise((r) => setTimeout(r, 600));
    const cold = await send(client, body);
    expect(cold.start.cache_read_input_tokens).toBe(0);
    expect(cold.start.cache_creation_input_tokens).toBe(total);
  });
});

describe('block-level breakpoints', () => {
  test('a 1h breakpoint on the system prompt and a 5m one on the last message split the write by TTL', async () => {
    const client = await start();
    const system = [{ type: 'text' as const, text: SYSTEM, cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } }];
    const question = 'Tell me about terminals. '.repeat(200); // 5000 chars = 1250 tokens
    const body = {
      model: MODEL,
      max_tokens: 8,
      system,
      messages: [
        { role: 'user' as const, content: [{ type: 'text' as const, text: question, cache_control: { type: 'ephemeral' as const } }] },
      ],
    };
    const r = await send(client, body);
    expect(r.start.cache_creation).toEqual({ ephemeral_1h_input_tokens: 1500, ephemeral_5m_input_tokens: 1250 });
    expect(r.start).toMatchObject({ input_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 2750 });

    // A new question after the same system prompt reads the 1h entry and writes its own 2 tokens
    // (the minimum counts the whole prefix up to the breakpoint, not the part after the hit).
    const next = await send(client, { ...body, messages: [{ role: 'user', content: [{ type: 'text', text: 'Other' }] }] });
    expect(next.start).toMatchObject({ cache_read_input_tokens: 1500, cache_creation_input_tokens: 0, input_tokens: 2 });
    const marked = await send(client, {
      ...body,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Other', cache_control: { type: 'ephemeral' } }] }],
    });
    expect(marked.start).toMatchObject({ cache_read_input_tokens: 1500, cache_creation_input_tokens: 2, input_tokens: 0 });
  });

  test('more than 4 breakpoints is a 400 in the API shape; the automatic one counts', async () => {
    const client = await start();
    const block = (text: string) => ({ type: 'text' as const, text, cache_control: { type: 'ephemeral' as const } });
    const four = [block('a'), block('b'), block('c'), block('d')];
    const res = await fetch(`${server!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 8, system: [block('s')], messages: [{ role: 'user', content: four }] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const json = (await res.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(json).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.' },
      request_id: res.headers.get('request-id'),
    });

    // Four explicit are fine; a fifth from the top-level cache_control is not.
    const fine = {
      model: MODEL,
      max_tokens: 8,
      messages: [{ role: 'user' as const, content: [...four, { type: 'text' as const, text: 'e' }] }],
    };
    await expect(send(client, fine)).resolves.toBeDefined();
    const err = await send(client, { ...fine, cache_control: { type: 'ephemeral' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toContain('A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  test('an unknown ttl is a 400 naming the field', () => {
    expect(planCache({ model: MODEL, messages: [], cache_control: { type: 'ephemeral', ttl: '2h' } })).toEqual({
      ok: false,
      message: "cache_control.ttl: Input should be '5m' or '1h'",
    });
    const onBlock = {
      model: MODEL,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'forever' } }] }],
    };
    expect(planCache(onBlock)).toEqual({ ok: false, message: "messages.0.content.0.cache_control.type: Input should be 'ephemeral'" });
  });
});

describe('the TTL', () => {
  test('counts from the last request that used the entry', () => {
    let now = 0;
    const cache = new PromptCache({ now: () => now });
    const checked = planCache({
      model: MODEL,
      system: SYSTEM,
      messages: [{ role: 'user', content: 'hi' }],
      cache_control: { type: 'ephemeral' },
    });
    if (!checked.ok) throw new Error(checked.message);
    expect(cache.use(checked.plan).cache_creation_input_tokens).toBe(1501);
    now = 4 * 60_000; // a read at 4 min refreshes the 5-minute entry
    expect(cache.use(checked.plan).cache_read_input_tokens).toBe(1501);
    now = 8 * 60_000; // 8 min after the write, 4 after the read: still warm
    expect(cache.use(checked.plan).cache_read_input_tokens).toBe(1501);
    now = 13 * 60_000 + 1; // 5 min after the last read: gone
    expect(cache.size()).toBe(0);
    expect(cache.use(checked.plan).cache_read_input_tokens).toBe(0);
  });
});

describe('count_tokens', () => {
  test('equals the input the messages endpoint bills for the same body (input + cache fields)', async () => {
    const client = await start();
    const body = {
      model: MODEL,
      system: SYSTEM,
      messages: [
        { role: 'user' as const, content: 'What is a pty?' },
        { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'A pseudo-terminal.' }] },
        { role: 'user' as const, content: 'And a tty?' },
      ],
      cache_control: { type: 'ephemeral' as const },
    };
    const counted = await client.messages.countTokens(body as Anthropic.MessageCountTokensParams);
    const first = await send(client, { ...body, max_tokens: 8 });
    const second = await send(client, { ...body, max_tokens: 8 });
    expect(counted.input_tokens).toBe(billed(first.start));
    expect(counted.input_tokens).toBe(billed(second.start));
    expect(second.start.cache_read_input_tokens).toBeGreaterThan(0);
    expect(Object.keys(counted)).toEqual(['input_tokens']);
  });

  test('validates the body like /v1/messages (model, messages) but needs no max_tokens', async () => {
    await start();
    const post = (body: unknown) =>
      fetch(`${server!.url}/v1/messages/count_tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const noModel = await post({ messages: [] });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as { error: unknown }).error).toEqual({
      type: 'invalid_request_error',
      message: 'model: Field required',
    });
    const noMessages = await post({ model: MODEL });
    expect(((await noMessages.json()) as { error: unknown }).error).toEqual({
      type: 'invalid_request_error',
      message: 'messages: Field required',
    });
    const ok = await post({ model: MODEL, messages: [{ role: 'user', content: 'What is 2 + 2?' }] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ input_tokens: 4 });
  });
});
