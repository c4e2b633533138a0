import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { cacheHeaders, cacheParams, EXTENDED_CACHE_TTL_BETA, isCacheControlRejection } from '../../src/api/cache.js';
import { messagesApi } from '../../src/api/port.js';
import { parseStreamEvent, turnRequestBody } from '../../src/api/stream.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { encodeEvent, startMessagesServer } from '../../src/server/index.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

describe('prompt caching fields', () => {
  it('5m sends cache_control {type: ephemeral}, 1h adds ttl "1h" and the beta header, off sends nothing', () => {
    expect(cacheParams('5m')).toEqual({ cache_control: { type: 'ephemeral' } });
    expect(cacheParams('1h')).toEqual({ cache_control: { type: 'ephemeral', ttl: '1h' } });
    expect(cacheParams('off')).toEqual({});
    expect(cacheHeaders('5m')).toEqual({});
    expect(cacheHeaders('1h')).toEqual({ 'anthropic-beta': EXTENDED_CACHE_TTL_BETA });
    expect(cacheHeaders('off')).toEqual({});
  });

  it('the request body puts cache_control at the top level only, after the other fields, and leaves the messages as they are', () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const body = turnRequestBody({ model: 'm', maxTokens: 10, system: 'S', messages, promptCache: '5m' });
    expect(Object.keys(body)).toEqual(['model', 'max_tokens', 'messages', 'system', 'cache_control']);
    expect(body.messages).toBe(messages);
    expect(JSON.stringify(body.messages)).not.toContain('cache_control');
    expect(turnRequestBody({ model: 'm', maxTokens: 10, system: null, messages })).not.toHaveProperty('cache_control');
  });

  it('a 400 naming cache_control (or the extended-TTL beta) is a rejection of caching; other failures are not', () => {
    expect(isCacheControlRejection(400, 'cache_control: Extra inputs are not permitted')).toBe(true);
    expect(isCacheControlRejection(400, '400 {"error":{"message":"Unknown field: cache_control"}}')).toBe(true);
    expect(isCacheControlRejection(400, 'Unexpected value(s) `extended-cache-ttl-2025-04-11` for the `anthropic-beta` header')).toBe(true);
    expect(isCacheControlRejection(400, 'messages: roles must alternate')).toBe(false);
    expect(isCacheControlRejection(500, 'cache_control broke the server')).toBe(false);
    expect(isCacheControlRejection(null, 'cache_control')).toBe(false);
  });
});

describe('unknown usage fields', () => {
  const usage = {
    input_tokens: 12,
    cache_creation_input_tokens: 300,
    cache_read_input_tokens: 4000,
    cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 0, ephemeral_24h_input_tokens: 7 },
    server_tool_use: { web_search_requests: 0, code_execution_requests: 2 },
    service_tier: 'standard',
    a_field_from_the_future: [1, { deep: true }],
    output_tokens: 1,
  };

  it('are passed over by the event parser: the usage still counts', () => {
    const e = parseStreamEvent({ type: 'message_start', message: { id: 'msg_1', model: 'm', usage } });
    expect(e.type).toBe('message_start');
    expect(e.type === 'message_start' && e.message.usage).toMatchObject({ input_tokens: 12, cache_read_input_tokens: 4000 });
  });

  it('leave a reply and its token counts intact', async () => {
    const frames = [
      encodeEvent({
        type: 'message_start',
        message: { id: 'msg_u', type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', content: [], usage },
      }),
      encodeEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      encodeEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'fine' } }),
      encodeEvent({ type: 'content_block_stop', index: 0 }),
      encodeEvent({
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { ...usage, output_tokens: 3 },
      }),
      encodeEvent({ type: 'message_stop' }),
    ];
    server.enqueue({ kind: 'sse', body: frames.join('') });
    const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
    const engine = new ChatEngine({ api: messagesApi(client), model: 'claude-sonnet-5-5', maxTokens: 1024, system: null });
    engine.send('hi');
    expect((await engine.settled())?.ok).toBe(true);
    const reply = engine.getState().messages.find((m) => m.role === 'assistant');
    expect(reply?.role === 'assistant' && reply.status).toBe('complete');
    expect(reply?.role === 'assistant' && reply.usage).toMatchObject({
      input_tokens: 12,
      output_tokens: 3,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 4000,
    });
    expect(engine.getState().totals).toMatchObject({ input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 4000 });
  });
});
