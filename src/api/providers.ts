import type Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { bedrockModelId, vertexModelId } from './provider-models.js';

/**
 * Where Claude is reached: Anthropic's API, or Claude on Amazon Bedrock, Google Vertex AI or
 * Microsoft Foundry through the official SDKs (@anthropic-ai/bedrock-sdk, vertex-sdk,
 * foundry-sdk), each with its standard credential chain. Their wire formats and what each lacks
 * are in docs/PROVIDERS.md. The SDKs are loaded only when chosen (a chunk of their own).
 */
export type ProviderName = 'anthropic' | 'bedrock' | 'vertex' | 'foundry';

/** Every provider, in the order `--provider` lists them. */
export const PROVIDER_NAMES: readonly ProviderName[] = ['anthropic', 'bedrock', 'vertex', 'foundry'];

/** The provider in effect and what chose it (for `inkwell doctor`). */
export interface ProviderChoice {
  name: ProviderName;
  /** `--provider`, `CLAUDE_CODE_USE_BEDROCK=1`, `the provider setting` or `default`. */
  source: string;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/**
 * The provider: `--provider` wins, then Claude Code's variables (`CLAUDE_CODE_USE_BEDROCK`,
 * `CLAUDE_CODE_USE_VERTEX`, `CLAUDE_CODE_USE_FOUNDRY` set to 1), then the `provider` setting, else
 * Anthropic's API.
 */
export function chooseProvider(flag: string | undefined, setting: ProviderName | undefined, env: NodeJS.ProcessEnv): ProviderChoice {
  if (flag && (PROVIDER_NAMES as readonly string[]).includes(flag)) return { name: flag as ProviderName, source: '--provider' };
  for (const [name, v] of [
    ['bedrock', 'CLAUDE_CODE_USE_BEDROCK'],
    ['vertex', 'CLAUDE_CODE_USE_VERTEX'],
    ['foundry', 'CLAUDE_CODE_USE_FOUNDRY'],
  ] as const) {
    if (truthy(env[v])) return { name, source: `${v}=1` };
  }
  if (setting && setting !== 'anthropic') return { name: setting, source: 'the provider setting' };
  return { name: 'anthropic', source: setting ? 'the provider setting' : 'default' };
}

/** What a provider serves beyond streaming messages. */
export interface Capabilities {
  /** `POST /v1/messages/count_tokens` (Vertex: `count-tokens:rawPredict`). */
  countTokens: boolean;
  /** The Models API (`GET /v1/models`). */
  models: boolean;
  /**
   * A request body streamed to the socket (api/body.ts): the Bedrock and Vertex SDKs rewrite the
   * JSON body (model into the URL, `anthropic_version` into the body), so they need it whole.
   */
  streamedBody: boolean;
}

/** What each provider serves (the SDKs' own client.ts files: which resources they delete). */
export const CAPABILITIES: Readonly<Record<ProviderName, Capabilities>> = {
  anthropic: { countTokens: true, models: true, streamedBody: true },
  bedrock: { countTokens: false, models: false, streamedBody: false },
  vertex: { countTokens: true, models: false, streamedBody: false },
  foundry: { countTokens: true, models: false, streamedBody: true },
};

/** Display names, for messages. */
export const PROVIDER_LABELS: Readonly<Record<ProviderName, string>> = {
  anthropic: "Anthropic's API",
  bedrock: 'Amazon Bedrock',
  vertex: 'Google Vertex AI',
  foundry: 'Microsoft Foundry',
};

/** The model id sent to `provider` for an Anthropic model id (api/provider-models.ts). */
export function providerModelId(provider: ProviderName, model: string): string {
  if (provider === 'bedrock') return bedrockModelId(model);
  if (provider === 'vertex') return vertexModelId(model);
  return model;
}

/** The one line that says what a provider lacks, or null when it lacks nothing inkwell uses. */
export function missingFeatures(provider: ProviderName): string | null {
  const c = CAPABILITIES[provider];
  const lacks = [...(c.countTokens ? [] : ['token counting (count_tokens)']), ...(c.models ? [] : ['the models list'])];
  if (lacks.length === 0) return null;
  const instead = [
    ...(c.countTokens ? [] : ['the context gauge uses the last reply’s usage']),
    ...(c.models ? [] : ['model limits come from inkwell’s table']),
  ];
  return `${PROVIDER_LABELS[provider]} has no ${lacks.join(' and no ')}: ${instead.join(', ')}.`;
}

/** How a provider client is built: the parts every client shares (api/client.ts). */
export interface ProviderClientOptions {
  /** `--base-url`; else each SDK's own variable (`ANTHROPIC_BEDROCK_BASE_URL`, …) or its default. */
  baseURL: string | null;
  fetch: typeof fetch;
  logger: NonNullable<ClientOptions['logger']>;
  maxRetries: number;
  env: NodeJS.ProcessEnv;
}

/** The region Bedrock uses: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the SDK's us-east-1. */
export function bedrockRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1';
}

