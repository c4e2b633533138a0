import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import type { ApiMessage } from '../domain/conversation.js';
import { NO_SECRETS, type Redactor } from '../domain/redact.js';
import { streamedBody } from './body.js';
import { cacheHeaders, cacheParams, isCacheControlRejection, type PromptCache } from './cache.js';
import { keyRefresherOf, meterOf } from './client.js';
import { thinkingParams, type ThinkingSetting } from './thinking.js';
import { isWebToolRejection, mergeBetas, webBetas, webToolDefinitions, type WebToolsSetting } from './server-tools.js';
import { describeFailure, type ApiFailure } from './errors.js';
import { backoffMs, decideRetry, DEFAULT_MAX_RETRIES, sleep, type RetryDecision } from './retry.js';
import type { BlockDelta, Citation, OtherBlock, StreamEvent, WireObject, WireStopDetails, WireUsage } from '../domain/wire.js';
export type { BlockDelta, StreamEvent } from '../domain/wire.js';

/** One turn's request, in API terms. */
export interface TurnParams {
  model: string;
  /** Output cap for this reply, in tokens (`max_tokens`). */
  maxTokens: number;
  /** System prompt, or null for none. */
  system: string | null;
  /** Extended thinking, if any (api/thinking.ts). */
  thinking?: ThinkingSetting;
  /** History, oldest first (ending with a user turn, or an assistant turn to prefill). */
  messages: ApiMessage[];
  /**
   * Prompt caching (api/cache.ts): `5m` or `1h` send a top-level `cache_control` (automatic
   * caching; `1h` with the extended-TTL beta header), `off` or absent send none. The engine always
   * sets it (the `promptCache` setting, default `5m`).
   */
  promptCache?: PromptCache;
  /** Web search and web fetch (api/server-tools.ts): offered as `tools` when on. */
  web?: WebToolsSetting;
}

/**
 * The JSON body of one turn's request (without `stream`), in the key order it is sent:
 * `model`, `max_tokens`, `messages`, then `system`, the thinking fields and `cache_control` when
 * they apply. The messages are passed through as they are (the same objects, serialised the same
 * way every turn), so the request prefix stays byte-stable for the prompt cache.
 * @param params the turn's request
 * @returns a fresh body object (the messages array is shared, not copied)
 */
export function turnRequestBody(params: TurnParams): Record<string, unknown> & { messages: ApiMessage[] } {
  return {
    model: params.model,
    max_tokens: params.maxTokens,
    messages: params.messages,
    ...(params.system ? { system: params.system } : {}),
    ...(params.thinking ? thinkingParams(params.model, params.thinking, params.maxTokens) : {}),
    ...cacheParams(params.promptCache ?? 'off'),
    ...(params.web?.on ? { tools: webToolDefinitions(params.web) } : {}),
  };
}

/** The request headers of one turn: the prompt cache's and the web tools' betas, merged. */
function turnHeaders(params: TurnParams): Record<string, string> {
  const headers = cacheHeaders(params.promptCache ?? 'off');
  const beta = mergeBetas(headers['anthropic-beta'], params.web ? webBetas(params.web) : []);
  return beta ? { ...headers, 'anthropic-beta': beta } : headers;
}

/** A retry being waited out, for the status bar: "overloaded, retrying in 4 s (attempt 2/5)". */
export interface RetryWait {
  /** The attempt about to be made, counting from 1. */
  attempt: number;
  /** Attempts allowed in all. */
  of: number;
  /** ms since the epoch when the next attempt starts. */
  until: number;
  /** What went wrong: "overloaded", "rate limited", "network error", … */
  reason: string;
}

/** Where a turn's events go, in arrival order. */
export interface TurnCallbacks {
  /**
   * Every SSE event of the stream, typed (api/stream.ts `parseStreamEvent`); event types inkwell
   * does not know arrive as `unknown` (ignore those).
   */
  onEvent(event: StreamEvent): void;
  /** The `request-id` response header, as soon as the headers arrive. */
  onRequestId?(requestId: string): void;
  /** A retry wait starts (a RetryWait) or ends (null). */
  onRetry?(wait: RetryWait | null): void;
  /**
   * The server answered 400 naming `cache_control` (api/cache.ts `isCacheControlRejection`): the
   * request is being sent once more without it. Called before that second attempt.
   */
  onCacheRejected?(): void;
  /**
   * The server answered 400 naming the web tools (api/server-tools.ts `isWebToolRejection`): the
   * request is being sent once more without them. Called before that second attempt.
   */
  onWebRejected?(message: string): void;
}

