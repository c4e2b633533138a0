import * as z from 'zod/mini';
import type { AssistantMessage, BlockInfo, ContentBlock, NoticeMessage, UserMessage, Usage } from '../domain/types.js';
import type { OtherBlock } from '../domain/wire.js';

/**
 * The session file format: one JSON record per line (JSONL), append-only.
 *
 * Every record starts with the same keys in the same order — `v` (format version), `k` (kind),
 * `id` (when the record is about one message or is the header), `at` (ms since the epoch when it
 * was written) — so a reader can classify a line from its first bytes without parsing it
 * (codec.ts `readHeadAt`). Example lines:
 *
 * ```
 * {"v":2,"k":"session","id":"k7qx2mfa","at":1767225600000,"created":"2026-01-01T00:00:00.000Z","model":"claude-sonnet-4-5","system":null,"title":null}
 * {"v":2,"k":"user","id":"u1","at":1767225601000,"message":{"role":"user","id":"u1","text":"Hello","createdAt":1767225601000}}
 * {"v":2,"k":"checkpoint","id":"a1","at":1767225602000,"from":0,"grow":null,"message":{"role":"assistant","id":"a1",…,"status":"streaming",…}}
 * {"v":2,"k":"assistant","id":"a1","at":1767225603000,"message":{"role":"assistant","id":"a1",…,"content":[…wire blocks…],"blocks":[…],…}}
 * {"v":2,"k":"title","at":1767225604000,"title":"Greetings"}
 * {"v":2,"k":"system","at":1767225605000,"system":"Answer in French."}
 * ```
 *
 * Superseding rule: the state of an assistant message is its last `assistant` record with every
 * later `checkpoint` for the same id applied on top. A checkpoint is a delta against the previous
 * state of that message (see {@link CheckpointRecord}); an `assistant` record is always whole.
 *
 * FORMAT_VERSION is written in every record's `v`; a reader treats a larger `v` as a newer
 * inkwell's (damaged for this version: read what validates, never write).
 *
 * Format 2 (this one) stores a reply's `content` as the wire blocks the API sent, each kept whole
 * (domain/wire.ts), with `blocks` beside them (timing, tool input so far). Format 1 stored display
 * shapes instead (a server-tool result as a summary, thinking with its timing inside); its records
 * are still read, and upgraded on load ({@link parseRecord}, {@link upgradeLegacyMessage}).
 */
export const FORMAT_VERSION = 2;

const count = z.number().check(z.nonnegative());

/** Domain `Usage`: token counts. */
export const usageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  // Optional: files written before issue 15 have neither, and still load.
  cache_creation: z.optional(z.object({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count })),
  server_tool_use: z.optional(z.object({ web_search_requests: count })),
});

/**
 * A content block as the API sent it: any object with a string `type`, taken as it is (no copy,
 * no reordering, unknown fields kept: it must go back to the API byte for byte).
 */
export const contentBlockSchema = z.custom<OtherBlock>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'type' in v && typeof v.type === 'string',
);

/** Domain `BlockInfo`: what inkwell knows beside a block. */
export const blockInfoSchema = z.object({
  startedAt: z.number(),
  stoppedAt: z.nullable(z.number()),
  partialJson: z.string(),
  legacy: z.optional(z.string()),
});

/** Domain `UserMessage`. */
export const userMessageSchema = z.object({
  role: z.literal('user'),
  id: z.string(),
  text: z.string(),
  createdAt: z.number(),
  unsent: z.optional(z.boolean()),
});

/** Domain `NoticeMessage`. */
export const noticeMessageSchema = z.object({
  role: z.literal('notice'),
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  text: z.string(),
  createdAt: z.number(),
});

/** Domain `AssistantMessage` (any status: a checkpoint is `streaming`). */
export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  id: z.string(),
  model: z.string(),
  content: z.array(contentBlockSchema),
  blocks: z.optional(z.array(blockInfoSchema)),
  stop_reason: z.nullable(z.string()),
  stop_sequence: z.nullable(z.string()),
  stop_details: z.nullable(z.object({ type: z.string(), category: z.nullable(z.string()), explanation: z.nullable(z.string()) })),
  usage: usageSchema,
  usageFinal: z.boolean(),
  status: z.enum(['waiting', 'streaming', 'complete', 'interrupted']),
  interruption: z.nullable(z.object({ reason: z.string() })),
  requestId: z.nullable(z.string()),
  apiId: z.nullable(z.string()),
  startedAt: z.number(),
  firstTokenAt: z.nullable(z.number()),
  endedAt: z.nullable(z.number()),
});

const v = z.int().check(z.positive());
const at = z.number();

/** First record of every file: who the session is. `title` is null until the user names it. */
export const headerRecordSchema = z.object({
  v,
  k: z.literal('session'),
  id: z.string(),
  at,
  /** ISO 8601 date-time the session was created. */
  created: z.string(),
  model: z.string(),
  system: z.nullable(z.string()),
  title: z.nullable(z.string()),
});

