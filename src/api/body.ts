/**
 * A long conversation's request body, streamed instead of built whole.
 *
 * The SDK serialises a request with `JSON.stringify` and fetch then encodes that string to bytes:
 * both stay alive for as long as the request lasts (the SDK keeps the string for a retry, undici
 * the bytes until sent). For a 9 MB conversation that was +20 MB at the moment of sending, on top
 * of the conversation itself. Here the body is written a batch of messages at a time, into a
 * stream fetch reads as the socket takes it, with its exact `Content-Length` (counted in a first
 * pass), so no proxy sees a chunked upload and nothing is held but one batch.
 */

/** Bodies whose messages carry more text than this many characters are streamed. */
export const STREAM_BODY_ABOVE = 1 << 20;

/** Characters of JSON written per chunk. */
const BATCH_CHARS = 64 * 1024;

/** A Messages API request body: its `messages` plus any other top-level fields. */
export type RequestBody = { messages: readonly unknown[] } & Record<string, unknown>;

/** What {@link streamedBody} gives the SDK's request options. */
export interface StreamedBody {
  /** The body's UTF-8 JSON (RequestOptions.body: `messages.create` lets it replace its own JSON). */
  body: ReadableStream<Uint8Array>;
  /** `content-type` (the SDK sets it only for bodies it serialises) and the exact `content-length`. */
  headers: Record<string, string>;
}

/**
 * The request options that stream `body` (see the module comment), or null when its messages
 * carry no more than `threshold` characters of text (the SDK's own JSON is then used as it is).
 * The bytes equal `JSON.stringify(body)` but for key order: `messages` comes last.
 * @param body the request body as the SDK would send it (`stream: true` included)
 * @param threshold characters of message text above which the body is streamed
 * @returns a fresh stream (readable once: build one per attempt) with its headers, or null.
 *   The stream fails (and the request with it) if the messages change between the count and the
 *   write, rather than send a body that does not match its length.
 */
export function streamedBody(body: RequestBody, threshold = STREAM_BODY_ABOVE): StreamedBody | null {
  if (textLength(body.messages, threshold) <= threshold) return null;
  const { messages, ...rest } = body;
  const head = JSON.stringify(rest);
  const open = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"messages":[`;
  const close = ']}';
  let length = Buffer.byteLength(open) + Buffer.byteLength(close) + Math.max(0, messages.length - 1);
  for (const m of messages) length += Buffer.byteLength(JSON.stringify(m));

  const encoder = new TextEncoder();
  let next = -1; // -1: the opening not written yet
  let written = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let text = '';
        if (next === -1) {
          text = open;
          next = 0;
        }
        while (next < messages.length && text.length < BATCH_CHARS) {
          text += (next > 0 ? ',' : '') + JSON.stringify(messages[next]);
          next++;
        }
        const done = next >= messages.length;
        if (done) text += close;
        const bytes = encoder.encode(text);
        written += bytes.byteLength;
        if (written > length || (done && written !== length)) {
          controller.error(new Error('the conversation changed while it was being sent; send again'));
          return;
        }
        controller.enqueue(bytes);
        if (done) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { body: stream, headers: { 'content-type': 'application/json', 'content-length': String(length) } };
}

/** Characters of string data in `value` (keys left out), counting no further than `limit` + 1. */
function textLength(value: unknown, limit: number): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (n > limit) return;
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return n;
}