/**
 * A client for Bedrock, Vertex or Foundry, typed as the Anthropic client it stands in for (their
 * `messages` resource is Anthropic's; what is missing is in {@link CAPABILITIES}).
 * @throws Error in plain words naming the variable to set when the provider is not configured
 */
export async function createProviderClient(provider: Exclude<ProviderName, 'anthropic'>, o: ProviderClientOptions): Promise<Anthropic> {
  const common = { fetch: o.fetch, logger: o.logger, maxRetries: o.maxRetries, ...(o.baseURL ? { baseURL: o.baseURL } : {}) };
  if (provider === 'bedrock') {
    const { AnthropicBedrock } = await import('@anthropic-ai/bedrock-sdk');
    return new AnthropicBedrock({
      ...common,
      awsRegion: bedrockRegion(o.env),
      // Claude Code's switch for a gateway that signs requests itself.
      skipAuth: truthy(o.env.CLAUDE_CODE_SKIP_BEDROCK_AUTH),
    }) as unknown as Anthropic;
  }
  if (provider === 'vertex') {
    const region = o.env.CLOUD_ML_REGION?.trim();
    if (!region) throw new Error('Vertex AI needs a region: set CLOUD_ML_REGION (for example us-east5, europe-west1 or global).');
    const { AnthropicVertex } = await import('@anthropic-ai/vertex-sdk');
    const skip = truthy(o.env.CLAUDE_CODE_SKIP_VERTEX_AUTH);
    const client = new AnthropicVertex({
      ...common,
      region,
      ...(o.env.ANTHROPIC_VERTEX_PROJECT_ID?.trim() ? { projectId: o.env.ANTHROPIC_VERTEX_PROJECT_ID.trim() } : {}),
      // A gateway that authenticates itself: an auth client that adds no header.
      ...(skip ? { authClient: { getRequestHeaders: async () => new Headers(), projectId: null } as never } : {}),
    });
    // The SDK starts resolving Google credentials in its constructor; a failure is reported on the
    // first request (api/fixes.ts), not as an unhandled rejection now.
    (client as unknown as { _authClientPromise?: Promise<unknown> })._authClientPromise?.catch(() => {});
    return client as unknown as Anthropic;
  }
  const apiKey = o.env.ANTHROPIC_FOUNDRY_API_KEY?.trim();
  if (!apiKey) throw new Error('Microsoft Foundry needs a key: set ANTHROPIC_FOUNDRY_API_KEY.');
  if (!o.baseURL && !o.env.ANTHROPIC_FOUNDRY_BASE_URL?.trim() && !o.env.ANTHROPIC_FOUNDRY_RESOURCE?.trim()) {
    throw new Error(
      'Microsoft Foundry needs its endpoint: set ANTHROPIC_FOUNDRY_RESOURCE (the resource name) or ANTHROPIC_FOUNDRY_BASE_URL.',
    );
  }
  const { AnthropicFoundry } = await import('@anthropic-ai/foundry-sdk');
  return new AnthropicFoundry({ ...common, apiKey }) as unknown as Anthropic;
}

/**
 * Where the credentials come from, in words, for `inkwell doctor` (never the credential itself).
 * @param anthropicKey what the Anthropic client uses: `apiKeyHelper`, `ANTHROPIC_API_KEY`, …
 */
export function keySourceOf(provider: ProviderName, env: NodeJS.ProcessEnv, anthropicKey: string): string {
  switch (provider) {
    case 'anthropic':
      return anthropicKey;
    case 'bedrock':
      if (truthy(env.CLAUDE_CODE_SKIP_BEDROCK_AUTH)) return 'none (CLAUDE_CODE_SKIP_BEDROCK_AUTH=1)';
      if (env.AWS_BEARER_TOKEN_BEDROCK) return 'AWS_BEARER_TOKEN_BEDROCK (Bedrock API key)';
      if (env.AWS_ACCESS_KEY_ID) return 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (SigV4)';
      if (env.AWS_PROFILE) return `AWS profile ${env.AWS_PROFILE} (SigV4)`;
      return 'the AWS default credential chain (SigV4)';
    case 'vertex':
      if (truthy(env.CLAUDE_CODE_SKIP_VERTEX_AUTH)) return 'none (CLAUDE_CODE_SKIP_VERTEX_AUTH=1)';
      if (env.GOOGLE_APPLICATION_CREDENTIALS) return `Google credentials file ${env.GOOGLE_APPLICATION_CREDENTIALS}`;
      return 'Google application-default credentials';
    case 'foundry':
      return 'ANTHROPIC_FOUNDRY_API_KEY';
  }
}
