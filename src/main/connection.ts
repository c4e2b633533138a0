import { clientConfigFromEnv, credentialRedactor, type ClientConfig } from '../api/client.js';
import { proxyFromEnv } from '../api/proxy.js';
import { chooseProvider, type ProviderChoice } from '../api/providers.js';
import { keyHelper, type KeyHelper } from '../config/key-helper.js';
import type { Settings } from '../config/settings.js';
import type { Redactor } from '../domain/redact.js';

/** How this run reaches Claude, gathered from the flags, the environment and the settings. */
export interface Connection {
  config: ClientConfig;
  /** The run's one redactor: the environment's keys, and every key the key helper prints. */
  redactor: Redactor;
  provider: ProviderChoice;
  /** The `apiKeyHelper` setting's helper, when set (used for Anthropic's API only). */
  keyHelper: KeyHelper | null;
}

/**
 * The connection for this run (nothing runs and nothing is sent yet).
 * - provider: `--provider`, then `CLAUDE_CODE_USE_BEDROCK`/`_VERTEX`/`_FOUNDRY`, then the
 *   `provider` setting (api/providers.ts);
 * - proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` in either case (api/proxy.ts);
 * - key: the `apiKeyHelper` setting's command when set, else `ANTHROPIC_API_KEY`, else
 *   `ANTHROPIC_AUTH_TOKEN` (config/key-helper.ts).
 * @param flags `--base-url` and `--provider`
 */
export function connectionFrom(
  env: NodeJS.ProcessEnv,
  settings: Pick<Settings, 'provider' | 'apiKeyHelper'>,
  flags: { baseUrl?: string | null; provider?: string },
): Connection {
  const provider = chooseProvider(flags.provider, settings.provider, env);
  const base = clientConfigFromEnv(env, provider.name === 'anthropic' ? (flags.baseUrl ?? null) : null);
  const redactor = credentialRedactor(base);
  const command = settings.apiKeyHelper.trim();
  const ttl = Number(env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS);
  const helper =
    provider.name === 'anthropic' && command
      ? keyHelper(command, { redactor, ...(Number.isFinite(ttl) && ttl > 0 ? { ttlMs: ttl } : {}) })
      : null;
  const config: ClientConfig = {
    ...base,
    // Other providers take only --base-url; ANTHROPIC_BASE_URL is Anthropic's API's.
    baseURL: provider.name === 'anthropic' ? base.baseURL : flags.baseUrl?.trim() || null,
    proxy: proxyFromEnv(env),
    keyHelper: helper,
    provider: provider.name,
    redactor,
  };
  return { config, redactor, provider, keyHelper: helper };
}
