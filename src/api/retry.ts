import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { refusedByFetch } from './errors.js';
import { isFixableFailure } from './fixes.js';

/**
 * When and how long to wait before asking again, for failures before the first byte of a reply.
 * Mirrors SDK 1.12's own policy (`src/client.ts` shouldRetry / calculateDefaultRetryTimeoutMillis,
 * docs/PROTOCOL.md §6) so inkwell can run it itself and show it: "overloaded, retrying in 4 s
 * (attempt 2/5)". Mid-stream errors are never retried here (docs/PROTOCOL.md §5.1).
 */

/** Default number of retries after the first attempt (so 5 attempts in all). */
export const DEFAULT_MAX_RETRIES = 4;

/** A server-asked wait longer than this is not waited out: the user is told when to try again. */
export const MAX_RETRY_WAIT_MS = 60_000;

/** A decision about one failure. */
export type RetryDecision = { retry: true; delayMs: number; reason: string } | { retry: false; reason: string | null };

function headerOf(err: APIError, name: string): string | null {
  return err.headers?.get?.(name) ?? null;
}

/**
 * The wait a response asks for: `retry-after-ms`, else `retry-after` in seconds or as an HTTP
 * date. Values outside (0, 2^31−1] ms are ignored, as the SDK does.
 * @param now ms since the epoch, for HTTP dates
 * @returns ms, or null when the response asks for nothing usable
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v > 0 && v <= 2 ** 31 - 1) return v;
  }
  const after = headers.get('retry-after');
  if (after !== null && after.trim() !== '') {
    const secs = Number(after);
    const v = Number.isFinite(secs) ? secs * 1000 : Date.parse(after) - now;
    if (Number.isFinite(v) && v > 0 && v <= 2 ** 31 - 1) return v;
  }
  return null;
}

/**
 * Exponential backoff when the server names no wait: min(0.5 s × 2^n, 8 s), less up to 25 %
 * jitter (SDK 1.12 calculateDefaultRetryTimeoutMillis).
 * @param retryIndex 0 for the first retry
 * @param random a number in [0, 1) (tests pass a fixed one)
 */
export function backoffMs(retryIndex: number, random = Math.random()): number {
  const base = Math.min(500 * 2 ** retryIndex, 8_000);
  return Math.round(base * (1 - random * 0.25));
}

function shortReason(status: number | undefined, err: unknown): string {
  if (err instanceof APIConnectionError) return 'network error';
  switch (status) {
    case 408:
      return 'request timed out';
    case 409:
      return 'conflict';
    case 429:
      return 'rate limited';
    case 529:
      return 'overloaded';
    default:
      return status && status >= 500 ? `server error ${status}` : 'error';
  }
}

/**
 * Decides whether a failure before the first byte is worth another attempt.
 * Retried: connection errors and timeouts, 408, 409, 429, every 5xx and 529; `x-should-retry`
 * overrides either way. Never retried: a user abort, the spend-limit 429s (retrying cannot help
 * until the limit resets), and waits the server asks for beyond {@link MAX_RETRY_WAIT_MS}.
 * @param retryIndex 0 for the first retry
 * @param maxRetries retries allowed after the first attempt
 */
export function decideRetry(err: unknown, retryIndex: number, maxRetries: number, random = Math.random()): RetryDecision {
  if (err instanceof APIUserAbortError) return { retry: false, reason: null };
  if (retryIndex >= maxRetries) return { retry: false, reason: null };
  if (refusedByFetch(err)) return { retry: false, reason: null };
  // A certificate, proxy or credential problem answers the same every time (api/fixes.ts).
  if (isFixableFailure(err)) return { retry: false, reason: null };
  if (err instanceof APIConnectionError) {
    return { retry: true, delayMs: backoffMs(retryIndex, random), reason: shortReason(undefined, err) };
  }
  if (!(err instanceof APIError) || typeof err.status !== 'number') return { retry: false, reason: null };
  const status = err.status;
  const forced = headerOf(err, 'x-should-retry');
  if (forced === 'false') return { retry: false, reason: null };
  if (err.errorCode === 'enforced_spend_limit_reached' || err.errorCode === 'contract_spend_limit_reached') {
    return { retry: false, reason: 'spend limit reached' };
  }
  const retryable = forced === 'true' || status === 408 || status === 409 || status === 429 || status >= 500;
  if (!retryable) return { retry: false, reason: null };
  const asked = retryAfterMs(err.headers ?? undefined);
  if (asked !== null && asked > MAX_RETRY_WAIT_MS) return { retry: false, reason: 'asked to wait too long' };
  return { retry: true, delayMs: asked ?? backoffMs(retryIndex, random), reason: shortReason(status, err) };
}

/**
 * Waits `ms`, or until `signal` aborts.
 * @returns true when the wait ran out, false when it was cancelled
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
