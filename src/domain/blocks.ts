import type { AssistantMessage, BlockInfo, Citation, ContentBlock } from './types.js';
import {
  citationsOf,
  isCompactionBlock,
  isRedactedThinkingBlock,
  isServerToolResult,
  isTextBlock,
  isThinkingBlock,
  isToolUseBlock,
  type WireObject,
} from './wire.js';

/**
 * Views of an assistant message's wire blocks, and what of them goes back to the API. Pure.
 *
 * The blocks themselves are never changed here: what the transcript, the export and print mode
 * show is derived from them (and from the `BlockInfo` beside each), and the next request's
 * assistant content is the blocks as sent, minus only what the API refuses (docs/PROTOCOL.md §7).
 */

/** What the transcript shows of one content block (derived, never stored). */
export type BlockView =
  | { type: 'text'; text: string; citations: readonly Citation[] }
  | {
      type: 'thinking';
      thinking: string;
      /** ms since the epoch of the block's start and stop (null while it streams or when cut off). */
      startedAt: number;
      endedAt: number | null;
    }
  | { type: 'redacted_thinking' }
  | {
      type: 'tool_use' | 'server_tool_use';
      name: string;
      /** The parsed input once the block stopped (`{}` before). */
      input: unknown;
      /** The input's JSON fragments so far ("" when none streamed). */
      partialJson: string;
    }
  | {
      /** A server-tool result block (`web_search_tool_result`, …), in one line. */
      type: 'tool_result';
      wireType: string;
      toolUseId: string | null;
      summary: string;
    }
  | {
      /** Any other block (compaction, or a type newer than inkwell), in one line with its type. */
      type: 'unknown';
      wireType: string;
      summary: string;
    };

/** The info of block `i` of a message; a message built without a stream gets "whole, no timing". */
export function blockInfo(m: Pick<AssistantMessage, 'blocks' | 'startedAt'>, i: number): BlockInfo {
  return m.blocks?.[i] ?? { startedAt: m.startedAt, stoppedAt: m.startedAt, partialJson: '' };
}

/** One line about a server-tool result block, e.g. "5 results", "error: max_uses_exceeded". */
export function summariseToolResult(block: WireObject): string {
  const content = block.content;
  if (Array.isArray(content)) return `${content.length} result${content.length === 1 ? '' : 's'}`;
  if (typeof content === 'object' && content !== null) {
    if ('error_code' in content && typeof content.error_code === 'string') return `error: ${content.error_code}`;
    if ('return_code' in content && typeof content.return_code === 'number') return `exit code ${content.return_code}`;
  }
  return 'result received';
}

/** The view of one block (see {@link BlockView}). */
export function blockView(block: ContentBlock, info: BlockInfo): BlockView {
  if (isTextBlock(block)) return { type: 'text', text: block.text, citations: citationsOf(block) };
  if (isThinkingBlock(block)) return { type: 'thinking', thinking: block.thinking, startedAt: info.startedAt, endedAt: info.stoppedAt };
  if (isRedactedThinkingBlock(block)) return { type: 'redacted_thinking' };
  if (isToolUseBlock(block)) return { type: block.type, name: block.name, input: block.input, partialJson: info.partialJson };
  if (isServerToolResult(block)) {
    return {
      type: 'tool_result',
      wireType: block.type,
      toolUseId: typeof block.tool_use_id === 'string' ? block.tool_use_id : null,
      summary: info.legacy || summariseToolResult(block),
    };
  }
  if (isCompactionBlock(block)) {
    const n = typeof block.content === 'string' ? block.content.length : 0;
    return {
      type: 'unknown',
      wireType: block.type,
      summary: n > 0 ? `the conversation before it was summarised (${n} characters)` : 'compaction failed',
    };
  }
  return { type: 'unknown', wireType: block.type || 'unnamed', summary: 'a block inkwell cannot show' };
}

const viewCache = new WeakMap<AssistantMessage, readonly BlockView[]>();

/**
 * The views of every block of a message, in order (index i is block i). Cached per message
 * object: a message is never modified, and the transcript asks on every frame.
 */
export function blockViews(m: AssistantMessage): readonly BlockView[] {
  let views = viewCache.get(m);
  if (!views) {
    views = m.content.map((b, i) => blockView(b, blockInfo(m, i)));
    viewCache.set(m, views);
  }
  return views;
}

/** The text of a reply: its text blocks joined, nothing else. */
export function replyText(m: Pick<AssistantMessage, 'content'>): string {
  let text = '';
  for (const b of m.content) if (isTextBlock(b)) text += b.text;
  return text;
}

/** True when the message was read from a format-1 session file (display shapes, not wire blocks). */
export function isLegacyReply(m: Pick<AssistantMessage, 'blocks'>): boolean {
  return m.blocks?.some((b) => b.legacy !== undefined) ?? false;
}

/**
 * Whether block `i` goes back to the API. Only what the API refuses is left out
 * (docs/PROTOCOL.md §7 and the API's 400s):
 * - a text block with no non-whitespace text ("text content blocks must contain non-whitespace
 *   text"; fixture 07 opens with "\n\n");
 * - a thinking block without its signature (cut off before `signature_delta`: "Invalid signature");
 * - a tool_use / server_tool_use block that did not stop, or whose input did not parse (cut off:
 *   "do not send the incomplete tool_use back");
 * - a compaction block that did not stop (its content never arrived).
 * Everything else (signed thinking, redacted thinking, server-tool results, unknown types) goes
 * back exactly as the API sent it.
 */
export function isSendable(block: ContentBlock, info: BlockInfo): boolean {
  if (isTextBlock(block)) return block.text.trim() !== '';
  if (isThinkingBlock(block)) return block.signature !== '';
  if (isToolUseBlock(block) || isCompactionBlock(block)) return info.stoppedAt !== null;
  return true;
}

/**
 * The assistant content to send back for a reply: its wire blocks, unchanged and in order, minus
 * what {@link isSendable} leaves out. A reply read from a format-1 session (whose blocks are not
 * what the API sent) goes back as its text, as format 1 sent it.
 * @returns the blocks (the very objects of the message), or a string for a format-1 reply; empty
 *   ("" or []) when nothing is left to send
 */
export function sendableContent(m: AssistantMessage): ContentBlock[] | string {
  if (isLegacyReply(m)) return replyText(m).trim() === '' ? '' : replyText(m);
  const answered = answeredToolUses(m.content);
  return m.content.filter((b, i) => isSendable(b, blockInfo(m, i)) && !(b.type === 'server_tool_use' && !answered.has(String(b.id))));
}

/** The ids of the server-tool calls a reply holds the results of (`tool_use_id` of its `…_tool_result` blocks). */
function answeredToolUses(content: readonly ContentBlock[]): Set<string> {
  const ids = new Set<string>();
  for (const b of content) if (isServerToolResult(b) && typeof b.tool_use_id === 'string') ids.add(b.tool_use_id);
  return ids;
}

/**
 * The content that resumes a paused reply (`pause_turn`, docs/WEB.md): what
 * {@link sendableContent} sends, plus the server-tool calls still waiting for their result (the
 * API runs them when the turn is resumed). A server-tool call without its result goes back only
 * this way: in any other request the API refuses it.
 * @returns the blocks, the very objects of the message, in order
 */
export function resumableContent(m: AssistantMessage): ContentBlock[] {
  return m.content.filter((b, i) => isSendable(b, blockInfo(m, i)));
}