/**
 * A prompt the user sent. A later `user` record with the same id supersedes it: the prompt marked
 * `unsent` (its request failed before any reply), or sent again by /retry (the mark gone).
 */
export const userRecordSchema = z.object({ v, k: z.literal('user'), id: z.string(), at, message: userMessageSchema });

/** A notice shown in the transcript (errors, warnings, info). */
export const noticeRecordSchema = z.object({ v, k: z.literal('notice'), id: z.string(), at, message: noticeMessageSchema });

/** A finished reply (status complete or interrupted), whole. */
export const assistantRecordSchema = z.object({
  v,
  k: z.literal('assistant'),
  id: z.string(),
  at,
  message: assistantMessageSchema,
});

/**
 * A reply while it streams, as a delta against the previous state of the same message id:
 * - `from`: how many leading content blocks are kept from the previous state; `message.content`
 *   holds the blocks from index `from` on (every other field of `message` is whole).
 * - `grow`: when not null, the first block of `message.content` continues the previous state's
 *   block at index `from`: its growing string (`text`, `thinking` or `partialJson`) holds only
 *   what follows the first `grow` characters (UTF-16 code units) of the previous one.
 * A checkpoint with `from: 0, grow: null` is whole and needs no previous state.
 */
export const checkpointRecordSchema = z.object({
  v,
  k: z.literal('checkpoint'),
  id: z.string(),
  at,
  from: z.int().check(z.nonnegative()),
  grow: z.nullable(z.int().check(z.nonnegative())),
  message: assistantMessageSchema,
});

/** A rename: the session's title from here on. */
export const titleRecordSchema = z.object({ v, k: z.literal('title'), at, title: z.string() });

/**
 * Written by a writer that found the line before it cut short (a crash or a full disk mid-write):
 * the unreadable lines right before it are a write that was cut short, to be skipped, and are not
 * damage.
 */
export const tornRecordSchema = z.object({ v, k: z.literal('torn'), at });

/**
 * Messages taken back by /retry: the listed ids leave the transcript (the lines stay in the file,
 * which is never rewritten).
 */
export const retractRecordSchema = z.object({ v, k: z.literal('retract'), at, ids: z.array(z.string()) });

/**
 * A system prompt set (or removed: null) during the session: the system prompt from here on,
 * superseding the header's (/system, or `--system` on resuming).
 */
export const systemRecordSchema = z.object({ v, k: z.literal('system'), at, system: z.nullable(z.string()) });

/** Any record of format {@link FORMAT_VERSION}, by kind `k`. */
export const recordSchema = z.discriminatedUnion('k', [
  retractRecordSchema,
  headerRecordSchema,
  userRecordSchema,
  noticeRecordSchema,
  assistantRecordSchema,
  checkpointRecordSchema,
  titleRecordSchema,
  tornRecordSchema,
  systemRecordSchema,
]);

/** Record types, as validated. */
export type HeaderRecord = z.infer<typeof headerRecordSchema>;
export type UserRecord = z.infer<typeof userRecordSchema>;
export type NoticeRecord = z.infer<typeof noticeRecordSchema>;
export type AssistantRecord = z.infer<typeof assistantRecordSchema>;
export type CheckpointRecord = z.infer<typeof checkpointRecordSchema>;
export type TitleRecord = z.infer<typeof titleRecordSchema>;
export type TornRecord = z.infer<typeof tornRecordSchema>;
export type RetractRecord = z.infer<typeof retractRecordSchema>;
export type SystemRecord = z.infer<typeof systemRecordSchema>;
export type SessionRecord = z.infer<typeof recordSchema>;
export type RecordKind = SessionRecord['k'];

/** The session header without the record plumbing. */
export type SessionHeader = Omit<HeaderRecord, 'v' | 'k' | 'at'>;

// The schemas must describe the domain types exactly, both ways: a change to types.ts that the
// format does not follow fails the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
/** Compile-time proof that the schemas and src/domain/types.ts agree (fails the type check otherwise). */
export type SchemaMatchesDomain = Check<
  Same<z.infer<typeof usageSchema>, Usage> extends true
    ? Same<z.infer<typeof userMessageSchema>, UserMessage> extends true
      ? Same<z.infer<typeof noticeMessageSchema>, NoticeMessage> extends true
        ? [z.infer<typeof assistantMessageSchema>] extends [AssistantMessage]
          ? [AssistantMessage] extends [z.infer<typeof assistantMessageSchema>]
            ? [z.infer<typeof contentBlockSchema>] extends [ContentBlock]
              ? Same<z.infer<typeof blockInfoSchema>, BlockInfo> extends true
                ? true
                : false
              : false
            : false
          : false
        : false
      : false
    : false
>;
