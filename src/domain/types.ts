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
}

/** `stop_details` of a refusal (docs/PROTOCOL.md §4); null for every other stop. */
export interface RefusalDetails {
  type: string;
  category: string | null;
  explanation: string | null;
}

/** One citation attached to a text block (`citations_delta`); only the fields inkwell shows. */
export interface Citation {
  type: string;
  cited_text?: string;
  title?: string | null;
  url?: string | null;
}

/**
 * A content block of an assistant message as accumulated from the stream.
 * Blocks inkwell cannot show are kept as `unknown` with their wire type, never dropped silently.
 */
export type ContentBlock =
  | { type: 'text'; text: string; citations: Citation[] }
  | {
      type: 'thinking';
      thinking: string;
      signature: string;
      /** Wall-clock ms (Date.now()) of the first and last delta, for the "thought for 3 s" line. */
      startedAt: number;
      endedAt: number | null;
    }
  | { type: 'redacted_thinking'; data: string }
  | {
      type: 'tool_use' | 'server_tool_use';
      id: string;
      name: string;
      /** Parsed `input`, set at `content_block_stop` (empty JSON counts as `{}`, docs/PROTOCOL.md §2). */
      input: unknown;
      /** Concatenated `input_json_delta.partial_json` fragments. */
      partialJson: string;
    }
  | {
      /** A server-tool result block (`web_search_tool_result`, …): arrives whole at block start. */
      type: 'tool_result';
      wireType: string;
      toolUseId: string | null;
      summary: string;
    }
  | { type: 'unknown'; wireType: string };

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
}

export interface AssistantMessage {
  role: 'assistant';
  id: string;
  model: string;
  content: ContentBlock[];
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

/**
 * A server-sent event of the Messages stream, as parsed JSON. Deliberately structural and loose:
 * unknown event, block and delta types must be ignored, never crash (docs/PROTOCOL.md §1).
 */
export interface WireStreamEvent {
  type: string;
  [field: string]: unknown;
}

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
