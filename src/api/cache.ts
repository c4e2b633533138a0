/**
 * Prompt caching on a Messages request (docs/PROTOCOL.md §11, "prompt caching"; Anthropic docs:
 * build-with-claude/prompt-caching).
 *
 * inkwell uses automatic caching: one top-level `cache_control: {"type":"ephemeral"}` on the
 * request body. The API puts the breakpoint on the last cacheable block and moves it forward as
 * the conversation grows, so every request after the first reads the conversation so far from the
 * cache. That is one breakpoint of the four a request may carry; inkwell puts none on blocks.
 * The cached prefix must be byte-identical from request to request: the system prompt, the model,
 * the thinking parameters and every earlier message serialised the same way.
 */

/** The `promptCache` setting: the cache's time to live, or no caching at all. */
export type PromptCache = '5m' | '1h' | 'off';

/** Every {@link PromptCache} value, in the order /cache and the settings list them. */
export const PROMPT_CACHES: readonly PromptCache[] = ['5m', '1h', 'off'];

/**
 * The beta the 1-hour TTL was introduced behind (`anthropic-beta: extended-cache-ttl-2025-04-11`).
 * The current prompt-caching page documents `ttl: "1h"` as a plain `cache_control` field, but
 * gateways and older API versions still want the beta: it is sent with every 1h request, since
 * an API that no longer needs a beta it once had accepts it and ignores it (docs/PROTOCOL.md §11).
 */
export const EXTENDED_CACHE_TTL_BETA = 'extended-cache-ttl-2025-04-11';

/**
 * The top-level request fields for a setting: `{cache_control: {type: "ephemeral"}}` for `5m` (the
 * API's default TTL, so no `ttl` is sent), `{cache_control: {type: "ephemeral", ttl: "1h"}}` for
 * `1h`, and nothing for `off`.
 * @param setting the `promptCache` setting in effect for this request
 * @returns fields to spread into the request body (a fresh object each call)
 */
export function cacheParams(setting: PromptCache): Record<string, unknown> {
  if (setting === 'off') return {};
  return { cache_control: setting === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' } };
}

/**
 * The request headers a setting needs: `anthropic-beta: extended-cache-ttl-2025-04-11` for `1h`
 * (see {@link EXTENDED_CACHE_TTL_BETA}), none otherwise.
 * @param setting the `promptCache` setting in effect for this request
 * @returns header name (lower case) to value
 */
export function cacheHeaders(setting: PromptCache): Record<string, string> {
  return setting === '1h' ? { 'anthropic-beta': EXTENDED_CACHE_TTL_BETA } : {};
}

/**
 * Whether a failed request was refused because of `cache_control` (an old gateway or a proxy that
 * does not know the field answers 400 naming it). Such a request is sent again without it.
 * @param status the HTTP status, or null/undefined when there was none
 * @param message the error's message as the server or SDK gave it
 */
export function isCacheControlRejection(status: number | null | undefined, message: string): boolean {
  return status === 400 && /cache_control|extended-cache-ttl/i.test(message);
}
