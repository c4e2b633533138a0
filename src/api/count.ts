import type Anthropic from '@anthropic-ai/sdk';
import type { ApiMessage } from '../domain/conversation.js';
import { thinkingParams, type ThinkingSetting } from './thinking.js';

/** One `count_tokens` request, in API terms: what a turn would send, without `max_tokens` or caching. */
export interface CountParams {
  model: string;
  /** System prompt, or null for none. */
  system: string | null;
  /** Extended thinking, if any (counts the request as it would be sent). */
  thinking?: ThinkingSetting;
  /** The messages to count, oldest first; at least one (the API refuses an empty list). */
  messages: ApiMessage[];
}

/** `max_tokens` assumed when shaping the thinking fields of a count (count_tokens takes no max_tokens). */
const COUNT_MAX_TOKENS = 64_000;

/**
 * Counts the input tokens of a request with `POST /v1/messages/count_tokens` (free; SDK
 * `client.messages.countTokens`). No retries: a count is an estimate asked again on the next
 * keystroke's pause.
 * @param signal aborts the request (a newer draft made it stale)
 * @param modelId the model id as the provider names it (api/provider-models.ts); default as is
 * @returns the request's input tokens, or null when the API did not answer (any failure, aborted)
 * @throws never
 */
export async function countTokens(
  client: Anthropic,
  params: CountParams,
  signal?: AbortSignal,
  modelId: (model: string) => string = (m) => m,
): Promise<number | null> {
  if (params.messages.length === 0) return null;
  const body = {
    model: modelId(params.model),
    messages: params.messages,
    ...(params.system ? { system: params.system } : {}),
    ...(params.thinking ? thinkingParams(params.model, params.thinking, COUNT_MAX_TOKENS) : {}),
  };
  try {
    const r = await client.messages.countTokens(body as unknown as Parameters<typeof client.messages.countTokens>[0], {
      maxRetries: 0,
      ...(signal ? { signal } : {}),
    });
    return typeof r.input_tokens === 'number' && Number.isFinite(r.input_tokens) && r.input_tokens >= 0 ? r.input_tokens : null;
  } catch {
    return null;
  }
}
