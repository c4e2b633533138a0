import { blockInfo } from '../domain/blocks.js';
import type { AssistantMessage, BlockInfo, ContentBlock } from '../domain/types.js';
import { isTextBlock, isThinkingBlock, isToolUseBlock } from '../domain/wire.js';
import type { Redactor } from './redact.js';

/**
 * Checkpoint deltas (schema.ts `checkpointRecordSchema`): a streaming reply is saved about once a
 * second; writing it whole each time would grow a file quadratically with the reply's length, so
 * each checkpoint holds only the blocks that changed (each with its info) and, for the block still
 * growing, only the new characters.
 */

/** A content block and its info, as one unit of a delta. */
interface Entry {
  block: ContentBlock;
  info: BlockInfo;
}

function entries(m: AssistantMessage): Entry[] {
  return m.content.map((block, i) => ({ block, info: blockInfo(m, i) }));
}

/** The string of an entry that grows while it streams (text, thinking, tool input), or null. */
function growing(e: Entry): string | null {
  if (isTextBlock(e.block)) return e.block.text;
  if (isThinkingBlock(e.block)) return e.block.thinking;
  if (isToolUseBlock(e.block)) return e.info.partialJson;
  return null;
}

function withGrowing(e: Entry, s: string): Entry {
  if (isTextBlock(e.block)) return { block: { ...e.block, text: s }, info: e.info };
  if (isThinkingBlock(e.block)) return { block: { ...e.block, thinking: s }, info: e.info };
  if (isToolUseBlock(e.block)) return { block: e.block, info: { ...e.info, partialJson: s } };
  return e;
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a.block === b.block && a.info === b.info) return true;
  // A block that grew is not the same: said without serialising it (megabytes, once a second).
  const sa = growing(a);
  const sb = growing(b);
  if (sa !== null && sb !== null && sa.length !== sb.length) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when `b` is `a` with more characters appended to its growing string and nothing else changed. */
function grewFrom(a: Entry, b: Entry): boolean {
  if (a.block.type !== b.block.type) return false;
  const sa = growing(a);
  const sb = growing(b);
  if (sa === null || sb === null || sb.length < sa.length || !sb.startsWith(sa)) return false;
  return JSON.stringify(withGrowing(a, '')) === JSON.stringify(withGrowing(b, ''));
}

/** The content part of a checkpoint record. */
export interface ContentDelta {
  /** Leading blocks kept from the previous state. */
  from: number;
  /** Characters of the previous block at `from` kept before the first block's string, or null. */
  grow: number | null;
  /** Blocks from index `from` on (the first one possibly cut to its new characters). */
  content: ContentBlock[];
  /** The infos of those blocks (same index). */
  blocks: BlockInfo[];
}

function split(list: Entry[], from: number, grow: number | null): ContentDelta {
  return { from, grow, content: list.map((e) => e.block), blocks: list.map((e) => e.info) };
}

/**
 * The delta that turns `prev` (the last saved state of the message, or undefined) into `next`.
 * Cost: one string comparison per changed block, O(length of the reply) at worst.
 */
export function contentDelta(prev: AssistantMessage | undefined, next: AssistantMessage): ContentDelta {
  const b = entries(next);
  if (!prev) return split(b, 0, null);
  const a = entries(prev);
  let i = 0;
  while (i < a.length && i < b.length && sameEntry(a[i]!, b[i]!)) i++;
  const rest = b.slice(i);
  const old = a[i];
  const first = rest[0];
  if (old && first && grewFrom(old, first)) {
    const kept = growing(old)!.length;
    rest[0] = withGrowing(first, growing(first)!.slice(kept));
    return split(rest, i, kept);
  }
  return split(rest, i, null);
}

/**
 * Rebuilds a message from the previous state and a checkpoint's delta.
 * @param prev previous state of the same message id, or undefined when none was readable
 * @param message the checkpoint's message (its `content` and `blocks` hold the delta's entries)
 * @returns the message, and a problem in plain words when the previous state did not have what
 *   the delta builds on (a lost line before it): the result then holds what could be rebuilt
 */
export function applyDelta(
  prev: AssistantMessage | undefined,
  message: AssistantMessage,
  from: number,
  grow: number | null,
): { message: AssistantMessage; lost: boolean } {
  const base = prev ? entries(prev) : [];
  let lost = from > base.length;
  const list = entries(message);
  const first = list[0];
  if (grow !== null && first) {
    const old = base[from];
    const olds = old && old.block.type === first.block.type ? growing(old) : null;
    const news = growing(first);
    if (olds !== null && news !== null && olds.length >= grow) list[0] = withGrowing(first, olds.slice(0, grow) + news);
    else lost = true;
  }
  const all = [...base.slice(0, from), ...list];
  return { message: { ...message, content: all.map((e) => e.block), blocks: all.map((e) => e.info) }, lost };
}

/**
 * The message as far as it can be checkpointed now without cutting a secret in two: the growing
 * string of its last block (the one still streaming) is cut where `redactor.safePrefix` says, so
 * a secret echoed by the model across two checkpoints is whole in one record, where the record's
 * redaction finds it. The held-back tail (at most the longest secret's length) is written by the
 * next checkpoint or the final record.
 * @param prev the state last written for this message (its last block's string is never cut shorter)
 * @returns `next` itself when nothing is held back
 */
export function holdBackSecrets(next: AssistantMessage, prev: AssistantMessage | undefined, redactor: Redactor): AssistantMessage {
  if (redactor.size === 0 || next.content.length === 0) return next;
  const list = entries(next);
  const i = list.length - 1;
  const last = list[i]!;
  const s = growing(last);
  if (s === null) return next;
  const before = prev ? entries(prev)[i] : undefined;
  const was = before && before.block.type === last.block.type ? growing(before) : null;
  const written = was !== null && s.startsWith(was) ? was.length : 0;
  const cut = redactor.safePrefix(s, written);
  if (cut >= s.length) return next;
  list[i] = withGrowing(last, s.slice(0, cut));
  return { ...next, content: list.map((e) => e.block), blocks: list.map((e) => e.info) };
}