/** How a turn is run. */
export interface TurnOptions {
  /** Retries after the first attempt, for failures before the first byte (default 4). */
  maxRetries?: number;
  /** Abort the stream when no byte arrives for this long, in ms (default 90 000; 0 disables). */
  idleTimeoutMs?: number;
  /** Keeps credentials out of any failure text (default: key-shaped text only). */
  redactor?: Redactor;
  /**
   * Stream a long conversation's body to the socket (api/body.ts; default true). Off for the
   * providers whose SDK rewrites the JSON body (api/providers.ts `CAPABILITIES`).
   */
  streamedBody?: boolean;
  /**
   * The model id as the provider names it (api/provider-models.ts), applied to the request body
   * only: everything derived from the model (thinking fields) uses inkwell's id. Default: as is.
   */
  modelId?: (model: string) => string;
}

/** How a turn ended: `message_stop` seen, or a failure in plain words (the events so far stand). */
export type TurnOutcome = { ok: true; requestId: string | null } | { ok: false; failure: ApiFailure };

/** Default idle watchdog, in ms: a stream with no byte (not even a ping) for this long is dead. */
export const DEFAULT_IDLE_TIMEOUT_MS = 90_000;

type Attempt =
  | { kind: 'done'; requestId: string | null }
  | { kind: 'failed'; err: unknown; requestId: string | null; delivered: boolean; idle: boolean };

