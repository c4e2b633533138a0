import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../src/api/count.js';
import { startMessagesServer } from '../../src/server/index.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const client = () => new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });

describe('countTokens (POST /v1/messages/count_tokens)', () => {
  it('counts a request, more with a system prompt and longer messages', async () => {
    const short = await countTokens(client(), { model: 'claude-sonnet-4-6', system: null, messages: [{ role: 'user', content: 'hi' }] });
    const more = await countTokens(client(), {
      model: 'claude-sonnet-4-6',
      system: 'You are terse. '.repeat(40),
      messages: [{ role: 'user', content: 'hi '.repeat(200) }],
    });
    expect(short).toBeGreaterThan(0);
    expect(more).toBeGreaterThan(short!);
  });

  it('answers null, never throws, when the API refuses or there is nothing to count', async () => {
    expect(await countTokens(client(), { model: 'claude-sonnet-4-6', system: null, messages: [] })).toBeNull();
    const bad = new Anthropic({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    expect(await countTokens(bad, { model: 'claude-sonnet-4-6', system: null, messages: [{ role: 'user', content: 'hi' }] })).toBeNull();
  });

  it('answers null when aborted', async () => {
    const c = new AbortController();
    c.abort();
    expect(
      await countTokens(client(), { model: 'claude-sonnet-4-6', system: null, messages: [{ role: 'user', content: 'hi' }] }, c.signal),
    ).toBeNull();
  });
});
