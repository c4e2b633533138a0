import type Anthropic from '@anthropic-ai/sdk';
import type { ApiMessage } from '../domain/conversation.js';
import type { WireStreamEvent } from '../domain/types.js';
import { describeFailure, type ApiFailure } from './errors.js';

/** One turn's request, in API terms. */
export interface TurnParams {
  model: string;
  /** Output cap for this reply, in tokens (`max_tokens`). */
  maxTokens: number;
  /** System prompt, or null for none. */
  system: string | null;
  /** History, oldest first, ending with the user's prompt. */
  messages: ApiMessage[];
}

/** Where a turn's events go, in arrival order. */
export interface TurnCallbacks {
  /** Every SSE event of the stream as parsed JSON, unknown types included (ignore those). */
  onEvent(event: WireStreamEvent): void;
  /** The `request-id` response header, as soon as the headers arrive. */
  onRequestId?(requestId: string): void;
}

/** How a turn ended: `message_stop` seen, or a failure in plain words (the events so far stand). */
export type TurnOutcome = { ok: true; requestId: string | null } | { ok: false; failure: ApiFailure };

/**
 * Streams one reply with `client.messages.stream` (SDK 1.12 MessageStream) and hands each event
 * to `callbacks.onEvent` the moment it is parsed.
 *
 * The SDK retries the initial HTTP response (429/5xx/529, connection errors) per its `maxRetries`;
 * an `event: error` or a dropped connection after the first byte is never retried (PROTOCOL.md
 * §5.1, §6): the outcome is a failure and the caller keeps what arrived.
 * @param signal aborts the request and the stream (the outcome is then `kind: 'aborted'`)
 * @param secrets credentials to keep out of any failure text
 * @throws never: every failure is returned as an outcome
 */
export async function streamTurn(
  client: Anthropic,
  params: TurnParams,
  callbacks: TurnCallbacks,
  signal: AbortSignal,
  secrets: readonly (string | null)[] = [],
): Promise<TurnOutcome> {
  let requestId: string | null = null;
  let sawStop = false;
  try {
    const stream = client.messages.stream(
      {
        model: params.model,
        max_tokens: params.maxTokens,
        messages: params.messages,
        ...(params.system ? { system: params.system } : {}),
      },
      { signal },
    );
    for await (const event of stream) {
      if (requestId === null && stream.request_id) {
        requestId = stream.request_id;
        callbacks.onRequestId?.(requestId);
      }
      callbacks.onEvent(event as unknown as WireStreamEvent);
      if (event.type === 'message_stop') sawStop = true;
    }
    requestId ??= stream.request_id ?? null;
    if (!sawStop) {
      return { ok: false, failure: { ...describeFailure(new Error('stream ended without producing a Message with role=assistant')), requestId } };
    }
    return { ok: true, requestId };
  } catch (err) {
    if (signal.aborted) return { ok: false, failure: { ...describeFailure(new DOMException('aborted', 'AbortError')), requestId } };
    const failure = describeFailure(err, secrets);
    return { ok: false, failure: { ...failure, requestId: failure.requestId ?? requestId } };
  }
}
