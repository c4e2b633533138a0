import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/api/errors.js';
import { explainFixable, isFixableFailure, labelledFetch, TransportError } from '../../src/api/fixes.js';
import { decideRetry } from '../../src/api/retry.js';
import { KeyHelperError } from '../../src/config/key-helper.js';
import { createRedactor, NO_SECRETS } from '../../src/domain/redact.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const wrapped = (inner: unknown, proxy: string | null = null) =>
  new APIConnectionError({
    message: 'Connection error.',
    cause: new TransportError('api.example.test', proxy, new TypeError('fetch failed', { cause: inner })),
  });

describe('failures whose fix is a setting', () => {
  it('a self-signed certificate names NODE_EXTRA_CA_CERTS', () => {
    const f = explainFixable(wrapped(withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN')), NO_SECRETS);
    expect(f?.message).toBe(
      'The TLS certificate of api.example.test is not trusted (a self-signed certificate in its chain). If a proxy or gateway on your network re-signs traffic, set NODE_EXTRA_CA_CERTS to its CA certificate (a PEM file) and start inkwell again.',
    );
  });

  it('a proxy answering 407 asks for credentials in its URL, without showing the ones it has', () => {
    const f = explainFixable(
      wrapped(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), 'http://bob:pw@proxy.corp:3128'),
      NO_SECRETS,
    );
    expect(f?.message).toContain(
      'The proxy http://proxy.corp:3128 refused to connect to api.example.test (HTTP 407). It wants credentials',
    );
    expect(f?.message).not.toContain('pw@');
  });

  it('a connection refused without a proxy is not a setting problem (it is retried as before)', () => {
    const err = wrapped(withCode('connect ECONNREFUSED', 'ECONNREFUSED'));
    expect(explainFixable(err, NO_SECRETS)).toBeNull();
    expect(decideRetry(err, 0, 4, 0).retry).toBe(true);
  });

  it('an expired AWS token (Bedrock 403) is not retried and says how to refresh', () => {
    const err = APIError.generate(403, { message: 'The security token included in the request is expired' }, undefined, new Headers());
    expect(isFixableFailure(err)).toBe(true);
    expect(decideRetry(err, 0, 4, 0).retry).toBe(false);
    expect(describeFailure(err).message).toMatch(/^Your AWS credentials have expired\. Refresh them \(aws sso login/);
  });

  it('Google credentials that cannot be refreshed', () => {
    const err = new APIConnectionError({
      message: 'Failed to acquire Google OAuth credentials.',
      cause: new Error('invalid_grant: Token has been expired or revoked.'),
    });
    expect(describeFailure(err).message).toBe(
      'Your Google credentials have expired. Run: gcloud auth application-default login, and start inkwell again.',
    );
  });

  it("a key helper's failure comes through the SDK's wrapping as its own words, scrubbed", () => {
    const r = createRedactor(['topsecret']);
    const err = new Error('The `apiKey` function failed: x', {
      cause: new KeyHelperError("The apiKeyHelper setting's command failed (exit 1): topsecret"),
    });
    expect(describeFailure(err, r).message).toBe("The apiKeyHelper setting's command failed (exit 1): [redacted]");
  });
});

describe('labelledFetch', () => {
  it('labels network failures with the host and proxy, and lets aborts through as they are', async () => {
    const failing = labelledFetch(
      async () => {
        throw new TypeError('fetch failed');
      },
      () => 'http://p:1',
    );
    await expect(failing('https://h.test:8443/v1/messages')).rejects.toMatchObject({
      name: 'TransportError',
      host: 'h.test:8443',
      proxy: 'http://p:1',
    });
    const abort = new DOMException('aborted', 'AbortError');
    const aborting = labelledFetch(
      async () => {
        throw abort;
      },
      () => null,
    );
    await expect(aborting('https://h.test')).rejects.toBe(abort);
  });
});
