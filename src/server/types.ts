/**
 * Shared types of the local Messages API server: scenarios (what a `POST /v1/messages`
 * answers with), script steps, recorded requests and model table entries.
 */

/**
 * One answer to a `POST /v1/messages`. Scenarios are consumed FIFO from the server's queue;
 * when the queue is empty the default scenario (`demo` unless changed) answers.
 *
 * - `sse`: replay an SSE body (a file at `path`, or the literal `body`) byte for byte,
 *   in `chunkBytes`-sized writes (default 37 bytes) with `intervalMs` between writes
 *   (default 0 ms). `tokensPerSecond` paces the stream instead: each `content_block_delta`
 *   frame is due `1000 / tokensPerSecond` ms after the previous one. `headers` override or
 *   add response headers. `resetAfterBytes` closes the socket after that many body bytes
 *   (the client sees a truncated stream); `stallAfterBytes` stops writing after that many
 *   body bytes but keeps the socket open until the client gives up or the server closes.
 *   For a non-streaming request the events are accumulated into one Message JSON
 *   (an in-stream `error` event becomes the matching HTTP error status).
 *   Wire format: docs/PROTOCOL.md §1.
 * - `http`: one plain HTTP response, e.g. an error body from `http/*.json`
 *   (see {@link loadHttpFixture}). docs/PROTOCOL.md §5.2.
 * - `demo`: the built-in demo model answers the request's last user message with a
 *   markdown reply, honouring `max_tokens`; streamed at `tokensPerSecond` (default 80
 *   tokens/s; 0 or Infinity = unpaced).
 * - `script`: a sequence of low-level {@link ScriptStep}s for odd cases (delays before
 *   headers, raw bytes, resets, empty bodies).
 */
export type Scenario =
  | {
      kind: 'sse';
      /** Path of an `.sse` file (absolute, relative to the cwd, or a fixture file name). */
      path?: string;
      /** Literal SSE body; used when `path` is absent. */
      body?: string;
      /** Bytes per write, default 37. */
      chunkBytes?: number;
      /** Delay between writes in ms, default 0. */
      intervalMs?: number;
      /** Pace `content_block_delta` frames at this many per second. */
      tokensPerSecond?: number;
      /** Extra or overriding response headers. */
      headers?: Record<string, string>;
      /** Close the socket after this many body bytes. */
      resetAfterBytes?: number;
      /** Stop writing after this many body bytes, keep the socket open. */
      stallAfterBytes?: number;
    }
  | {
      kind: 'http';
      /** HTTP status code, e.g. 429. */
      status: number;
      /** Response headers; `request-id` and `content-type: application/json` are added if absent. */
      headers?: Record<string, string>;
      /** Exact body string sent unchanged. */
      body: string;
    }
  | {
      kind: 'demo';
      /** Streaming pace in tokens (text deltas) per second; default 80; 0 or Infinity = unpaced. */
      tokensPerSecond?: number;
    }
  | { kind: 'script'; steps: ScriptStep[] }
  /**
   * `resume`: answers a `pause_turn` continuation as the API does (server-tools.ts
   * `resumeEvents`): the result of the pending `server_tool_use` the request ends with, then a
   * text citing it, `end_turn`.
   */
  | { kind: 'resume' };

/**
 * One step of a `script` scenario, executed in order. If the script writes body bytes
 * before any `head` step, a `200` with SSE headers is sent first. When the steps run out
 * without `end`, `reset` or `stall`, the response is ended normally (an empty `200` body if
 * nothing was written).
 *
 * - `delay`: wait `ms` milliseconds (before headers if no `head` step has run yet).
 * - `head`: send the status line and headers (`request-id` added if absent; `content-type`
 *   defaults to `text/event-stream; charset=utf-8`).
 * - `write`: send raw body bytes (string as UTF-8), optionally in `chunkBytes` pieces with
 *   `intervalMs` between them.
 * - `events`: send objects as SSE frames `event: <type>\ndata: <JSON>\n\n` (docs/PROTOCOL.md §1).
 * - `respond`: a whole plain response (status, headers, body) and end — e.g. "529 with
 *   retry-after: 1".
 * - `scenario`: answer the rest with a whole scenario (e.g. a fixture replay after a delay).
 * - `end`: finish the response normally.
 * - `reset`: close the socket now (after flushing what was written).
 * - `stall`: stop here and keep the socket open.
 */
export type ScriptStep =
  | { kind: 'delay'; ms: number }
  | { kind: 'head'; status: number; headers?: Record<string, string> }
  | { kind: 'write'; data: string | Uint8Array; chunkBytes?: number; intervalMs?: number }
  | { kind: 'events'; events: Array<{ type: string } & Record<string, unknown>> }
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'scenario'; scenario: Scenario }
  | { kind: 'end' }
  | { kind: 'reset' }
  | { kind: 'stall' };

/** One request as the server received it. */
export interface RecordedRequest {
  /** HTTP method, upper case. */
  method: string;
  /** URL path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** The raw request target including any query string, e.g. `/v1/models?limit=20`. */
  url: string;
  /** Lower-cased header names; `authorization` and `x-api-key` values are `"[redacted]"`. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw string if it is not JSON, or `undefined` for an empty body. */
  body: unknown;
  /** Arrival time, ms since the Unix epoch. */
  receivedAt: number;
}

/**
 * A model as served by `GET /v1/models` — the same shape as the SDK's `ModelInfo`
 * (`@anthropic-ai/sdk` 1.12 `resources/models.ts`). docs/PROTOCOL.md §9.
 */
export interface ModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  /** RFC 3339; the epoch when the release date is unknown. */
  created_at: string;
  /** The SDK's `ModelCapabilities` object, or `null` (the built-in table uses `null`). */
  capabilities: object | null;
  deprecated_at: string | null;
  lifecycle: 'active' | 'deprecated' | 'retired';
  line: 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos' | null;
  /** Context window in tokens. */
  max_input_tokens: number | null;
  /** Maximum `max_tokens` (output tokens). */
  max_tokens: number | null;
  retires_at: string | null;
}

/** A model table entry: `id` plus any {@link ModelInfo} fields (missing ones get defaults). */
export type ModelSpec = { id: string } & Partial<Omit<ModelInfo, 'id' | 'type'>>;
