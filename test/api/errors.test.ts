import Anthropic, { APIConnectionError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { decideRetry } from '../../src/api/retry.js';
import { describeFailure } from '../../src/api/errors.js';
import { createRedactor } from '../../src/domain/redact.js';

/** The error the SDK throws for a base URL with `user:pass@` (fetch refuses to build the request). */
async function credentialsInUrlError(): Promise<unknown> {
  const c = new Anthropic({ apiKey: 'sk-ant-x', baseURL: 'http://alice:hunter2pw@127.0.0.1:9/', maxRetries: 0 });
  try {
    await c.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] });
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('a base URL holding credentials', () => {
  it('is named as such (not "the network is down"), never quotes the password, and is not retried', async () => {
    const err = await credentialsInUrlError();
    expect(err).toBeInstanceOf(APIConnectionError);
    const f = describeFailure(err, createRedactor(['hunter2pw']), false);
    expect(f.kind).toBe('bad_request');
    expect(f.message).toContain('base URL');
    expect(f.message).not.toMatch(/network is down/);
    expect(f.message).not.toContain('hunter2pw');
    expect(decideRetry(err, 0, 4, 0)).toEqual({ retry: false, reason: null });
  });

  it('a plain connection failure still says the network', () => {
    const f = describeFailure(new APIConnectionError({ message: 'down' }));
    expect(f.kind).toBe('network');
  });
});
