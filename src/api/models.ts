import type Anthropic from '@anthropic-ai/sdk';
import type { ModelLimits } from '../domain/types.js';

/**
 * Limits used when the Models API cannot be reached, in tokens: [context window, max output].
 * Source: docs/PROTOCOL.md §9 (platform.claude.com models overview, Nov 2026). Matched by prefix so
 * dated ids (`claude-sonnet-4-5-20250929`) find their family.
 */
const FALLBACK: ReadonlyArray<readonly [prefix: string, contextWindow: number, maxOutput: number]> = [
  ['claude-haiku-4-5', 200_000, 64_000],
  ['claude-sonnet-4-5', 200_000, 64_000],
  ['claude-opus-4-5', 200_000, 64_000],
  ['claude-opus-4-1', 200_000, 32_000],
  ['claude-opus-4-0', 200_000, 32_000],
  ['claude-sonnet-4-0', 200_000, 64_000],
  ['claude-sonnet-4-2', 200_000, 64_000],
  ['claude-opus-4-2', 200_000, 32_000],
  ['claude-sonnet-4-6', 1_000_000, 128_000],
  ['claude-opus-4-6', 1_000_000, 128_000],
  ['claude-opus-4-7', 1_000_000, 128_000],
  ['claude-opus-4-8', 1_000_000, 128_000],
  ['claude-mythos', 1_000_000, 128_000],
  ['claude-fable-5', 1_000_000, 128_000],
  ['claude-opus-5', 1_000_000, 128_000],
  ['claude-sonnet-5', 1_000_000, 128_000],
  ['claude-haiku-5', 1_000_000, 128_000],
];

/** For a model nobody knows: a conservative window, so the context warning comes early, not late. */
const UNKNOWN_MODEL: readonly [number, number] = [200_000, 32_000];

/**
 * Limits from inkwell's fallback table.
 * @param model a model id, dated or not
 */
export function fallbackLimits(model: string): ModelLimits {
  const hit = FALLBACK.find(([prefix]) => model.startsWith(prefix));
  const [contextWindow, maxOutputTokens] = hit ? [hit[1], hit[2]] : UNKNOWN_MODEL;
  return { model, contextWindow, maxOutputTokens, source: 'fallback' };
}

/**
 * Asks the Models API (`GET /v1/models/{id}`, `client.models.retrieve`) for a model's context
 * window (`max_input_tokens`) and output limit (`max_tokens`); falls back to the table when the
 * API is unreachable, slow (over `timeoutMs`) or leaves a field null.
 * @throws never
 */
export async function fetchModelLimits(client: Anthropic, model: string, timeoutMs = 5_000): Promise<ModelLimits> {
  const fallback = fallbackLimits(model);
  try {
    const info = await client.models.retrieve(model, {}, { timeout: timeoutMs, maxRetries: 0 });
    return {
      model,
      contextWindow: info.max_input_tokens ?? fallback.contextWindow,
      maxOutputTokens: info.max_tokens ?? fallback.maxOutputTokens,
      source: 'api',
    };
  } catch {
    return fallback;
  }
}

/**
 * The model ids the API offers (`GET /v1/models`, first 50), or [] when it does not answer within
 * 5 s. The list is a courtesy (after a 404, `/model` with no id): callers say what they can
 * without it.
 * @throws never
 */
export async function listModelIds(client: Anthropic, limit = 50): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const m of client.models.list({ limit }, { timeout: 5_000, maxRetries: 0 })) {
      ids.push(m.id);
      if (ids.length >= limit) break;
    }
  } catch {
    // Nothing to list.
  }
  return ids;
}
