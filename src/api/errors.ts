import { NO_SECRETS, type Redactor } from '../domain/redact.js';
import { explainFixable } from './fixes.js';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';

/**
 * A failed request or stream in plain words. Built from SDK errors (SDK 1.12 `src/core/error.ts`,
 * status table in docs/PROTOCOL.md §5.2); never holds the API key or a stack trace.
 */
export interface ApiFailure {
  kind:
    | 'aborted'
    | 'auth'
    | 'permission'
    | 'billing'
    | 'not_found'
    | 'bad_request'
    | 'prompt_too_long'
    | 'too_large'
    | 'rate_limit'
    | 'overloaded'
    | 'server'
    | 'network'
    | 'timeout'
    | 'stream_cut'
    | 'unknown';
  /** HTTP status, or null for in-stream errors and network failures. */
  status: number | null;
  /** One or two sentences a person can act on. */
  message: string;
  /** A short phrase for a partial reply: "the server was overloaded". */
  reason: string;
  requestId: string | null;
}

/**
 * When a rate limit resets, from the `anthropic-ratelimit-*-reset` headers (RFC 3339), as local
 * time "14:05:30"; the latest of the limits that are exhausted, else of all given.
 */
export function rateLimitReset(headers: { get(name: string): string | null } | undefined | null): string | null {
  if (!headers) return null;
  const kinds = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
  const resets: number[] = [];
  const exhausted: number[] = [];
  for (const k of kinds) {
    const at = Date.parse(headers.get(`anthropic-ratelimit-${k}-reset`) ?? '');
    if (!Number.isFinite(at)) continue;
    resets.push(at);
    if (headers.get(`anthropic-ratelimit-${k}-remaining`) === '0') exhausted.push(at);
  }
  const pick = exhausted.length ? exhausted : resets;
  if (pick.length === 0) return null;
  return new Date(Math.max(...pick)).toTimeString().slice(0, 8);
}

/** The messages of an error's `cause` chain (up to 5 deep), joined; '' when there is none. */
function causeText(err: Error): string {
  const parts: string[] = [];
  let c: unknown = err.cause;
  for (let i = 0; i < 5 && c instanceof Error; i++, c = c.cause) parts.push(c.message);
  return parts.join(' ');
}

/**
 * True for a request fetch refused to build because its URL holds credentials (`user:pass@`;
 * WHATWG Fetch, "new Request" step: a TypeError): no retry can help.
 */
export function refusedByFetch(err: unknown): boolean {
  return err instanceof APIConnectionError && /includes credentials/i.test(causeText(err));
}

/** " (Bad Gateway)" for the gateway statuses a proxy answers with, else "". */
function statusText(status: number): string {
  const names: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return names[status] ? ` (${names[status]})` : '';
}

function withId(message: string, requestId: string | null): string {
  return requestId ? `${message} (request id ${requestId})` : message;
}

function apiMessageOf(e: APIError, redactor: Redactor): string {
  const m = e.apiMessage ?? '';
  // The templates put their own full stop after the API's words: drop the API's one ("resource..").
  return redactor
    .scrub(m)
    .slice(0, 300)
    .replace(/[\s.]+$/, '');
}

/**
 * Maps anything a stream or request threw to an ApiFailure.
 * @param err the thrown value (SDK error, AbortError, anything)
 * @param redactor scrubs credentials from any text taken from the error
 * @param delivered whether any of the reply's events had arrived (false: nothing to keep or continue)
 */
