import { existsSync } from 'node:fs';
import { anthropicKeySource, openClient } from '../api/client.js';
import { messagesApi } from '../api/port.js';
import { proxyFor, showProxy } from '../api/proxy.js';
import { bedrockRegion, CAPABILITIES, keySourceOf, PROVIDER_LABELS, providerModelId } from '../api/providers.js';
import { resolvePaths } from '../config/paths.js';
import { loadSettings } from '../config/settings.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import { connectionFrom } from './connection.js';

/** The flags `inkwell doctor` takes (the same as the chat's). */
export interface DoctorOptions {
  model?: string;
  baseUrl?: string;
  provider?: string;
}

/**
 * `inkwell doctor`: prints which provider, endpoint, proxy, CA bundle, key source and model are in
 * effect (never a key), then proves them with one cheap request: a streamed reply capped at one
 * token (`max_tokens: 1`, no prompt cache).
 * @param out where the report goes (stdout); control sequences from the environment are removed
 * @returns 0 when the request succeeded, 1 when it failed, 2 when the configuration is unusable
 * @throws never
 */
export async function runDoctor(o: DoctorOptions, out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): Promise<number> {
  const paths = resolvePaths(env);
  const settings = loadSettings(paths.config);
  const conn = connectionFrom(env, settings.settings, { baseUrl: o.baseUrl ?? null, ...(o.provider ? { provider: o.provider } : {}) });
  const { config, provider, redactor } = conn;
  const line = (label: string, value: string) => out.write(`${label.padEnd(10)} ${sanitizeModelText(redactor.scrub(value))}\n`);
  const model = o.model ?? settings.settings.model;

  if (settings.problem) line('settings', settings.problem);
  line('provider', `${PROVIDER_LABELS[provider.name]} (${provider.name}, from ${provider.source})`);
  let client: Awaited<ReturnType<typeof openClient>>;
  try {
    client = await openClient(config, env);
  } catch (e) {
    line('problem', e instanceof Error ? e.message : String(e));
    return 2;
  }
  const endpoint = client.baseURL;
  const where =
    provider.name === 'bedrock'
      ? ` (region ${bedrockRegion(env)})`
      : provider.name === 'vertex'
        ? ` (region ${env.CLOUD_ML_REGION}, project ${env.ANTHROPIC_VERTEX_PROJECT_ID?.trim() || 'from the credentials'})`
        : '';
  line('endpoint', `${endpoint}${where}`);
  const proxy = proxyFor(endpoint, config.proxy ?? null);
  line(
    'proxy',
    proxy
      ? `${showProxy(proxy)} (${endpoint.startsWith('https:') && config.proxy?.httpsProxy ? 'HTTPS_PROXY' : 'HTTP_PROXY'})`
      : config.proxy
        ? `none: ${new URL(endpoint).hostname} is in NO_PROXY`
        : 'none (no HTTPS_PROXY or HTTP_PROXY set)',
  );
  const ca = env.NODE_EXTRA_CA_CERTS?.trim();
  line('CA', ca ? `NODE_EXTRA_CA_CERTS=${ca}${existsSync(ca) ? '' : ' (no such file!)'}` : "Node's built-in certificates");
  line('key', keySourceOf(provider.name, env, anthropicKeySource(config)));
  const wire = providerModelId(provider.name, model);
  line('model', wire === model ? model : `${model} (sent as ${wire})`);
  const caps = CAPABILITIES[provider.name];
  const lacks = [...(caps.countTokens ? [] : ['count_tokens']), ...(caps.models ? [] : ['the models list'])];
  if (lacks.length) line('missing', `${lacks.join(', ')} (inkwell does without)`);

  const started = Date.now();
  const api = messagesApi(client, provider.name);
  let text = '';
  const outcome = await api.streamTurn(
    { model, maxTokens: 1, system: null, messages: [{ role: 'user', content: 'ping' }], promptCache: 'off' },
    {
      onEvent: (e) => {
        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      },
    },
    AbortSignal.timeout(60_000),
    { maxRetries: 0, redactor },
  );
  const ms = Date.now() - started;
  if (outcome.ok) {
    line(
      'request',
      `ok: a 1-token reply in ${ms} ms${outcome.requestId ? ` (request id ${outcome.requestId})` : ''}${text ? `: "${text.trim()}"` : ''}`,
    );
    return 0;
  }
  line('request', `failed: ${outcome.failure.message}`);
  return 1;
}
