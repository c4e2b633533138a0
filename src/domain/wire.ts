/**
 * The Messages API's own shapes: content blocks as the API sends them, and the stream events that
 * carry them, as a discriminated union. Pure types and guards: no SDK import (api/stream.ts builds
 * the events from the SDK's raw ones; this room may not import api/).
 *
 * Content blocks are kept exactly as sent: the fields the API sent, in the order it sent them,
 * unknown fields included, so each block can go back unchanged on the next request (thinking
 * `signature`, `redacted_thinking` `data`, `encrypted_content` of web search results,
 * `encrypted_index` of citations, compaction blocks). The interfaces below name the fields inkwell
 * reads; every other field is kept by the index signature. docs/PROTOCOL.md §2.
 */

/** A JSON object as parsed (untrusted: read its fields through the guards below). */
export type WireObject = { [field: string]: unknown };

/** One citation of a text block (`citations_delta.citation`); inkwell reads these fields, keeps all. */
export interface Citation {
  type: string;
  cited_text?: string;
  title?: string | null;
  url?: string | null;
  [field: string]: unknown;
}

/** `{"type":"text","text":…}`, with `citations` when the API sent any (or an empty list at start). */
export interface TextBlock {
  type: 'text';
  text: string;
  citations?: Citation[] | null;
  [field: string]: unknown;
}

/** `{"type":"thinking","thinking":…,"signature":…}`: `thinking` may be "" (display "omitted"). */
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  /** Set by the single `signature_delta` just before the block stops; "" while streaming. */
  signature: string;
  [field: string]: unknown;
}

/** `{"type":"redacted_thinking","data":…}`: encrypted, arrives whole at block start. */
export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
  [field: string]: unknown;
}

/** `tool_use` (a client tool) or `server_tool_use` (web search, code execution, …). */
export interface ToolUseBlock {
  type: 'tool_use' | 'server_tool_use';
  id: string;
  name: string;
  /** `{}` at block start; the parsed `input_json_delta` fragments once the block stops. */
  input: unknown;
  [field: string]: unknown;
}

/** `{"type":"compaction","content":…}` (beta): `content` is set whole by `compaction_delta`. */
export interface CompactionBlock {
  type: 'compaction';
  content: string | null;
  [field: string]: unknown;
}

/**
 * Any other block, kept whole: server-tool results (`web_search_tool_result`,
 * `web_fetch_tool_result`, …, which arrive complete at block start), `container_upload`, and
 * block types newer than inkwell (shown as one line with their type).
 */
export interface OtherBlock {
  type: string;
  [field: string]: unknown;
}

/** A content block of an assistant message, exactly as the API sent it. Read it through the guards. */
export type ContentBlock = TextBlock | ThinkingBlock | RedactedThinkingBlock | ToolUseBlock | CompactionBlock | OtherBlock;

/** True for a `text` block (with a string `text`). */
export function isTextBlock(b: ContentBlock): b is TextBlock {
  return b.type === 'text' && typeof b.text === 'string';
}

/** True for a `thinking` block (with string `thinking` and `signature`). */
export function isThinkingBlock(b: ContentBlock): b is ThinkingBlock {
  return b.type === 'thinking' && typeof b.thinking === 'string' && typeof b.signature === 'string';
}

/** True for a `redacted_thinking` block. */
export function isRedactedThinkingBlock(b: ContentBlock): b is RedactedThinkingBlock {
  return b.type === 'redacted_thinking' && typeof b.data === 'string';
}

/** True for a `tool_use` or `server_tool_use` block (with string `id` and `name`). */
export function isToolUseBlock(b: ContentBlock): b is ToolUseBlock {
  return (b.type === 'tool_use' || b.type === 'server_tool_use') && typeof b.id === 'string' && typeof b.name === 'string';
}

/** True for a `compaction` block. */
export function isCompactionBlock(b: ContentBlock): b is CompactionBlock {
  return b.type === 'compaction' && (typeof b.content === 'string' || b.content === null);
}

/** True for a server-tool result block (`…_tool_result`, e.g. `web_search_tool_result`). */
export function isServerToolResult(b: ContentBlock): boolean {
  return b.type.endsWith('_tool_result');
}

/** The citations of a text block (none when the API sent none). */
export function citationsOf(b: TextBlock): readonly Citation[] {
  return Array.isArray(b.citations) ? b.citations : [];
}

/** Token counts as a stream event carries them; absent or null fields do not apply (docs/PROTOCOL.md §3). */
export interface WireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [field: string]: unknown;
}

/** `stop_details` of a refusal, as sent. */
export interface WireStopDetails {
  type: string;
  category: string | null;
  explanation: string | null;
}

/** The delta of a `content_block_delta` event, by its `type`; `unknown` for delta types inkwell does not know. */
export type BlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'citations_delta'; citation: Citation }
  /** Beta compaction: carries the block's final `content` (null = failed), assigned, not appended. */
  | { type: 'compaction_delta'; content: string | null; encrypted_content?: unknown }
  | { type: 'unknown'; wireType: string };

/**
 * One server-sent event of a Messages stream, normalised (api/stream.ts `parseStreamEvent`).
 * Every member keeps `wire`, the event exactly as parsed from the SSE `data:` line (print mode's
 * `stream-json` writes it unchanged). Event types inkwell does not know, and known types whose
 * fields are malformed, are `unknown`: ignored, never a crash (docs/PROTOCOL.md §1 "versioning").
 */
export type StreamEvent =
  | {
      type: 'message_start';
      message: { id: string | null; model: string | null; usage: WireUsage };
      wire: WireObject;
    }
  | { type: 'content_block_start'; index: number; content_block: ContentBlock; wire: WireObject }
  | { type: 'content_block_delta'; index: number; delta: BlockDelta; wire: WireObject }
  | { type: 'content_block_stop'; index: number; wire: WireObject }
  | {
      type: 'message_delta';
      delta: {
        stop_reason: string | null;
        stop_sequence: string | null;
        /** Absent when the event did not carry the field (older models), else as sent. */
        stop_details?: WireStopDetails | null;
      };
      usage: WireUsage | null;
      wire: WireObject;
    }
  | { type: 'message_stop'; wire: WireObject }
  | { type: 'ping'; wire: WireObject }
  | { type: 'error'; error: { type: string; message: string }; wire: WireObject }
  | { type: 'unknown'; wireType: string; wire: WireObject };

/** The `type` values of {@link StreamEvent}. */
export type StreamEventType = StreamEvent['type'];
