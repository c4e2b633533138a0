import type { BlockDelta, Citation, OtherBlock, StreamEvent, WireObject, WireStopDetails, WireUsage } from '../domain/wire.js';

export type { BlockDelta, StreamEvent } from '../domain/wire.js';

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
      return { type, error: { type: typeof e.type === 'string' ? e.type : '', message: typeof e.message === 'string' ? e.message : '' }, wire };
    }
  }
  return unknownEvent(wire, type);
}
