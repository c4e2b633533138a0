import * as z from 'zod/mini';
import type { AssistantMessage, BlockInfo, ContentBlock } from '../domain/types.js';
import { assistantMessageSchema, recordSchema, usageSchema, type SessionRecord } from './schema.js';

/**
 * Format 1 of the session file (inkwell before wire blocks, schema.ts FORMAT_VERSION): records
 * are the same as format 2's but for a reply's content, which held display shapes: a text block
 * always with `citations` (only type, cited_text, title and url kept), thinking with its
 * `startedAt`/`endedAt` inside, tool blocks with their `partialJson`, a server-tool result as
 * `{type:"tool_result", wireType, toolUseId, summary}` and anything else as
 * `{type:"unknown", wireType}`. Those records are read here and upgraded to format 2's shapes;
 * what format 1 did not keep (a result's search results, citations' `encrypted_index`) is not
 * invented: the upgraded reply is marked legacy and goes back to the API as its text only, as
 * format 1 sent it (domain/blocks.ts `sendableContent`).
 */

const legacyCitationSchema = z.object({
  type: z.string(),
  cited_text: z.optional(z.string()),
  title: z.optional(z.nullable(z.string())),
  url: z.optional(z.nullable(z.string())),
});

/** A format-1 content block. */
const legacyBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string(), citations: z.array(legacyCitationSchema) }),
  z.object({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string(),
    startedAt: z.number(),
    endedAt: z.nullable(z.number()),
  }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.object({
    type: z.enum(['tool_use', 'server_tool_use']),
    id: z.string(),
    name: z.string(),
    input: z.unknown(),
    partialJson: z.string(),
  }),
  z.object({ type: z.literal('tool_result'), wireType: z.string(), toolUseId: z.nullable(z.string()), summary: z.string() }),
  z.object({ type: z.literal('unknown'), wireType: z.string() }),
]);

type LegacyBlock = z.infer<typeof legacyBlockSchema>;

/** A format-1 assistant message: format 2's fields, with format-1 content and no `blocks`. */
const legacyMessageSchema = z.extend(z.omit(assistantMessageSchema, { content: true, blocks: true }), {
  content: z.array(legacyBlockSchema),
  usage: usageSchema,
});

type LegacyMessage = z.infer<typeof legacyMessageSchema>;

const v = z.literal(1);
const at = z.number();

const legacyRecordSchema = z.discriminatedUnion('k', [
  z.object({ v, k: z.literal('assistant'), id: z.string(), at, message: legacyMessageSchema }),
  z.object({
    v,
    k: z.literal('checkpoint'),
    id: z.string(),
    at,
    from: z.int().check(z.nonnegative()),
    grow: z.nullable(z.int().check(z.nonnegative())),
    message: legacyMessageSchema,
  }),
]);

/** One format-1 block as the wire block it stood for, and its info (always marked `legacy`). */
function upgradeBlock(b: LegacyBlock, m: LegacyMessage): { block: ContentBlock; info: BlockInfo } {
  const info: BlockInfo = { startedAt: m.startedAt, stoppedAt: m.startedAt, partialJson: '', legacy: '' };
  switch (b.type) {
    case 'text':
      return {
        block: b.citations.length > 0 ? { type: 'text', text: b.text, citations: b.citations } : { type: 'text', text: b.text },
        info,
      };
    case 'thinking':
      return {
        block: { type: 'thinking', thinking: b.thinking, signature: b.signature },
        info: { ...info, startedAt: b.startedAt, stoppedAt: b.endedAt },
      };
    case 'redacted_thinking':
      return { block: { type: 'redacted_thinking', data: b.data }, info };
    case 'tool_use':
    case 'server_tool_use':
      return { block: { type: b.type, id: b.id, name: b.name, input: b.input ?? {} }, info: { ...info, partialJson: b.partialJson } };
    case 'tool_result':
      return {
        block: b.toolUseId === null ? { type: b.wireType } : { type: b.wireType, tool_use_id: b.toolUseId },
        info: { ...info, legacy: b.summary },
      };
    case 'unknown':
      return { block: { type: b.wireType }, info };
  }
}

/**
 * A format-1 assistant message in format 2's shape: wire-shaped blocks with their infos, every
 * info marked `legacy` (so the reply is sent back as its text, domain/blocks.ts).
 */
export function upgradeLegacyMessage(m: LegacyMessage): AssistantMessage {
  const upgraded = m.content.map((b) => upgradeBlock(b, m));
  return { ...m, content: upgraded.map((u) => u.block), blocks: upgraded.map((u) => u.info) };
}

/** The result of {@link parseRecord}. */
export type ParsedRecord = { success: true; data: SessionRecord } | { success: false };

/**
 * Validates one parsed line as a record of format 1 or 2 (format-1 replies upgraded, see the
 * module comment). Records of a newer format validate when their shape is format 2's.
 */
export function parseRecord(value: unknown): ParsedRecord {
  const isV1Reply =
    typeof value === 'object' &&
    value !== null &&
    'v' in value &&
    value.v === 1 &&
    'k' in value &&
    (value.k === 'assistant' || value.k === 'checkpoint');
  if (isV1Reply) {
    const legacy = legacyRecordSchema.safeParse(value);
    if (!legacy.success) return { success: false };
    return { success: true, data: { ...legacy.data, message: upgradeLegacyMessage(legacy.data.message) } };
  }
  const result = recordSchema.safeParse(value);
  return result.success ? { success: true, data: result.data } : { success: false };
}
