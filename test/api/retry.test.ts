import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { backoffMs, decideRetry, MAX_RETRY_WAIT_MS, retryAfterMs } from '../../src/api/retry.js';

function httpError(status: number, headers: Record<string, string> = {}, errorCode?: string): APIError {
  const body = { type: 'error', error: { type: 'x', message: 'm', ...(errorCode ? { details: { error_code: errorCode } } : {}) } };
  return APIError.generate(status, body, undefined, new Headers(headers));
}

describe('the retry policy before the first byte (SDK 1.12 shouldRetry, docs/PROTOCOL.md §6)', () => {
  it('retries 408, 409, 429, 5xx and 529, and connection errors; not 400/401/404', () => {
    for (const s of [408, 409, 429, 500, 503, 529]) expect(decideRetry(httpError(s), 0, 4, 0).retry).toBe(true);
    for (const s of [400, 401, 403, 404, 413]) expect(decideRetry(httpError(s), 0, 4, 0).retry).toBe(false);
    expect(decideRetry(new APIConnectionError({ message: 'down' }), 0, 4, 0)).toMatchObject({ retry: true, reason: 'network error' });
    expect(decideRetry(new APIUserAbortError(), 0, 4, 0).retry).toBe(false);
  });

  it('stops after maxRetries, and x-should-retry overrides either way', () => {
    expect(decideRetry(httpError(529), 4, 4, 0).retry).toBe(false);
    expect(decideRetry(httpError(529, { 'x-should-retry': 'false' }), 0, 4, 0).retry).toBe(false);
    expect(decideRetry(httpError(400, { 'x-should-retry': 'true' }), 0, 4, 0).retry).toBe(true);
  });

  it('waits what the server asks (retry-after-ms wins over retry-after), else backs off 0.5 s × 2^n up to 8 s', () => {
    expect(decideRetry(httpError(429, { 'retry-after': '3' }), 0, 4, 0)).toMatchObject({
      retry: true,
      delayMs: 3000,
      reason: 'rate limited',
    });
    expect(decideRetry(httpError(429, { 'retry-after-ms': '700', 'retry-after': '30' }), 0, 4, 0)).toMatchObject({ delayMs: 700 });
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffMs(0, 0.999)).toBeGreaterThanOrEqual(375);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '-1' }))).toBeNull();
  });

  it('does not wait out more than a minute, nor retry a spend limit', () => {
    expect(decideRetry(httpError(429, { 'retry-after': String(MAX_RETRY_WAIT_MS / 1000 + 1) }), 0, 4, 0)).toEqual({
      retry: false,
      reason: 'asked to wait too long',
    });
    expect(decideRetry(httpError(429, {}, 'enforced_spend_limit_reached'), 0, 4, 0)).toEqual({
      retry: false,
      reason: 'spend limit reached',
    });
  });
});
