import { APIError } from '@anthropic-ai/sdk';
import { NO_SECRETS, type Redactor } from '../domain/redact.js';
import type { ApiFailure } from './errors.js';
import { showProxy } from './proxy.js';

/**
 * Failures whose fix is a setting, each told as one plain line that says what to set: a
 * certificate the machine does not trust (NODE_EXTRA_CA_CERTS), a proxy that refuses or cannot
 * be reached (HTTPS_PROXY / NO_PROXY), missing or expired AWS and Google credentials, and an
 * `apiKeyHelper` that failed. None of them is worth a retry: asking again gives the same answer.
 */

/**
 * A request that failed below HTTP, labelled with where it was going and through which proxy
 * ({@link labelledFetch} throws it; the SDK wraps it as an APIConnectionError's `cause`).
 */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly host: string,
    readonly proxy: string | null,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original), { cause: original });
  }
}

/**
 * A fetch whose network failures say where the request was going and through which proxy
 * (see {@link TransportError}); responses and aborts pass through untouched.
 * @param proxyFor the proxy a URL goes through (api/proxy.ts `proxyFor`), or null
 */
export function labelledFetch(inner: typeof fetch, proxyFor: (url: string) => string | null): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      let host = url;
      try {
        host = new URL(url).host;
      } catch {
        // keep the text
      }
      throw new TransportError(host, proxyFor(url), err);
    }
  };
}

/** Every error in a `cause` chain, outermost first (at most 8). */
function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    out.push(e);
    if (typeof e !== 'object') break;
  }
  return out;
}

/** OpenSSL's verification failures that a CA bundle fixes, in words. */
const TLS_CODES = new Map([
  ['SELF_SIGNED_CERT_IN_CHAIN', 'a self-signed certificate in its chain'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'a self-signed certificate'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'signed by an authority this machine does not know'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'signed by an authority this machine does not know'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'signed by an authority this machine does not know'],
  ['CERT_UNTRUSTED', 'not trusted for this purpose'],
]);

const code = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : '';
const text = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'string' ? e : '');

function failure(kind: ApiFailure['kind'], message: string, reason: string, status: number | null = null): ApiFailure {
  return { kind, status, message, reason, requestId: null };
}

/**
 * The failure in plain words when its fix is a setting (see the module comment), else null.
 * @param err anything a request threw (an SDK error whose `cause` chain is searched)
 * @param redactor scrubs any text taken from the error
 */
export function explainFixable(err: unknown, redactor: Redactor): ApiFailure | null {
  const chain = causes(err);
  const all = chain.map((e) => `${code(e)} ${text(e)}`).join(' | ');

  const helper = chain.find((e) => e instanceof Error && e.name === 'KeyHelperError');
  if (helper) return failure('auth', redactor.scrub(text(helper)), 'the apiKeyHelper command failed');

  // AWS: the HTTP answers (403 from Bedrock), then the credential chain finding nothing usable.
  if (err instanceof APIError && (err.status === 403 || err.status === 401)) {
    const m = `${err.message} ${err.headers?.get?.('x-amzn-errortype') ?? ''}`;
    if (/security token included in the request is expired|ExpiredToken/i.test(m)) {
      return failure(
        'auth',
        'Your AWS credentials have expired. Refresh them (aws sso login, or export new AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN) and start inkwell again.',
        'AWS credentials expired',
        err.status,
      );
    }
    if (
      /security token included in the request is invalid|UnrecognizedClient|InvalidSignature|signature we calculated does not match/i.test(
        m,
      )
    ) {
      return failure(
        'auth',
        'AWS rejected the credentials (invalid security token). Check AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, and AWS_REGION.',
        'AWS credentials rejected',
        err.status,
      );
    }
    if (/UNAUTHENTICATED|invalid authentication credentials|ACCESS_TOKEN_EXPIRED/i.test(m)) {
      return failure(
        'auth',
        'Google rejected the credentials (expired or invalid). Run: gcloud auth application-default login (or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file).',
        'Google credentials rejected',
        err.status,
      );
    }
  }
  if (/Failed to resolve AWS credentials/i.test(all)) {
    const expired = /expired|refresh/i.test(all);
    const why = redactor.scrub(
      text(chain[chain.length - 1])
        .split('\n')[0]!
        .slice(0, 160),
    );
    return failure(
      'auth',
      expired
        ? 'Your AWS credentials have expired. Refresh them (aws sso login --profile <name>) and start inkwell again.'
        : `No usable AWS credentials were found${why ? ` (${why})` : ''}. Set AWS_PROFILE (after aws sso login or aws configure), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK; and AWS_REGION.`,
      expired ? 'AWS credentials expired' : 'no AWS credentials',
    );
  }
  if (/Failed to acquire Google OAuth credentials/i.test(all)) {
    const expired = /invalid_grant|expired|revoked|reauth/i.test(all);
    return failure(
      'auth',
      expired
        ? 'Your Google credentials have expired. Run: gcloud auth application-default login, and start inkwell again.'
        : 'No Google credentials were found. Run: gcloud auth application-default login (or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file).',
      expired ? 'Google credentials expired' : 'no Google credentials',
    );
  }

  const transport = chain.find((e): e is TransportError => e instanceof TransportError);
  if (!transport) return null;
  const tls = chain.find((e) => TLS_CODES.has(code(e)));
  if (tls) {
    return failure(
      'network',
      `The TLS certificate of ${transport.host} is not trusted (${TLS_CODES.get(code(tls))}). If a proxy or gateway on your network re-signs traffic, set NODE_EXTRA_CA_CERTS to its CA certificate (a PEM file) and start inkwell again.`,
      'untrusted TLS certificate',
    );
  }
  if (chain.some((e) => code(e) === 'ERR_TLS_CERT_ALTNAME_INVALID')) {
    return failure(
      'network',
      `The TLS certificate of ${transport.host} is for another host name. Check the base URL (--base-url, ANTHROPIC_BASE_URL) and any proxy settings.`,
      'TLS host name mismatch',
    );
  }
  if (transport.proxy) {
    const proxy = showProxy(transport.proxy);
    const status = /Proxy response \((\d+)\)/.exec(all)?.[1];
    if (status) {
      const auth = status === '407' ? ' It wants credentials: put them in the proxy URL (http://user:password@host:port).' : '';
      return failure(
        'network',
        `The proxy ${proxy} refused to connect to ${transport.host} (HTTP ${status}).${auth} Check HTTPS_PROXY / HTTP_PROXY, or add the host to NO_PROXY to go direct.`,
        'the proxy refused',
      );
    }
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT/.test(all)) {
      return failure(
        'network',
        `The proxy ${proxy} could not be reached for ${transport.host} (${/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT/.exec(all)![0]}). Check HTTPS_PROXY / HTTP_PROXY, or add the host to NO_PROXY to go direct.`,
        'the proxy could not be reached',
      );
    }
  }
  return null;
}

/** True when retrying cannot help: the failure's fix is a setting ({@link explainFixable}). */
export function isFixableFailure(err: unknown): boolean {
  return explainFixable(err, NO_SECRETS) !== null;
}
