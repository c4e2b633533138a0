import type Anthropic from '@anthropic-ai/sdk';
import type { ModelLimits } from '../domain/types.js';
import { countTokens, type CountParams } from './count.js';
import { fallbackLimits, fetchModelLimits, listModelIds } from './models.js';
import { CAPABILITIES, providerModelId, type ProviderName } from './providers.js';
import { streamTurn, type TurnCallbacks, type TurnOptions, type TurnOutcome, type TurnParams } from './stream.js';

/**
 * What the chat core needs from the Messages API, and all it may ask of it. The engine
 * (`src/chat/engine.ts`) holds one of these, never the SDK client, so that only `src/api/` talks to
 * `@anthropic-ai/sdk` and the core can be driven by a fake in tests.
 */
export interface MessagesApi {
  /**
   * Streams one request (`POST /v1/messages`, `stream: true`) with retries before the first byte;
   * see {@link streamTurn}. @throws never: failures come back as the outcome
   */
  streamTurn(params: TurnParams, callbacks: TurnCallbacks, signal: AbortSignal, options?: TurnOptions): Promise<TurnOutcome>;
  /** A model's context window and output limit, in tokens (Models API, else a table). @throws never */
  modelLimits(model: string): Promise<ModelLimits>;
  /** The model ids the API offers (first 50), or [] when it does not answer. @throws never */
  listModels(): Promise<string[]>;
  /**
   * The input tokens a request would take (`POST /v1/messages/count_tokens`, free; see
   * {@link countTokens}), or null when the API did not answer or `signal` aborted it. @throws never
   */
  countTokens(params: CountParams, signal?: AbortSignal): Promise<number | null>;
}

/**
 * The {@link MessagesApi} over an SDK client (`createClient` / `openClient` in `client.ts`).
 * Model ids are inkwell's (Anthropic's) everywhere above this port; here they become the
 * provider's (api/provider-models.ts). What a provider lacks answers as "unknown" without a
 * request: no count (null), no models list ([]), limits from the table.
 * @param client the SDK client, already configured with the key and base URL
 * @param provider where the client reaches Claude (default Anthropic's API)
 */
export function messagesApi(client: Anthropic, provider: ProviderName = 'anthropic'): MessagesApi {
  const caps = CAPABILITIES[provider];
  const id = (model: string) => providerModelId(provider, model);
  return {
    streamTurn: (params, callbacks, signal, options) =>
      streamTurn(client, params, callbacks, signal, { streamedBody: caps.streamedBody, modelId: id, ...options }),
    modelLimits: async (model) => (caps.models ? fetchModelLimits(client, model) : fallbackLimits(model)),
    listModels: async () => (caps.models ? listModelIds(client) : []),
    countTokens: async (params, signal) => (caps.countTokens ? countTokens(client, params, signal, id) : null),
  };
}
