/**
 * SSE wire encoding, frame splitting and the paced, chunked body writer.
 * Wire format: docs/PROTOCOL.md §1 (`event: NAME\ndata: JSON\n\n`, padding, `{"type": "ping"}`).
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheUsage } from './cache.js';

/** The ping frame exactly as the real API sends it (note the space). docs/PROTOCOL.md §1. */
export const PING_FRAME = 'event: ping\ndata: {"type": "ping"}\n\n';

/**
 * Encode one event as an SSE frame: `event: <type>\ndata: <one-line JSON>\n\n`.
 *
 * @param event  an object with a string `type`; the event name equals `type` (docs/PROTOCOL.md §1).
 * @param padding  number of spaces inserted before the JSON's final `}`, like the real API's
 *   random padding (default 0). The result is still valid JSON.
 * @returns the frame as a string.
 * @throws TypeError if `event.type` is not a string.
 */
export function encodeEvent(event: { type: string } & Record<string, unknown>, padding = 0): string {
  if (typeof event.type !== 'string') throw new TypeError('event.type must be a string');
  const json = JSON.stringify(event);
  const padded = padding > 0 ? json.slice(0, -1) + ' '.repeat(padding) + '}' : json;
  return `event: ${event.type}\ndata: ${padded}\n\n`;
}

/** One SSE frame located in a body buffer. */
export interface SseFrame {
  /** Byte offset of the frame's first byte. */
  start: number;
  /** Byte offset just past the blank line that ends the frame (or the end of the buffer). */
  end: number;
  /** Value of the `event:` line, or `null` if the frame has none. */
  event: string | null;
  /** The `data:` lines joined with `\n` (SSE spec), `''` if none. */
  data: string;
}

/**
 * Split an SSE body into frames at blank lines (LF LF, CRLF CRLF or CR CR), keeping exact
 * byte offsets so a replay can send the original bytes unchanged.
 *
 * @param body  the raw SSE body.
 * @returns frames in order; bytes after the last blank line form a final frame if non-empty.
 */
export function splitFrames(body: Uint8Array): SseFrame[] {
  const frames: SseFrame[] = [];
  let start = 0;
  let i = 0;
  const n = body.length;
  while (i < n) {
    let sepLen = 0;
    if (body[i] === 0x0a && body[i + 1] === 0x0a) sepLen = 2;
    else if (body[i] === 0x0d && body[i + 1] === 0x0a && body[i + 2] === 0x0d && body[i + 3] === 0x0a) sepLen = 4;
    else if (body[i] === 0x0d && body[i + 1] === 0x0d) sepLen = 2;
    if (sepLen > 0) {
      frames.push(describeFrame(body, start, i + sepLen));
      start = i + sepLen;
      i = start;
    } else {
      i++;
    }
  }
  if (start < n) frames.push(describeFrame(body, start, n));
  return frames;
}

function describeFrame(body: Uint8Array, start: number, end: number): SseFrame {
  const text = Buffer.from(body.buffer, body.byteOffset + start, end - start).toString('utf8');
  let event: string | null = null;
  const data: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { start, end, event, data: data.join('\n') };
}

/** Options of {@link writeChunked}. */
export interface WriteOptions {
  /** Bytes per write; default 37. */
  chunkBytes?: number;
  /** Delay between writes in ms; default 0 (the writer still yields to the event loop). */
  intervalMs?: number;
  /**
   * Byte offsets at which a paced frame starts (e.g. every `content_block_delta`); with
   * `tokensPerSecond` the k-th offset (1-based) is not written before `k * 1000 / tps` ms
   * after the writer started. Writes are split at these offsets.
   */
  paceOffsets?: number[];
  /** Pace rate for `paceOffsets`, per second; 0, negative or Infinity = unpaced. */
  tokensPerSecond?: number;
  /** Close the socket after this many body bytes. */
  resetAfterBytes?: number;
  /** Stop after this many body bytes and leave the socket open. */
  stallAfterBytes?: number;
  /** Aborts the writer (client gone, server closing). */
  signal?: AbortSignal;
}

/** How {@link writeChunked} finished. */
export type WriteOutcome = 'complete' | 'reset' | 'stalled' | 'aborted';

/** Timers shorter than this are not armed; due frames are batched instead (ms). */
const MIN_TIMER_MS = 4;

/**
 * Write `body` to `res` in small chunks with optional pacing, reset or stall. Does not end
 * the response on `'complete'` (the caller does); on `'reset'` the socket is closed after the
 * written bytes are flushed; on `'stalled'` nothing more happens.
 *
 * @param res  a response whose headers may or may not have been sent.
 * @param body  the exact bytes to send.
 * @returns the outcome; never throws for client disconnects (returns `'aborted'`).
 */
