/**
 * inkwell's local Messages API server: speaks the real wire protocol (docs/PROTOCOL.md) so the
 * unmodified `@anthropic-ai/sdk` can talk to it. Used by tests, the benchmark and the
 * offline demo.
 *
 * @example
 * const server = await startMessagesServer();
 * server.enqueue({ kind: 'sse', path: '01-text-short-sonnet45.sse' });
 * const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url });
 */
export { startMessagesServer } from './http.js';
export type { MessagesServer, MessagesServerOptions } from './http.js';
export { loadHttpFixture, resolveFixturePath } from './fixtures.js';
export { generateMarkdownDocument, sseForText, textTokens } from './generate.js';
export type { SseForTextOptions } from './generate.js';
export { demoReply, sanitizePrompt } from './demo.js';
export { DEFAULT_MODELS, toModelInfo } from './models.js';
export { encodeEvent, messageStartEvent, splitFrames, PING_FRAME } from './sse.js';
export type { MessageStartOptions, SseFrame } from './sse.js';
export { accumulateSse } from './accumulate.js';
export type { Accumulated } from './accumulate.js';
export { estimateTokens, estimateInputTokens } from './tokens.js';
export { CACHE_TTL_MS, MAX_CACHE_BREAKPOINTS, PromptCache, minimumCacheableTokens, planCache } from './cache.js';
export type { CachePlan, CacheTtl, CacheUsage, PromptCacheOptions } from './cache.js';
export type { ModelInfo, ModelSpec, RecordedRequest, Scenario, ScriptStep } from './types.js';
