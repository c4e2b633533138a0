// Models and token counting through the real SDK.
import Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo as SdkModelInfo } from '@anthropic-ai/sdk/resources/models';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_MODELS, startMessagesServer, type MessagesServer, type ModelInfo } from '../../src/server/index.js';
import { FIXTURE_DIR } from '../helpers/sse.js';

let server: MessagesServer;
let client: Anthropic;

beforeEach(async () => {
  server = await startMessagesServer();
  client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.close());

// Compile-time: the server's ModelInfo is the SDK's ModelInfo, both ways.
const toSdk = (m: ModelInfo): SdkModelInfo => m as SdkModelInfo;
const fromSdk = (m: SdkModelInfo): ModelInfo => m;
const sameKeys: Record<keyof SdkModelInfo, true> = {} as Record<keyof ModelInfo, true>;
void sameKeys;
void toSdk;
void fromSdk;

describe('GET /v1/models/{id}', () => {
  test('retrieve gives the context window and max output of a known model', async () => {
    const model = await client.models.retrieve('claude-sonnet-4-5');
    expect(model).toEqual({
      type: 'model',
      id: 'claude-sonnet-4-5',
      display_name: 'Claude Sonnet 4.5',
      created_at: '2025-09-29T00:00:00Z',
      capabilities: null,
      deprecated_at: null,
      lifecycle: 'active',
      line: null,
      max_input_tokens: 200_000,
      max_tokens: 64_000,
      retires_at: null,
    });
    expect((await client.models.retrieve('claude-opus-5-5')).max_input_tokens).toBe(1_000_000);
    expect((await client.models.retrieve('inkwell-demo')).max_tokens).toBe(8192);
  });

  test('an unknown model is a NotFoundError with the real not_found body shape', async () => {
    const err = await client.models.retrieve('claude-does-not-exist').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    const res = await fetch(`${server.url}/v1/models/claude-does-not-exist`);
    expect(res.status).toBe(404);
    type ErrorBody = { type: string; error: { type: string; message: string }; request_id: string };
    const body = (await res.json()) as ErrorBody;
    const fixture: ErrorBody = JSON.parse(JSON.parse(readFileSync(join(FIXTURE_DIR, 'http', '404-not-found-model.json'), 'utf8')).body);
    expect(Object.keys(body).sort()).toEqual(Object.keys(fixture).sort());
    expect(Object.keys(body.error).sort()).toEqual(Object.keys(fixture.error).sort());
    expect(body.error).toEqual(fixture.error); // same message: "model: claude-does-not-exist"
    expect(body.request_id).toBe(res.headers.get('request-id'));
  });
});

describe('GET /v1/models', () => {
  test('the list holds the whole default table, newest first', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(DEFAULT_MODELS.map((m) => m.id));
    expect(ids).toEqual(
      expect.arrayContaining([
        'claude-sonnet-4-5',
        'claude-haiku-4-5',
        'claude-opus-4-5',
        'claude-sonnet-4-6',
        'claude-opus-4-6',
        'claude-sonnet-5',
        'claude-opus-5-5',
        'claude-sonnet-5-5',
        'claude-haiku-5-5',
        'claude-fable-5-1',
        'inkwell-demo',
      ]),
    );
    const page = await (await fetch(`${server.url}/v1/models`)).json();
    expect(page).toMatchObject({ first_id: ids[0], last_id: ids.at(-1), has_more: false });
  });

  test('pages with limit/after_id so the SDK auto-paginates', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 4 })) ids.push(model.id);
    expect(ids).toEqual(DEFAULT_MODELS.map((m) => m.id));
    expect(server.requests).toHaveLength(3); // 4 + 4 + 3
    expect(server.requests[1]!.url).toContain('after_id=');
  });

  test('the table is configurable', async () => {
    await server.close();
    server = await startMessagesServer({ models: [{ id: 'tiny', max_input_tokens: 1000, max_tokens: 100 }] });
    client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['tiny']);
    expect(await client.models.retrieve('tiny')).toMatchObject({ display_name: 'tiny', max_tokens: 100, lifecycle: 'active' });
    await expect(client.models.retrieve('claude-sonnet-4-5')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });
});

describe('POST /v1/messages/count_tokens', () => {
  test('estimates ceil(chars / 4) over system and all message text', async () => {
    const result = await client.messages.countTokens({
      model: 'claude-sonnet-4-6',
      system: 'Be brief.', // 9 chars
      messages: [
        { role: 'user', content: 'What is 2 + 2?' }, // 14
        { role: 'assistant', content: [{ type: 'text', text: 'Four.' }] }, // 5
        { role: 'user', content: [{ type: 'text', text: 'And 3 + 3?' }] }, // 10
      ],
    });
    expect(result).toEqual({ input_tokens: Math.ceil((9 + 14 + 5 + 10) / 4) });
    expect(server.requests[0]!.path).toBe('/v1/messages/count_tokens');
  });

  test('is at least 1', async () => {
    const result = await client.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: '' }] });
    expect(result.input_tokens).toBe(1);
  });

  test('with strictModels an unknown model is a 404', async () => {
    await server.close();
    server = await startMessagesServer({ strictModels: true });
    client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    await expect(
      client.messages.countTokens({ model: 'claude-does-not-exist', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });
});