export async function writeChunked(res: ServerResponse, body: Uint8Array, opts: WriteOptions = {}): Promise<WriteOutcome> {
  const chunkBytes = Math.max(1, Math.floor(opts.chunkBytes ?? 37));
  const intervalMs = Math.max(0, opts.intervalMs ?? 0);
  const tps = opts.tokensPerSecond ?? 0;
  const paced = tps > 0 && Number.isFinite(tps);
  const paceOffsets = paced ? [...(opts.paceOffsets ?? [])].sort((a, b) => a - b) : [];
  const signal = opts.signal;
  const resetAt = opts.resetAfterBytes ?? Infinity;
  const stallAt = opts.stallAfterBytes ?? Infinity;
  const limit = Math.min(body.length, resetAt, stallAt);
  const startedAt = performance.now();
  let paceIndex = 0;
  let pos = 0;

  while (pos < limit) {
    if (signal?.aborted || res.destroyed) return 'aborted';
    // Skip pace points at or before pos (already handled), find the next cut.
    while (paceIndex < paceOffsets.length && paceOffsets[paceIndex]! < pos) paceIndex++;
    if (paceIndex < paceOffsets.length && paceOffsets[paceIndex] === pos) {
      const due = startedAt + ((paceIndex + 1) * 1000) / tps;
      const wait = due - performance.now();
      if (wait >= MIN_TIMER_MS && !(await pause(wait, signal))) return 'aborted';
      paceIndex++;
    }
    let cut = Math.min(pos + chunkBytes, limit);
    if (paceIndex < paceOffsets.length && paceOffsets[paceIndex]! < cut) cut = paceOffsets[paceIndex]!;
    if (!(await writeAsync(res, body.subarray(pos, cut), signal))) return 'aborted';
    pos = cut;
    if (pos < limit) {
      if (intervalMs > 0) {
        if (!(await pause(intervalMs, signal))) return 'aborted';
      } else {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
  if (opts.resetAfterBytes !== undefined && pos >= resetAt && resetAt <= stallAt) {
    resetSocket(res);
    return 'reset';
  }
  if (opts.stallAfterBytes !== undefined && pos >= stallAt) return 'stalled';
  return 'complete';
}

/**
 * Close the response's socket without ending the HTTP message, so the client sees a
 * truncated body. Bytes already written are flushed first (FIN, not RST, so the client
 * still reads them).
 */
export function resetSocket(res: ServerResponse): void {
  if (!res.headersSent) res.flushHeaders();
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  // end() half-closes after everything queued has been flushed; the HTTP message itself is
  // never finished (no terminating chunk), so the client sees a truncated body.
  socket.end();
}

/** Sleep `ms`, resolving `false` if `signal` aborts first. */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
    return true;
  } catch {
    return false;
  }
}

/** Write one chunk and wait until it is handed to the socket; `false` if the client went away. */
function writeAsync(res: ServerResponse, chunk: Uint8Array, signal?: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (res.destroyed || signal?.aborted) return resolve(false);
    const onAbort = (): void => resolve(false);
    signal?.addEventListener('abort', onAbort, { once: true });
    res.write(chunk, (err) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(!err);
    });
  });
}

/** What {@link messageStartEvent} reports. */
export interface MessageStartOptions {
  /** The `model` (the requested model). */
  model: string;
  /** The message id (`msg_…`). */
  id: string;
  /** `usage.input_tokens`; default 1. */
  inputTokens?: number;
  /** The cache fields of `usage` (cache.ts); default all 0. Its `input_tokens` wins over `inputTokens`. */
  cache?: CacheUsage;
}

/**
 * A `message_start` event as the API sends it today (docs/PROTOCOL.md §2–§3; recorded from
 * claude-sonnet-4-6 in fixture 04): empty content, no stop yet, and usage with the cache fields,
 * `output_tokens: 1`, `service_tier` and `inference_geo`.
 * @returns the event object, for {@link encodeEvent}
 */
export function messageStartEvent(o: MessageStartOptions): { type: 'message_start' } & Record<string, unknown> {
  const inputTokens = o.cache?.input_tokens ?? o.inputTokens ?? 1;
  return {
    type: 'message_start',
    message: {
      model: o.model,
      id: o.id,
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage: {
        input_tokens: inputTokens,
        cache_creation_input_tokens: o.cache?.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: o.cache?.cache_read_input_tokens ?? 0,
        cache_creation: { ...(o.cache?.cache_creation ?? { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }) },
        output_tokens: 1,
        service_tier: 'standard',
        inference_geo: 'not_available',
      },
    },
  };
}
