import Anthropic from '@anthropic-ai/sdk';
import { format } from 'node:util';
import { createRedactor, type Redactor, urlSecrets } from '../domain/redact.js';

/** Where and how to reach a Messages API. */
export interface ClientConfig {
  /** `ANTHROPIC_API_KEY` (sent as `Authorization: Bearer …` by SDK 1.x, docs/PROTOCOL.md §6). */
  apiKey: string | null;
  /** `ANTHROPIC_AUTH_TOKEN`, used when no API key is set. */
  authToken: string | null;
  /** `--base-url` or `ANTHROPIC_BASE_URL`; null for the SDK's default. */
  baseURL: string | null;
  /** Retries of the initial HTTP response (SDK default 2). Mid-stream errors are never retried. */
  maxRetries?: number;
}

/**
 * The redactor for the credentials in a configuration (API key, auth token, a base URL's
 * `user:pass@` and `?token=`): built once at
 * start-up and passed to everything that writes text (domain/redact.ts has the rules).
 */
export function credentialRedactor(c: Pick<ClientConfig, 'apiKey' | 'authToken'> & { baseURL?: string | null }): Redactor {
  return createRedactor([c.apiKey, c.authToken, ...urlSecrets(c.baseURL)]);
}

/**
 * Reads the API configuration from the environment.
 * @param env usually `process.env`
 * @param baseUrlFlag `--base-url`, which wins over `ANTHROPIC_BASE_URL`
 */
export function clientConfigFromEnv(env: NodeJS.ProcessEnv, baseUrlFlag?: string | null): ClientConfig {
  const nonEmpty = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : null);
  return {
    apiKey: nonEmpty(env.ANTHROPIC_API_KEY),
    authToken: nonEmpty(env.ANTHROPIC_AUTH_TOKEN),
    baseURL: nonEmpty(baseUrlFlag ?? undefined) ?? nonEmpty(env.ANTHROPIC_BASE_URL),
  };
}

/** True when the configuration carries some credential. */
export function hasCredentials(c: ClientConfig): boolean {
  return c.apiKey !== null || c.authToken !== null;
}

/**
 * Counts response bytes as they arrive, below the SDK: the idle watchdog needs to see every byte,
 * pings included (the SDK drops ping events before they reach inkwell).
 */
export class ActivityMeter {
  /** ms since the epoch of the last response byte (or of the last request sent). */
  lastActivityAt = Date.now();
  /** Response bytes received, all requests together. */
  bytes = 0;

  /** Marks activity now. */
  touch(bytes = 0): void {
    this.lastActivityAt = Date.now();
    this.bytes += bytes;
  }

  /** A fetch that reports every chunk of every response body here. */
  wrap(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      this.touch();
      const res = await inner(input, init);
      this.touch();
      if (!res.body) return res;
      // A pull source over the body's reader rather than a TransformStream: pipeThrough costs a
      // few promises per chunk, and a fast stream from a server that writes small pieces (the
      // local server writes 37 bytes at a time) arrives in tens of thousands of chunks.
      const reader = res.body.getReader();
      const counted = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          this.touch(value.byteLength);
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  }
}

const meters = new WeakMap<Anthropic, ActivityMeter>();

/** The activity meter of a client made by {@link createClient}, if any. */
export function meterOf(client: Anthropic): ActivityMeter | null {
  return meters.get(client) ?? null;
}

/**
 * Creates the SDK client. The only place inkwell constructs one. The SDK's own retries are off
 * (`maxRetries: 0` unless given): inkwell retries failures before the first byte itself so it can
 * show them and cancel them (api/retry.ts).
 * @param inner the fetch underneath the activity meter (default: Node's; tests pass their own)
 * @throws never: a missing key surfaces as an authentication error on the first request
 */
export function createClient(c: ClientConfig, inner?: typeof fetch): Anthropic {
  const meter = new ActivityMeter();
  // The SDK binds its logger's methods once, on first use (SDK 1.12 internal/utils/log.ts), which
  // is before the chat routes console into the transcript: with plain `console` its messages
  // ("Could not parse message into JSON: …") went straight to the terminal, over the full-screen
  // UI. Look console up at call time instead, so they follow wherever console is routed; scrub
  // credentials (its debug lines quote response bodies); and send its info/debug lines
  // (ANTHROPIC_LOG=info|debug) to console.debug: dropped in the chat, stderr in print mode, never
  // stdout.
  const redactor = credentialRedactor(c);
  const line = (message: string, rest: unknown[]) => redactor.scrub(format(message, ...rest));
  const logger = {
    error: (message: string, ...rest: unknown[]) => console.error(line(message, rest)),
    warn: (message: string, ...rest: unknown[]) => console.warn(line(message, rest)),
    info: (message: string, ...rest: unknown[]) => console.debug(line(message, rest)),
    debug: (message: string, ...rest: unknown[]) => console.debug(line(message, rest)),
  };
  const client = new Anthropic({
    logger,
    apiKey: c.apiKey,
    authToken: c.apiKey ? null : c.authToken,
    ...(c.baseURL ? { baseURL: c.baseURL } : {}),
    maxRetries: c.maxRetries ?? 0,
    fetch: meter.wrap(inner ?? globalThis.fetch.bind(globalThis)),
  });
  meters.set(client, meter);
  return client;
}
