import type { AssistantMessage, ContentBlock } from '../domain/types.js';

/**
 * Checkpoint deltas (schema.ts `checkpointRecordSchema`): a streaming reply is saved about once a
 * second; writing it whole each time would grow a file quadratically with the reply's length, so
 * each checkpoint holds only the blocks that changed and, for the block still growing, only the
 * new characters.
 */

/** The string of a block that grows while it streams, or null for blocks that arrive whole. */
function growing(b: ContentBlock): string | null {
  switch (b.type) {
    case 'text':
      return b.text;
    case 'thinking':
      return b.thinking;
    case 'tool_use':
    case 'server_tool_use':
      return b.partialJson;
    default:
      return null;
  }
}

function withGrowing(b: ContentBlock, s: string): ContentBlock {
  switch (b.type) {
    case 'text':
      return { ...b, text: s };
    case 'thinking':
      return { ...b, thinking: s };
    case 'tool_use':
    case 'server_tool_use':
      return { ...b, partialJson: s };
    default:
      return b;
  }
}

function sameBlock(a: ContentBlock, b: ContentBlock): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** True when `b` is `a` with more characters appended to its growing string and nothing else changed. */
function grewFrom(a: ContentBlock, b: ContentBlock): boolean {
  if (a.type !== b.type) return false;
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
}

/**
 * The delta that turns `prev` (the last saved state of the message, or undefined) into `next`.
 * Cost: one string comparison per changed block, O(length of the reply) at worst.
 */
export function contentDelta(prev: AssistantMessage | undefined, next: AssistantMessage): ContentDelta {
  if (!prev) return { from: 0, grow: null, content: next.content };
  const a = prev.content;
  const b = next.content;
  let i = 0;
  while (i < a.length && i < b.length && sameBlock(a[i]!, b[i]!)) i++;
  const rest = b.slice(i);
  const old = a[i];
  const first = rest[0];
  if (old && first && grewFrom(old, first)) {
    const kept = growing(old)!.length;
    rest[0] = withGrowing(first, growing(first)!.slice(kept));
    return { from: i, grow: kept, content: rest };
  }
  return { from: i, grow: null, content: rest };
}

/**
 * Rebuilds a message from the previous state and a checkpoint's delta.
 * @param prev previous state of the same message id, or undefined when none was readable
 * @param message the checkpoint's message (its `content` holds the delta's blocks)
 * @returns the message, and a problem in plain words when the previous state did not have what
 *   the delta builds on (a lost line before it): the result then holds what could be rebuilt
 */
export function applyDelta(
  prev: AssistantMessage | undefined,
  message: AssistantMessage,
  from: number,
  grow: number | null,
): { message: AssistantMessage; lost: boolean } {
  const base = prev?.content ?? [];
  let lost = from > base.length;
  const blocks = message.content.slice();
  const first = blocks[0];
  if (grow !== null && first) {
    const old = base[from];
    const olds = old && old.type === first.type ? growing(old) : null;
    const news = growing(first);
    if (olds !== null && news !== null && olds.length >= grow) blocks[0] = withGrowing(first, olds.slice(0, grow) + news);
    else lost = true;
  }
  return { message: { ...message, content: [...base.slice(0, from), ...blocks] }, lost };
}
