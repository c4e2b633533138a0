/**
 * Executes one {@link Scenario} as the answer to a `POST /v1/messages`.
 * Wire facts: docs/PROTOCOL.md §1 (SSE headers and framing), §5 (errors), §10 (checklist).
 */
import type { ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { accumulateSse } from './accumulate.js';
import type { CacheUsage } from './cache.js';
import { demoSse } from './demo.js';
import { errorBody, statusForErrorType } from './errors.js';
import { resolveFixturePath } from './fixtures.js';
import { encodeEvent, pause, resetSocket, splitFrames, writeChunked, type WriteOptions } from './sse.js';
import { isRecord } from './tokens.js';
import { resumeEvents } from './server-tools.js';
import { newMessageId } from './ids.js';
import type { Scenario, ScriptStep } from './types.js';
import { validateMessagesRequest } from './validate.js';

/** Default demo pace in tokens per second. */
export const DEFAULT_DEMO_TPS = 80;

/** What a scenario needs to know about the request it answers. */
export interface ScenarioContext {
  res: ServerResponse;
  /** The `request-id` header value for this response. */
  requestId: string;
  /** The parsed request body. */
  body: unknown;
  /** Aborted when the client disconnects or the server closes. */
  signal: AbortSignal;
  /**
   * Serves the request from the server's prompt cache and returns its usage split (cache.ts);
   * called only by scenarios that compute usage (the demo model), so a replayed fixture or an
   * error answer neither reads nor writes the cache.
   */
  serveFromCache?: () => CacheUsage;
}

/**
 * Whether a request wants an SSE answer: everything except a JSON object without
 * `stream: true` (so raw test requests still get the stream).
 *
 * @param body  the parsed request body.
 */
export function wantsStream(body: unknown): boolean {
  return !isRecord(body) || body.stream === true;
}

/**
 * Answer with `scenario`. Resolves when the response is finished, reset, stalled (socket left
 * open) or the client went away; never rejects for client disconnects.
 *
 * @throws Error if an `sse` scenario's file cannot be found or read (before any byte is sent).
 */
export async function runScenario(scenario: Scenario, ctx: ScenarioContext): Promise<void> {
  switch (scenario.kind) {
    case 'http':
      sendPlain(ctx.res, scenario.status, withDefaults(scenario.headers, jsonHeaders(ctx.requestId)), scenario.body);
      return;
    case 'sse': {
      const bytes =
        scenario.path !== undefined ? await readFile(resolveFixturePath(scenario.path)) : Buffer.from(scenario.body ?? '', 'utf8');
      const pacing: WriteOptions = {
        chunkBytes: scenario.chunkBytes,
        intervalMs: scenario.intervalMs,
        tokensPerSecond: scenario.tokensPerSecond,
        resetAfterBytes: scenario.resetAfterBytes,
        stallAfterBytes: scenario.stallAfterBytes,
        signal: ctx.signal,
      };
      await answerWithSse(ctx, bytes, pacing, scenario.headers);
      return;
    }
    case 'demo': {
      const checked = validateMessagesRequest(ctx.body);
      if (!checked.ok) {
        sendPlain(ctx.res, 400, jsonHeaders(ctx.requestId), errorBody('invalid_request_error', checked.message, ctx.requestId));
        return;
      }
      const bytes = Buffer.from(demoSse(checked.request, ctx.serveFromCache?.()), 'utf8');
      await answerWithSse(ctx, bytes, { tokensPerSecond: scenario.tokensPerSecond ?? DEFAULT_DEMO_TPS, signal: ctx.signal });
      return;
    }
    case 'script':
      await runScript(scenario.steps, ctx);
      return;
    case 'resume': {
      const body = resumeEvents(ctx.body, newMessageId())
        .map((e) => encodeEvent(e))
        .join('');
      await answerWithSse(ctx, Buffer.from(body, 'utf8'), { signal: ctx.signal });
      return;
    }
    default: {
      const never: never = scenario;
      throw new Error(`unknown scenario ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Send an SSE body as a stream, or — for a non-streaming request — as the accumulated
 * Message JSON (an in-stream error becomes the matching HTTP status with the error JSON).
 */
async function answerWithSse(ctx: ScenarioContext, bytes: Uint8Array, opts: WriteOptions, headers?: Record<string, string>): Promise<void> {
  const { res } = ctx;
  if (!wantsStream(ctx.body)) {
    const acc = accumulateSse(bytes);
    let status = 200;
    let body: string;
    if (acc.kind === 'message') body = JSON.stringify(acc.message);
    else if (acc.kind === 'error') {
      status = statusForErrorType(acc.errorType);
      body = acc.body;
    } else {
      status = 500;
      body = errorBody('api_error', 'Internal server error', ctx.requestId);
    }
    const all = withDefaults(headers, jsonHeaders(ctx.requestId));
    const json = Buffer.from(body, 'utf8');
    if (opts.resetAfterBytes === undefined && opts.stallAfterBytes === undefined) {
      sendPlain(res, status, all, body);
      return;
    }
    res.writeHead(status, all);
    if ((await writeChunked(res, json, { ...opts, tokensPerSecond: 0 })) === 'complete') res.end();
    return;
  }
  res.writeHead(200, withDefaults(headers, sseHeaders(ctx.requestId)));
  const paceOffsets = splitFrames(bytes)
    .filter((f) => f.event === 'content_block_delta')
    .map((f) => f.start);
  const outcome = await writeChunked(res, bytes, { ...opts, paceOffsets });
  if (outcome === 'complete') res.end();
}

async function runScript(steps: ScriptStep[], ctx: ScenarioContext): Promise<void> {
  const { res } = ctx;
  const ensureHead = (): void => {
    if (!res.headersSent && !res.writableEnded) res.writeHead(200, sseHeaders(ctx.requestId));
  };
  for (const step of steps) {
    if (ctx.signal.aborted || res.destroyed) return;
    switch (step.kind) {
      case 'delay':
        if (!(await pause(step.ms, ctx.signal))) return;
        break;
      case 'head':
        res.writeHead(step.status, withDefaults(step.headers, sseHeaders(ctx.requestId)));
        break;
      case 'write': {
        ensureHead();
        const data = typeof step.data === 'string' ? Buffer.from(step.data, 'utf8') : step.data;
        const outcome = await writeChunked(res, data, {
          chunkBytes: step.chunkBytes ?? Math.max(1, data.length),
          intervalMs: step.intervalMs,
          signal: ctx.signal,
        });
        if (outcome !== 'complete') return;
        break;
      }
      case 'events': {
        ensureHead();
        const data = Buffer.from(step.events.map((e) => encodeEvent(e)).join(''), 'utf8');
        if ((await writeChunked(res, data, { chunkBytes: Math.max(1, data.length), signal: ctx.signal })) !== 'complete') return;
        break;
      }
      case 'respond':
        sendPlain(res, step.status, withDefaults(step.headers, jsonHeaders(ctx.requestId)), step.body ?? '');
        return;
      case 'scenario':
        await runScenario(step.scenario, ctx);
        return;
      case 'end':
        ensureHead();
        res.end();
        return;
      case 'reset':
        if (res.headersSent) resetSocket(res);
        else res.socket?.destroy();
        return;
      case 'stall':
        return;
      default: {
        const never: never = step;
        throw new Error(`unknown script step ${JSON.stringify(never)}`);
      }
    }
  }
  ensureHead();
  res.end();
}

/** Headers of a streaming answer (docs/PROTOCOL.md §1). */
export function sseHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId };
}

/** Headers of a JSON answer. */
export function jsonHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'application/json', 'request-id': requestId };
}

/** `defaults` overridden by `overrides` (names lower-cased). */
function withDefaults(overrides: Record<string, string> | undefined, defaults: Record<string, string>): Record<string, string> {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(overrides ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * Send a complete plain response with a `content-length` (like the real API's JSON answers).
 *
 * @param status  HTTP status code.
 * @param headers  response headers.
 * @param body  the exact body string.
 */
export function sendPlain(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(body);
}
