/**
 * Conversation data shapes. Pure: no SDK, Ink or React imports.
 *
 * Field names follow the Messages API (content block, delta, `stop_reason`, usage) so a reader can
 * map them to https://platform.claude.com/docs/en/build-with-claude/streaming one to one.
 */

/**
 * Why a reply ended (SDK 1.12 `StopReason`, plus anything newer as a plain string: the API may
 * add values, docs/PROTOCOL.md §1 "versioning").
 */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'
  | (string & {});

/**
 * Token usage of one message, in tokens. Total input is
 * `input_tokens + cache_creation_input_tokens + cache_read_input_tokens` (docs/PROTOCOL.md §3).
 */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /**
   * The cache writes by time to live, when the API sent the breakdown (absent in older files and
   * from servers that do not send it: then every write is priced as a 5-minute one).
   */
  cache_creation?: CacheCreation;
  /** Server-tool calls the API bills apart (web searches), when it reported any. */
  server_tool_use?: ServerToolUse;
}

/** `usage.cache_creation`: cache-write tokens by time to live (docs/PROTOCOL.md §3). */
export interface CacheCreation {
  /** Tokens written to the 5-minute cache. */
  ephemeral_5m_input_tokens: number;
  /** Tokens written to the 1-hour cache. */
  ephemeral_1h_input_tokens: number;
}

/** `usage.server_tool_use`: billed server-tool calls. */
export interface ServerToolUse {
  /** Web searches run for this message (priced per 1,000). */
  web_search_requests: number;
}

/** `stop_details` of a refusal (docs/PROTOCOL.md §4); null for every other stop. */
export interface RefusalDetails {
  type: string;
  category: string | null;
  explanation: string | null;
}

export type { Citation, ContentBlock, StreamEvent } from './wire.js';
import type { ContentBlock } from './wire.js';

/**
 * What inkwell knows about a content block beside the block itself (the block stays exactly as
 * the API sent it, domain/wire.ts): when it streamed, and the tool input so far. One per block,
 * in `AssistantMessage.blocks`, at the block's index.
 */
export interface BlockInfo {
  /** ms since the epoch when `content_block_start` arrived (the "thought for 3 s" line starts here). */
  startedAt: number;
  /** ms since the epoch when `content_block_stop` arrived; null while it streams, or when it was cut off. */
  stoppedAt: number | null;
  /** Concatenated `input_json_delta.partial_json` of a tool_use / server_tool_use block ("" for others). */
  partialJson: string;
  /**
   * Only on blocks read from a session saved in format 1, which kept display shapes rather than
   * the wire blocks: the one-line summary format 1 kept of a server-tool result ("" for other
   * blocks). A message with such blocks goes back to the API as its text only, as format 1 sent it.
   */
  legacy?: string;
}

/** Why a reply ended before `message_stop`. */
export interface Interruption {
  /** Plain words for the transcript: "you pressed Esc", "the connection dropped", … */
  reason: string;
}

export interface UserMessage {
  role: 'user';
  id: string;
  text: string;
  /** ms since the epoch */
  createdAt: number;
  /**
   * The request carrying this prompt failed or was stopped before any reply: it stays in the
   * transcript marked "not sent" and is never sent to the API again (absent: sent).
   */
  unsent?: boolean;
}

export interface AssistantMessage {
  role: 'assistant';
  id: string;
  model: string;
  /**
   * The content blocks exactly as the API sent them (fields, order, unknown fields and types
   * included), accumulated from the deltas: they go back unchanged on the next request.
   */
  content: ContentBlock[];
  /**
   * Per content block (same index), what inkwell knows beside it: timing, tool input so far.
   * Absent (or shorter than `content`) for messages built without a stream: such blocks count as
   * whole, with no timing.
   */
  blocks?: BlockInfo[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  stop_details: RefusalDetails | null;
  /** Latest usage: message_start's, then overwritten by message_delta's cumulative counts. */
  usage: Usage;
  /** True once a message_delta carried usage: until then output_tokens is an estimate. */
  usageFinal: boolean;
  /**
   * streaming: tokens still arriving; complete: message_stop seen; interrupted: ended early
   * (Esc, a dropped stream, an error after the first byte) with whatever arrived kept.
   */
  status: 'waiting' | 'streaming' | 'complete' | 'interrupted';
  interruption: Interruption | null;
  requestId: string | null;
  /** The API message id (`msg_…`) once message_start arrives. */
  apiId: string | null;
  /** ms since the epoch: request sent, first content delta, end. */
  startedAt: number;
  firstTokenAt: number | null;
  endedAt: number | null;
}

/** A line of plain words in the transcript: an error, a warning, an informational notice. */
export interface NoticeMessage {
  role: 'notice';
  id: string;
  level: 'info' | 'warning' | 'error';
  text: string;
  createdAt: number;
}

export type Message = UserMessage | AssistantMessage | NoticeMessage;

/** The context window and output limit of a model, in tokens. */
export interface ModelLimits {
  model: string;
  /** `max_input_tokens` from the Models API. */
  contextWindow: number;
  /** `max_tokens` from the Models API: the most a reply may be asked for. */
  maxOutputTokens: number;
  /** Where the numbers came from: the Models API or inkwell's fallback table. */
  source: 'api' | 'fallback';
}
