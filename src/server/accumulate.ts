/**
 * Fold an SSE stream into the final Message JSON, for answering non-streaming requests from
 * the same scenarios. Mirrors the SDK 1.12 `MessageStream` accumulation (docs/PROTOCOL.md §3, §6):
 * text/thinking appended, signature replaced, tool input parsed from the concatenated
 * `partial_json` (empty → `{}`), usage overwritten (never added) from `message_delta`.
 */
import { splitFrames } from './sse.js';
import { isRecord } from './tokens.js';

/** The result of {@link accumulateSse}. */
export type Accumulated =
  | { kind: 'message'; message: Record<string, unknown>; complete: boolean }
  | { kind: 'error'; errorType: string | undefined; body: string }
  | { kind: 'empty' };

/**
 * Accumulate an SSE body.
 *
 * @param body  the SSE body bytes.
 * @returns `message` (with `complete` false when `message_stop` never came), `error` for an
 *   `event: error` frame (its `data` JSON verbatim and `error.type`, docs/PROTOCOL.md §5.1), or
 *   `empty` when no `message_start` arrived.
 * @throws SyntaxError if a non-error frame's data is not JSON.
 */
export function accumulateSse(body: Uint8Array): Accumulated {
  let message: Record<string, unknown> | null = null;
  const jsonBuffers = new Map<number, string>();
  for (const frame of splitFrames(body)) {
    if (frame.event === null || frame.event === 'ping' || frame.data === '') continue;
    if (frame.event === 'error') {
      const parsed: unknown = safeParse(frame.data);
      const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
      return { kind: 'error', errorType: typeof error?.type === 'string' ? error.type : undefined, body: frame.data };
    }
    const event: unknown = JSON.parse(frame.data);
    if (!isRecord(event)) continue;
    if (event.type === 'message_start' && isRecord(event.message)) {
      message = structuredClone(event.message);
      continue;
    }
    if (!message) continue;
    const content = Array.isArray(message.content) ? (message.content as Array<Record<string, unknown>>) : [];
    message.content = content;
    const index = typeof event.index === 'number' ? event.index : -1;
    switch (event.type) {
      case 'content_block_start':
        if (isRecord(event.content_block)) content.push(structuredClone(event.content_block));
        break;
      case 'content_block_delta': {
        const block = content[index];
        if (block && isRecord(event.delta)) applyDelta(block, event.delta, index, jsonBuffers);
        break;
      }
      case 'content_block_stop': {
        const block = content[index];
        const json = jsonBuffers.get(index);
        if (block && json !== undefined) {
          block.input = json.trim() === '' ? {} : (safeParse(json) ?? {});
          jsonBuffers.delete(index);
        }
        break;
      }
      case 'message_delta':
        applyMessageDelta(message, event);
        break;
      case 'message_stop':
        return { kind: 'message', message, complete: true };
      default:
        break; // unknown events are ignored (docs/PROTOCOL.md §1, versioning policy)
    }
  }
  return message ? { kind: 'message', message, complete: false } : { kind: 'empty' };
}

function applyDelta(block: Record<string, unknown>, delta: Record<string, unknown>, index: number, jsonBuffers: Map<number, string>): void {
  switch (delta.type) {
    case 'text_delta':
      block.text = String(block.text ?? '') + String(delta.text ?? '');
      break;
    case 'thinking_delta':
      block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
      break;
    case 'signature_delta':
      block.signature = delta.signature; // replaced, not appended (docs/PROTOCOL.md §2)
      break;
    case 'citations_delta':
      block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
      break;
    case 'input_json_delta':
      jsonBuffers.set(index, (jsonBuffers.get(index) ?? '') + String(delta.partial_json ?? ''));
      break;
    case 'compaction_delta':
      block.content = String(block.content ?? '') + String(delta.content ?? '');
      break;
    default:
      break;
  }
}

function applyMessageDelta(message: Record<string, unknown>, event: Record<string, unknown>): void {
  if (isRecord(event.delta)) {
    for (const key of ['stop_reason', 'stop_sequence', 'stop_details'] as const) {
      if (key in event.delta) message[key] = event.delta[key];
    }
    if (event.delta.container != null) message.container = event.delta.container;
  }
  if (isRecord(event.usage)) {
    const usage = isRecord(message.usage) ? message.usage : {};
    for (const [key, value] of Object.entries(event.usage)) {
      if (value != null) usage[key] = value; // cumulative totals: overwrite when present
    }
    message.usage = usage;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
