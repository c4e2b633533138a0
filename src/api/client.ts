import Anthropic from '@anthropic-ai/sdk';

/** Where and how to reach a Messages API. */
export interface ClientConfig {
  /** `ANTHROPIC_API_KEY` (sent as `Authorization: Bearer …` by SDK 1.x, PROTOCOL.md §6). */
  apiKey: string | null;
  /** `ANTHROPIC_AUTH_TOKEN`, used when no API key is set. */
  authToken: string | null;
  /** `--base-url` or `ANTHROPIC_BASE_URL`; null for the SDK's default. */
  baseURL: string | null;
  /** Retries of the initial HTTP response (SDK default 2). Mid-stream errors are never retried. */
  maxRetries?: number;
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
 * Creates the SDK client. The only place inkwell constructs one.
 * @throws never: a missing key surfaces as an authentication error on the first request
 */
export function createClient(c: ClientConfig): Anthropic {
  return new Anthropic({
    apiKey: c.apiKey,
    authToken: c.apiKey ? null : c.authToken,
    ...(c.baseURL ? { baseURL: c.baseURL } : {}),
    ...(c.maxRetries !== undefined ? { maxRetries: c.maxRetries } : {}),
  });
}
