import type { AssistantMessage, BlockInfo, ContentBlock, StreamEvent } from './types.js';
import { applyDeltaUsage, estimateOutputTokens, usageFromWire } from './usage.js';
import { citationsOf, isCompactionBlock, isTextBlock, isThinkingBlock, isToolUseBlock, type BlockDelta } from './wire.js';

/**
 * Folds Messages API stream events into an assistant message, as SDK 1.12 `MessageStream`
 * accumulates its snapshot (docs/PROTOCOL.md §2–§4, §6): each block starts as a copy of its
 * `content_block_start` block, with every field the API sent; text and thinking are appended per
 * block index; a thinking signature is replaced (not appended); citations are appended; tool input
 * is parsed only from the concatenated `partial_json` at `content_block_stop` (empty keeps the
 * start's `{}`), the fragments kept beside the block meanwhile (`BlockInfo.partialJson`); a
 * compaction delta sets the block's `content`; server-tool results and redacted thinking arrive
 * whole at block start; usage in message_delta overwrites. Unknown events, blocks and deltas
 * change nothing but are never dropped: an unknown block is kept whole.
 */

/** Blocks beyond this index are refused (a hostile stream must not allocate a huge array). */
const MAX_BLOCKS = 10_000;

function freshInfo(now: number): BlockInfo {
  return { startedAt: now, stoppedAt: null, partialJson: '' };
}

/** The block after one delta (a new object when it changed, the same one otherwise). */
function applyDelta(block: ContentBlock, delta: BlockDelta): ContentBlock {
  switch (delta.type) {
    case 'text_delta':
      return isTextBlock(block) ? { ...block, text: block.text + delta.text } : block;
    case 'citations_delta':
      return isTextBlock(block) ? { ...block, citations: [...citationsOf(block), delta.citation] } : block;
    case 'thinking_delta':
      return isThinkingBlock(block) ? { ...block, thinking: block.thinking + delta.thinking } : block;
    case 'signature_delta':
      return isThinkingBlock(block) ? { ...block, signature: delta.signature } : block;
    case 'compaction_delta': {
      if (!isCompactionBlock(block)) return block;
      const next: ContentBlock = { ...block, content: delta.content };
      if ('encrypted_content' in delta) next.encrypted_content = delta.encrypted_content;
      return next;
    }
    case 'input_json_delta': // kept beside the block until it stops
    case 'unknown':
      return block;
  }
}

/**
 * A tool block at `content_block_stop`: its input parsed from the fragments. Fragments that do
 * not parse (cut mid-JSON) leave the block as it started and the block counts as cut off.
 */
function finishToolInput(block: ContentBlock, info: BlockInfo): { block: ContentBlock; whole: boolean } {
  if (!isToolUseBlock(block) || info.partialJson === '') return { block, whole: true };
  try {
    return { block: { ...block, input: JSON.parse(info.partialJson) as unknown }, whole: true };
  } catch {
    return { block, whole: false };
  }
}

/** Characters streamed so far in a message's blocks: the basis of the live output estimate. */
export function streamedChars(m: Pick<AssistantMessage, 'content' | 'blocks'>): number {
  let n = 0;
  m.content.forEach((b, i) => {
    if (isTextBlock(b)) n += b.text.length;
    else if (isThinkingBlock(b)) n += b.thinking.length;
    else n += m.blocks?.[i]?.partialJson.length ?? 0;
  });
  return n;
}

/**
 * Applies a batch of stream events to an assistant message (a frame's worth, coalesced).
 * @param message the message so far; not modified (nor are the events or their blocks)
 * @param events typed stream events in arrival order (api/events.ts); `unknown` ones are skipped
 * @param now ms since the epoch, used for block timing and first-token time
 * @returns the updated message (a new object, with new content and blocks arrays)
 */
export function applyStreamEvents(message: AssistantMessage, events: readonly StreamEvent[], now: number): AssistantMessage {
  const blocks = message.blocks?.slice() ?? [];
  // A message built without a stream has no infos: its blocks count as whole.
  for (let i = blocks.length; i < message.content.length; i++) blocks.push({ startedAt: message.startedAt, stoppedAt: message.startedAt, partialJson: '' });
  const m: AssistantMessage = { ...message, content: message.content.slice(), blocks };
  for (const ev of events) {
    switch (ev.type) {
      case 'message_start':
        m.apiId = ev.message.id ?? m.apiId;
        if (ev.message.model) m.model = ev.message.model;
        m.usage = usageFromWire(ev.message.usage);
        if (m.status === 'waiting') m.status = 'streaming';
        break;
      case 'content_block_start': {
        // Blocks come in order (index = position, docs/PROTOCOL.md §2): a start that would leave a
        // gap is refused rather than invent the blocks in between.
        if (ev.index > m.content.length || ev.index >= MAX_BLOCKS) break;
        m.content[ev.index] = { ...ev.content_block };
        blocks[ev.index] = freshInfo(now);
        m.status = 'streaming';
        break;
      }
      case 'content_block_delta': {
        const block = m.content[ev.index];
        const info = blocks[ev.index] ?? freshInfo(now);
        if (!block) break;
        if (ev.delta.type === 'input_json_delta') {
          if (isToolUseBlock(block)) blocks[ev.index] = { ...info, partialJson: info.partialJson + ev.delta.partial_json };
        } else {
          m.content[ev.index] = applyDelta(block, ev.delta);
        }
        m.firstTokenAt ??= now;
        break;
      }
      case 'content_block_stop': {
        const block = m.content[ev.index];
        if (!block) break;
        const info = blocks[ev.index] ?? freshInfo(now);
        const finished = finishToolInput(block, info);
        m.content[ev.index] = finished.block;
        blocks[ev.index] = { ...info, stoppedAt: finished.whole ? now : null };
        break;
      }
      case 'message_delta': {
        if (ev.delta.stop_reason !== null) m.stop_reason = ev.delta.stop_reason;
        if (ev.delta.stop_sequence !== null) m.stop_sequence = ev.delta.stop_sequence;
        if (ev.delta.stop_details !== undefined) m.stop_details = ev.delta.stop_details;
        if (ev.usage) {
          m.usage = applyDeltaUsage(m.usage, ev.usage);
          m.usageFinal = true;
        }
        break;
      }
      case 'message_stop':
        m.status = 'complete';
        m.endedAt = now;
        break;
      case 'ping':
      case 'error': // handled by the transport (api/stream.ts)
      case 'unknown':
        break;
    }
  }
  return m;
}

/**
 * Output tokens to show for a message: the real count once message_delta brought it, otherwise a
 * live estimate from the characters streamed so far (never below message_start's count).
 * @returns tokens
 */
export function liveOutputTokens(m: AssistantMessage): number {
  return m.usageFinal ? m.usage.output_tokens : estimateOutputTokens(streamedChars(m), m.usage.output_tokens);
}