/** One request and its stream. Failures are returned, never thrown. */
async function attempt(
  client: Anthropic,
  params: TurnParams,
  callbacks: TurnCallbacks,
  signal: AbortSignal,
  idleTimeoutMs: number,
  streamBody: boolean,
  modelId: ((model: string) => string) | undefined,
): Promise<Attempt> {
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let requestId: string | null = null;
  let delivered = false;
  let sawStop = false;
  let idle = false;
  const meter = meterOf(client);
  let lastEventAt = Date.now();
  const watchdog =
    idleTimeoutMs > 0
      ? setInterval(
          () => {
            const last = Math.max(lastEventAt, meter?.lastActivityAt ?? 0);
            if (Date.now() - last > idleTimeoutMs) {
              idle = true;
              inner.abort();
            }
          },
          Math.min(1000, Math.max(50, idleTimeoutMs / 4)),
        )
      : null;
  try {
    const body = turnRequestBody(params);
    if (modelId) body.model = modelId(params.model);
    // A long conversation is streamed to the socket rather than held as one string and its bytes.
    const streamed = streamBody ? streamedBody({ ...body, stream: true }) : null;
    const headers = { ...turnHeaders(params), ...streamed?.headers };
    const stream = client.messages.stream(body as unknown as Parameters<typeof client.messages.stream>[0], {
      signal: inner.signal,
      maxRetries: 0,
      ...(streamed ? { body: streamed.body } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    });
    // Each event is handled as the SDK emits it ('streamEvent', in order, before the SDK touches
    // its snapshot again): no promise per event as with `for await`, and nothing queued that an
    // error could drop. `done()` settles when the stream ends, rejecting with its error.
    stream.on('streamEvent', (event) => {
      lastEventAt = Date.now();
      if (requestId === null && stream.request_id) {
        requestId = stream.request_id;
        callbacks.onRequestId?.(requestId);
      }
      delivered = true;
      const typed = parseStreamEvent(event);
      callbacks.onEvent(typed);
      if (typed.type === 'message_stop') sawStop = true;
    });
    await stream.done();
    requestId ??= stream.request_id ?? null;
    if (!sawStop) {
      return { kind: 'failed', err: new Error('stream ended without producing a Message with role=assistant'), requestId, delivered, idle };
    }
    return { kind: 'done', requestId };
  } catch (err) {
    const id = requestId ?? (err instanceof APIError ? (err.requestID ?? null) : null);
    return { kind: 'failed', err, requestId: id, delivered, idle };
  } finally {
    if (watchdog) clearInterval(watchdog);
    signal.removeEventListener('abort', onAbort);
  }
}

/** An `event: error` that came before any content: safe to ask again, nothing was shown. */
function retryableInStream(err: unknown): boolean {
  return err instanceof APIError && err.status === undefined && (err.type === 'overloaded_error' || err.type === 'api_error');
}

/**
 * Streams one reply with `client.messages.stream` (SDK 1.12 MessageStream) and hands each event
 * to `callbacks.onEvent` the moment it is parsed.
 *
 * Failures before the first byte of the reply (429, 5xx, 529, connection errors, an overloaded
 * `event: error` before any content) are retried here with the SDK's own backoff and the server's
 * `retry-after`, each wait announced through `onRetry` and cancelled by `signal`. After the first
 * byte nothing is retried (docs/PROTOCOL.md §5.1): the outcome is a failure and the caller keeps what
 * arrived. A stream that goes silent for `idleTimeoutMs` is aborted as dead.
 * @param signal aborts the request, a retry wait, or the stream (the outcome is then `aborted`)
 * @throws never: every failure is returned as an outcome
 */
export async function streamTurn(
  client: Anthropic,
  params: TurnParams,
  callbacks: TurnCallbacks,
  signal: AbortSignal,
  options: TurnOptions = {},
): Promise<TurnOutcome> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const redactor = options.redactor ?? NO_SECRETS;
  const aborted = (requestId: string | null): TurnOutcome => ({
    ok: false,
    failure: { ...describeFailure(new DOMException('aborted', 'AbortError')), requestId },
  });
  let request = params;
  let keyRefreshed = false;
  for (let retryIndex = 0; ; retryIndex++) {
    const a = await attempt(client, request, callbacks, signal, idleTimeoutMs, options.streamedBody ?? true, options.modelId);
    if (a.kind === 'done') return { ok: true, requestId: a.requestId };
    if (signal.aborted) return aborted(a.requestId);
    // A 401 with an apiKeyHelper: its key may have expired. Run it once more and ask again.
    const helper = keyRefresherOf(client);
    if (helper && !keyRefreshed && !a.delivered && a.err instanceof APIError && a.err.status === 401) {
      keyRefreshed = true;
      try {
        await helper.refresh();
      } catch (err) {
        return { ok: false, failure: { ...describeFailure(err, redactor, false), requestId: a.requestId } };
      }
      retryIndex--;
      continue;
    }
    // A server that refuses cache_control (an old gateway) gets the request once more without it.
    if (
      !a.delivered &&
      (request.promptCache ?? 'off') !== 'off' &&
      a.err instanceof APIError &&
      isCacheControlRejection(a.err.status, a.err.message)
    ) {
      request = { ...request, promptCache: 'off' };
      callbacks.onCacheRejected?.();
      retryIndex--;
      continue;
    }
    // A server without the web tools (a gateway, an organisation with them disabled) likewise.
    if (!a.delivered && request.web?.on && a.err instanceof APIError && isWebToolRejection(a.err.status, a.err.message)) {
      request = { ...request, web: { ...request.web, on: false } };
      callbacks.onWebRejected?.(redactor.scrub(a.err.message));
      retryIndex--;
      continue;
    }
    if (a.idle) {
      const secs = Math.round(idleTimeoutMs / 1000);
      return {
        ok: false,
        failure: {
          kind: 'stream_cut',
          status: null,
          message: `No data arrived for ${secs} s, so the connection was closed.${a.delivered ? ' The partial reply is kept: /continue carries it on, /retry asks again.' : ' /retry asks again.'}`,
          reason: `no data for ${secs} s`,
          requestId: a.requestId,
        },
      };
    }
    if (!a.delivered) {
      const decision: RetryDecision = retryableInStream(a.err)
        ? retryIndex < maxRetries
          ? { retry: true, delayMs: backoffMs(retryIndex), reason: 'overloaded' }
          : { retry: false, reason: null }
        : decideRetry(a.err, retryIndex, maxRetries);
      if (decision.retry) {
        callbacks.onRetry?.({ attempt: retryIndex + 2, of: maxRetries + 1, until: Date.now() + decision.delayMs, reason: decision.reason });
        const waited = await sleep(decision.delayMs, signal);
        callbacks.onRetry?.(null);
        if (!waited) return aborted(a.requestId);
        continue;
      }
    }
    const failure = describeFailure(a.err, redactor, a.delivered);
    return { ok: false, failure: { ...failure, requestId: failure.requestId ?? a.requestId } };
  }
}

/**
 * Builds the typed {@link StreamEvent} union from the SDK's raw stream events.
 *
 * The SDK (1.x) yields every SSE event it can parse as JSON, unknown event names included, and
 * types them as its own closed union: at runtime a field may be missing or of another type, and
 * `type` may be anything newer than the SDK (docs/PROTOCOL.md §1). Each event is checked field by
 * field here, once, so the rest of inkwell switches on `type` without casts. Content blocks are
 * passed on as the very objects the SDK parsed (never modified here): their fields are read
 * later through the guards of domain/wire.ts.
 */