export function describeFailure(err: unknown, redactor: Redactor = NO_SECRETS, delivered = true): ApiFailure {
  // Failures whose fix is a setting (certificates, proxies, cloud credentials, apiKeyHelper): api/fixes.ts.
  const fixable = explainFixable(err, redactor);
  if (fixable) return fixable;
  const scrub = (s: string) => redactor.scrub(s);
  // What can be done about a reply cut short: only promise a partial (and /continue) if any of it came.
  const kept = delivered
    ? ' Anything that arrived is kept: /continue carries it on, /retry asks again.'
    : ' None of the reply had arrived: /retry asks again.';
  if (err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) {
    return { kind: 'aborted', status: null, message: 'Stopped.', reason: 'stopped', requestId: null };
  }
  if (err instanceof APIConnectionTimeoutError) {
    return {
      kind: 'timeout',
      status: null,
      message: 'The request timed out. Check your network and try again.',
      reason: 'the request timed out',
      requestId: null,
    };
  }
  if (refusedByFetch(err)) {
    // fetch (WHATWG Fetch §5.4 "new Request": a URL with credentials is a TypeError) refuses the
    // request before it is sent: nothing to do with the network.
    return {
      kind: 'bad_request',
      status: null,
      message:
        'The base URL holds a user name or password (user:pass@…), which cannot be sent that way. Remove it from --base-url / ANTHROPIC_BASE_URL (a token goes in ANTHROPIC_AUTH_TOKEN).',
      reason: 'the base URL holds credentials',
      requestId: null,
    };
  }
  if (err instanceof APIConnectionError) {
    return {
      kind: 'network',
      status: null,
      message:
        'Could not reach the API: the network is down or the address is wrong. Check your connection (and --base-url / ANTHROPIC_BASE_URL) and try again.',
      reason: 'the connection failed',
      requestId: null,
    };
  }
  if (err instanceof APIError) {
    const requestId = err.requestID ? scrub(err.requestID) : null;
    const status = typeof err.status === 'number' ? err.status : null;
    const type = err.type ?? null;
    // Only the text that came from the response is scrubbed: scrubbing the whole message would
    // also blank inkwell's own hint "export ANTHROPIC_API_KEY=sk-ant-…" (it looks like a key).
    const detail = apiMessageOf(err, redactor);
    // The API's error bodies are JSON with `error.type` (docs/PROTOCOL.md §5.2); an HTML page or
    // plain text came from something in between (a proxy, a gateway, a wrong host).
    const anthropicShaped = err.type !== null && err.type !== undefined;
    const f = (kind: ApiFailure['kind'], message: string, reason: string): ApiFailure => ({
      kind,
      status,
      message: withId(message, requestId),
      reason,
      requestId,
    });
    if (status === null) {
      // An `event: error` inside a 200 stream (docs/PROTOCOL.md §5.1): never retried by the SDK.
      if (type === 'overloaded_error')
        return f('overloaded', `The API is overloaded and stopped this reply (overloaded_error).${kept}`, 'the server was overloaded');
      if (type === 'rate_limit_error') return f('rate_limit', `Rate limited part-way through the reply.${kept}`, 'rate limited');
      return f(
        'server',
        `The API reported an error part-way through the reply${detail ? `: ${detail}` : ''}.${kept}`,
        'the server reported an error',
      );
    }
    switch (status) {
      case 401:
        return f(
          'auth',
          'The API key was rejected (401). Set a valid key: export ANTHROPIC_API_KEY=sk-ant-…  (or run with --demo to try inkwell offline).',
          'authentication failed',
        );
      case 402:
        return f('billing', `Billing problem (402)${detail ? `: ${detail}` : ''}. Check your plan and credits.`, 'billing error');
      case 403:
        return f(
          'permission',
          `Permission denied (403)${detail ? `: ${detail}` : ''}. This key may not have access to that model or feature.`,
          'permission denied',
        );
      case 404:
        // The API's unknown model is `not_found_error` "model: <id>"; any other 404 (the API's
        // "Not Found" for an unknown path, a proxy's page) means the address is wrong.
        if (/\bmodel\b/i.test(detail))
          return f('not_found', `Not found (404)${detail ? `: ${detail}` : ''}. Check the model name (--model).`, 'not found');
        return f(
          'not_found',
          `Not found (404)${anthropicShaped ? `: ${detail || 'Not Found'}` : ''}: nothing answers at that address. Check the base URL (--base-url / ANTHROPIC_BASE_URL); inkwell adds /v1/messages to it.`,
          'not found',
        );
      case 413:
        return f('too_large', 'The request is too large (413). Start a new conversation or send less text.', 'request too large');
      case 429: {
        const spend = err.errorCode === 'enforced_spend_limit_reached' || err.errorCode === 'contract_spend_limit_reached';
        if (spend) {
          return f(
            'rate_limit',
            `Your spend limit is reached${detail ? `: ${detail}` : ''}. inkwell did not retry: it cannot help until the limit resets or is raised.`,
            'spend limit reached',
          );
        }
        const reset = rateLimitReset(err.headers);
        return f(
          'rate_limit',
          `Rate limited (429)${detail ? `: ${detail}` : ''}.${reset ? ` The limit resets at ${reset}.` : ''} /retry asks again.`,
          'rate limited',
        );
      }
      case 529:
        return f(
          'overloaded',
          'The API is overloaded (529) right now, and stayed so through every retry. /retry asks again.',
          'the server was overloaded',
        );
      case 400:
        if (/prompt is too long/i.test(detail))
          return f(
            'prompt_too_long',
            `The conversation no longer fits the model's context window (${detail}). Start a new conversation with /new.`,
            'prompt too long',
          );
        return f('bad_request', `The API rejected the request (400)${detail ? `: ${detail}` : ''}.`, 'bad request');
      default:
        if (status >= 500 && !anthropicShaped)
          return f(
            'server',
            `A proxy or gateway between inkwell and the API answered ${status}${statusText(status)}: the API's own errors are JSON, this was not. Check the proxy or the base URL (--base-url / ANTHROPIC_BASE_URL). /retry asks again.`,
            'a proxy or gateway failed',
          );
        if (status >= 500)
          return f('server', `The API had an internal error (${status})${detail ? `: ${detail}` : ''}. /retry asks again.`, 'server error');
        return f('unknown', `The API answered ${status}${detail ? `: ${detail}` : ''}.`, `HTTP ${status}`);
    }
  }
  const text = err instanceof Error ? err.message : String(err);
  if (/Could not resolve authentication method|apiKey or authToken/i.test(text)) {
    return {
      kind: 'auth',
      status: null,
      message:
        'No API key is set. Set ANTHROPIC_API_KEY=sk-ant-… (or ANTHROPIC_AUTH_TOKEN) and start inkwell again, or run with --demo to try it offline.',
      reason: 'no API key',
      requestId: null,
    };
  }
  if (/stream ended without producing|request ended without sending any chunks|terminated|ECONNRESET|socket hang up/i.test(text)) {
    return {
      kind: 'stream_cut',
      status: null,
      message: delivered
        ? `The connection dropped before the reply finished.${kept}`
        : `The API closed the response without sending any of the reply.${kept}`,
      reason: 'the connection dropped',
      requestId: null,
    };
  }
  if (err instanceof SyntaxError || (err instanceof Error && err.cause instanceof SyntaxError)) {
    // The SDK's JSON.parse of an SSE `data:` line (MessageStream wraps it in an AnthropicError whose
    // cause is the SyntaxError): the parser's own words mean nothing to a person.
    return {
      kind: 'stream_cut',
      status: null,
      message: `The API sent a malformed event (not valid JSON), so the reply stopped there.${kept}`,
      reason: 'the stream was malformed',
      requestId: null,
    };
  }
  return {
    kind: 'unknown',
    status: null,
    message: scrub(`Something went wrong: ${text.slice(0, 300)}`),
    reason: 'an unexpected error',
    requestId: null,
  };
}
