import Anthropic from '@anthropic-ai/sdk';
import { format } from 'node:util';
import { createRedactor, type Redactor, urlSecrets } from '../domain/redact.js';
import { labelledFetch } from './fixes.js';
import { proxiedFetch, proxyFor, type ProxySettings } from './proxy.js';
import { createProviderClient, type ProviderName } from './providers.js';

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
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (api/proxy.ts); null or absent: direct. */
  proxy?: ProxySettings | null;
  /**
   * The `apiKeyHelper` setting's command (config/key-helper.ts): when set, it gives the key
   * (instead of `apiKey`) before each request, and a new one after a 401 (api/stream.ts).
   */
  keyHelper?: KeyRefresher | null;
  /** Where Claude is reached (api/providers.ts); default `anthropic`. */
  provider?: ProviderName;
  /** The run's redactor, for the SDK's log lines (default: one over `apiKey` and `authToken`). */
  redactor?: Redactor;
}

/** A source of API keys that can be asked for a new one: config/key-helper.ts's `KeyHelper`. */
export interface KeyRefresher {
  /** The key to send now. @throws when the command fails (its message names the setting) */
  current(): Promise<string>;
  /** A new key, after a 401. @throws as {@link current} */
  refresh(): Promise<string>;
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

/**
 * True when the configuration carries some credential. Bedrock, Vertex and Foundry find theirs
 * through their own chains, so they always count as having one (a missing one is reported by the
 * first request, api/fixes.ts).
 */
export function hasCredentials(c: ClientConfig): boolean {
  if ((c.provider ?? 'anthropic') !== 'anthropic') return true;
  return c.apiKey !== null || c.authToken !== null || Boolean(c.keyHelper);
}

/** Where the Anthropic client's credential comes from, in words (never the credential). */
export function anthropicKeySource(c: ClientConfig): string {
  if (c.keyHelper) return 'the apiKeyHelper setting (a command)';
  if (c.apiKey) return 'ANTHROPIC_API_KEY';
  if (c.authToken) return 'ANTHROPIC_AUTH_TOKEN';
  return 'none';
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
const refreshers = new WeakMap<Anthropic, KeyRefresher>();

/** The activity meter of a client made by {@link createClient}, if any. */
export function meterOf(client: Anthropic): ActivityMeter | null {
  return meters.get(client) ?? null;
}

/** The key helper of a client made with one ({@link ClientConfig.keyHelper}), if any. */
export function keyRefresherOf(client: Anthropic): KeyRefresher | null {
  return refreshers.get(client) ?? null;
}

/** The fetch, logger and meter every client shares (see {@link createClient}). */
function clientParts(c: ClientConfig, inner?: typeof fetch) {
  const meter = new ActivityMeter();
  // The SDK binds its logger's methods once, on first use (SDK 1.12 internal/utils/log.ts), which
  // is before the chat routes console into the transcript: with plain `console` its messages
  // ("Could not parse message into JSON: …") went straight to the terminal, over the full-screen
  // UI. Look console up at call time instead, so they follow wherever console is routed; scrub
  // credentials (its debug lines quote response bodies); and send its info/debug lines
  // (ANTHROPIC_LOG=info|debug) to console.debug: dropped in the chat, stderr in print mode, never
  // stdout.
  const redactor = c.redactor ?? credentialRedactor(c);
  const line = (message: string, rest: unknown[]) => redactor.scrub(format(message, ...rest));
  const logger = {
    error: (message: string, ...rest: unknown[]) => console.error(line(message, rest)),
    warn: (message: string, ...rest: unknown[]) => console.warn(line(message, rest)),
    info: (message: string, ...rest: unknown[]) => console.debug(line(message, rest)),
    debug: (message: string, ...rest: unknown[]) => console.debug(line(message, rest)),
  };
  // Through the proxies when any is set (undici's EnvHttpProxyAgent), and every network failure
  // labelled with its host and proxy so that errors can name the fix (api/fixes.ts).
  const base = inner ?? (c.proxy ? proxiedFetch(c.proxy) : globalThis.fetch.bind(globalThis));
  const fetch = meter.wrap(labelledFetch(base, (url) => proxyFor(url, c.proxy ?? null)));
  return { meter, logger, fetch };
}

/**
 * Creates the SDK client for Anthropic's API. The SDK's own retries are off (`maxRetries: 0`
 * unless given): inkwell retries failures before the first byte itself so it can show them and
 * cancel them (api/retry.ts).
 * @param inner the fetch underneath the activity meter (default: Node's, or undici's through the
 *   proxy when one is set; tests pass their own)
 * @throws never: a missing key surfaces as an authentication error on the first request
 */
export function createClient(c: ClientConfig, inner?: typeof fetch): Anthropic {
  const { meter, logger, fetch } = clientParts(c, inner);
  const helper = c.keyHelper ?? null;
  const client = new Anthropic({
    logger,
    // A key helper's key is asked for before each request (cached by the helper).
    apiKey: helper ? () => helper.current() : c.apiKey,
    authToken: c.apiKey || helper ? null : c.authToken,
    ...(c.baseURL ? { baseURL: c.baseURL } : {}),
    maxRetries: c.maxRetries ?? 0,
    fetch,
  });
  meters.set(client, meter);
  if (helper) refreshers.set(client, helper);
  return client;
}

/**
 * Creates the client for the configured provider: {@link createClient} for Anthropic's API, else
 * the Bedrock, Vertex or Foundry SDK's client (api/providers.ts), with the same fetch, logger
 * and activity meter.
 * @param env where the providers read their settings (region, project, skip-auth switches)
 * @throws Error in plain words when the provider is not configured (a region or key missing)
 */
export async function openClient(c: ClientConfig, env: NodeJS.ProcessEnv, inner?: typeof fetch): Promise<Anthropic> {
  const provider = c.provider ?? 'anthropic';
  if (provider === 'anthropic') return createClient(c, inner);
  const { meter, logger, fetch } = clientParts(c, inner);
  const client = await createProviderClient(provider, { baseURL: c.baseURL, fetch, logger, maxRetries: c.maxRetries ?? 0, env });
  meters.set(client, meter);
  return client;
}