function isObj(v: unknown): v is WireObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** A block index: a non-negative integer. */
function index(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function unknownEvent(wire: WireObject, wireType: string): StreamEvent {
  return { type: 'unknown', wireType, wire };
}

/** A `content_block` as sent: any object with a string `type` (its other fields are read through the guards later). */
function isContentBlock(v: unknown): v is OtherBlock {
  return isObj(v) && typeof v.type === 'string';
}

function optional(v: unknown, nullable: boolean): boolean {
  return v === undefined || typeof v === 'string' || (nullable && v === null);
}

/** A citation whose fields inkwell reads are of their documented types. */
function isCitation(v: unknown): v is Citation {
  return isObj(v) && typeof v.type === 'string' && optional(v.cited_text, false) && optional(v.title, true) && optional(v.url, true);
}

function isCount(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'number';
}

/** A usage object whose token counts are numbers, null or absent. */
function isWireUsage(v: unknown): v is WireUsage {
  return (
    isObj(v) &&
    isCount(v.input_tokens) &&
    isCount(v.output_tokens) &&
    isCount(v.cache_creation_input_tokens) &&
    isCount(v.cache_read_input_tokens)
  );
}

/**
 * The delta of a `content_block_delta`, typed by its `type`. A known type whose payload field is
 * missing or of the wrong type is `unknown` (it carries nothing inkwell could apply).
 */
export function parseBlockDelta(v: unknown): BlockDelta {
  if (!isObj(v)) return { type: 'unknown', wireType: '' };
  const wireType = typeof v.type === 'string' ? v.type : '';
  switch (wireType) {
    case 'text_delta':
      if (typeof v.text === 'string') return { type: wireType, text: v.text };
      break;
    case 'input_json_delta':
      if (typeof v.partial_json === 'string') return { type: wireType, partial_json: v.partial_json };
      break;
    case 'thinking_delta':
      if (typeof v.thinking === 'string') return { type: wireType, thinking: v.thinking };
      break;
    case 'signature_delta':
      if (typeof v.signature === 'string') return { type: wireType, signature: v.signature };
      break;
    case 'citations_delta':
      if (isCitation(v.citation)) return { type: wireType, citation: v.citation };
      break;
    case 'compaction_delta':
      if (typeof v.content === 'string' || v.content === null) {
        return 'encrypted_content' in v
          ? { type: wireType, content: v.content, encrypted_content: v.encrypted_content }
          : { type: wireType, content: v.content };
      }
      break;
  }
  return { type: 'unknown', wireType };
}

function usage(v: unknown): WireUsage | null {
  return isWireUsage(v) ? v : null;
}

function stopDetails(v: unknown): WireStopDetails | null {
  if (!isObj(v)) return null;
  return { type: typeof v.type === 'string' ? v.type : '', category: strOrNull(v.category), explanation: strOrNull(v.explanation) };
}

/**
 * One raw stream event (the SDK's `MessageStreamEvent`, or anything it passed on) as a
 * {@link StreamEvent}.
 * @param raw the event as the SDK parsed it from one SSE `data:` line
 * @returns the typed event; `{ type: 'unknown', wireType }` for unknown or malformed events
 * @throws never
 */
export function parseStreamEvent(raw: unknown): StreamEvent {
  if (!isObj(raw)) return unknownEvent({}, '');
  const wire = raw;
  const type = typeof raw.type === 'string' ? raw.type : '';
  switch (type) {
    case 'message_start': {
      const m = isObj(raw.message) ? raw.message : null;
      if (!m) break;
      return { type, message: { id: strOrNull(m.id), model: strOrNull(m.model), usage: usage(m.usage) ?? {} }, wire };
    }
    case 'content_block_start': {
      const i = index(raw.index);
      const block = raw.content_block;
      if (i === null || !isContentBlock(block)) break;
      return { type, index: i, content_block: block, wire };
    }
    case 'content_block_delta': {
      const i = index(raw.index);
      if (i === null) break;
      return { type, index: i, delta: parseBlockDelta(raw.delta), wire };
    }
    case 'content_block_stop': {
      const i = index(raw.index);
      if (i === null) break;
      return { type, index: i, wire };
    }
    case 'message_delta': {
      const d = isObj(raw.delta) ? raw.delta : {};
      return {
        type,
        delta: {
          stop_reason: strOrNull(d.stop_reason),
          stop_sequence: strOrNull(d.stop_sequence),
          ...('stop_details' in d ? { stop_details: stopDetails(d.stop_details) } : {}),
        },
        usage: usage(raw.usage),
        wire,
      };
    }
    case 'message_stop':
      return { type, wire };
    case 'ping':
      return { type, wire };
    case 'error': {
      const e = isObj(raw.error) ? raw.error : {};
      return {
        type,
        error: { type: typeof e.type === 'string' ? e.type : '', message: typeof e.message === 'string' ? e.message : '' },
        wire,
      };
    }
  }
  return unknownEvent(wire, type);
}
