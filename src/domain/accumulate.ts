import type { AssistantMessage, Citation, ContentBlock, RefusalDetails, WireStreamEvent } from './types.js';
import { applyDeltaUsage, estimateOutputTokens, usageFromWire } from './usage.js';

/**
 * Folds Messages API stream events into an assistant message.
 *
 * Follows the event order of platform.claude.com/docs/en/build-with-claude/streaming and the
 * facts in docs/PROTOCOL.md §2–§4: text is appended per block index, a thinking signature is replaced
 * (not appended), tool input is parsed only from the concatenated `partial_json` at
 * `content_block_stop` (empty means `{}`), server-tool results arrive whole at block start, usage
 * in message_delta overwrites. Unknown event, block and delta types are ignored.
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** One line describing a server-tool result block, e.g. "web_search_tool_result: 5 results". */
function summariseToolResult(block: Obj): string {
  const content = block.content;
  if (Array.isArray(content)) return `${content.length} result${content.length === 1 ? '' : 's'}`;
  if (isObj(content)) {
    if (typeof content.error_code === 'string') return `error: ${content.error_code}`;
    if (typeof content.return_code === 'number') return `exit code ${content.return_code}`;
  }
  return 'result received';
}

function blockFromStart(cb: Obj, now: number): ContentBlock {
  const type = str(cb.type);
  switch (type) {
    case 'text':
      return { type: 'text', text: str(cb.text), citations: [] };
    case 'thinking':
      return { type: 'thinking', thinking: str(cb.thinking), signature: str(cb.signature), startedAt: now, endedAt: null };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: str(cb.data) };
    case 'tool_use':
    case 'server_tool_use':
      return { type, id: str(cb.id), name: str(cb.name), input: isObj(cb.input) ? cb.input : {}, partialJson: '' };
    default:
      if (type.endsWith('_tool_result')) {
        return {
          type: 'tool_result',
          wireType: type,
          toolUseId: typeof cb.tool_use_id === 'string' ? cb.tool_use_id : null,
          summary: summariseToolResult(cb),
        };
      }
      return { type: 'unknown', wireType: type || 'unnamed' };
  }
}

function applyDelta(block: ContentBlock, delta: Obj): ContentBlock {
  switch (delta.type) {
    case 'text_delta':
      return block.type === 'text' ? { ...block, text: block.text + str(delta.text) } : block;
    case 'thinking_delta':
      return block.type === 'thinking' ? { ...block, thinking: block.thinking + str(delta.thinking) } : block;
    case 'signature_delta':
      return block.type === 'thinking' ? { ...block, signature: str(delta.signature) } : block;
    case 'input_json_delta':
      return block.type === 'tool_use' || block.type === 'server_tool_use'
        ? { ...block, partialJson: block.partialJson + str(delta.partial_json) }
        : block;
    case 'citations_delta': {
      if (block.type !== 'text' || !isObj(delta.citation)) return block;
      const c = delta.citation;
      const citation: Citation = {
        type: str(c.type),
        cited_text: typeof c.cited_text === 'string' ? c.cited_text : undefined,
        title: typeof c.title === 'string' ? c.title : null,
        url: typeof c.url === 'string' ? c.url : null,
      };
      return { ...block, citations: [...block.citations, citation] };
    }
    default:
      return block;
  }
}

function finishBlock(block: ContentBlock, now: number): ContentBlock {
  if (block.type === 'thinking') return { ...block, endedAt: now };
  if ((block.type === 'tool_use' || block.type === 'server_tool_use') && block.partialJson !== '') {
    try {
      return { ...block, input: JSON.parse(block.partialJson) as unknown };
    } catch {
      return block; // cut mid-JSON: keep the partial text; the input stays as it was
    }
  }
  return block;
}

function refusalDetails(v: unknown): RefusalDetails | null {
  if (!isObj(v)) return null;
  return {
    type: str(v.type),
    category: typeof v.category === 'string' ? v.category : null,
    explanation: typeof v.explanation === 'string' ? v.explanation : null,
  };
}

/** Characters streamed so far in a message's blocks: the basis of the live output estimate. */
export function streamedChars(content: readonly ContentBlock[]): number {
  let n = 0;
  for (const b of content) {
    if (b.type === 'text') n += b.text.length;
    else if (b.type === 'thinking') n += b.thinking.length;
    else if (b.type === 'tool_use' || b.type === 'server_tool_use') n += b.partialJson.length;
  }
  return n;
}

/**
 * Applies a batch of stream events to an assistant message (a frame's worth, coalesced).
 * @param message the message so far; not modified
 * @param events parsed SSE events in arrival order; unknown types are skipped
 * @param now ms since the epoch, used for thinking durations and first-token time
 * @returns the updated message (a new object whenever anything changed)
 */
export function applyStreamEvents(
  message: AssistantMessage,
  events: readonly WireStreamEvent[],
  now: number,
): AssistantMessage {
  const m: AssistantMessage = { ...message, content: message.content.slice() };
  for (const ev of events) {
    switch (ev.type) {
      case 'message_start': {
        const msg = isObj(ev.message) ? ev.message : {};
        m.apiId = typeof msg.id === 'string' ? msg.id : m.apiId;
        if (typeof msg.model === 'string' && msg.model) m.model = msg.model;
        m.usage = usageFromWire(msg.usage);
        if (m.status === 'waiting') m.status = 'streaming';
        break;
      }
      case 'content_block_start': {
        const index = typeof ev.index === 'number' ? ev.index : m.content.length;
        if (!isObj(ev.content_block) || index < 0 || index > 10_000) break;
        m.content[index] = blockFromStart(ev.content_block, now);
        for (let i = 0; i < index; i++) m.content[i] ??= { type: 'unknown', wireType: 'missing' };
        m.status = 'streaming';
        break;
      }
      case 'content_block_delta': {
        const index = typeof ev.index === 'number' ? ev.index : -1;
        const block = m.content[index];
        if (!block || !isObj(ev.delta)) break;
        m.content[index] = applyDelta(block, ev.delta);
        m.firstTokenAt ??= now;
        break;
      }
      case 'content_block_stop': {
        const index = typeof ev.index === 'number' ? ev.index : -1;
        const block = m.content[index];
        if (block) m.content[index] = finishBlock(block, now);
        break;
      }
      case 'message_delta': {
        const delta = isObj(ev.delta) ? ev.delta : {};
        if (typeof delta.stop_reason === 'string') m.stop_reason = delta.stop_reason;
        if (typeof delta.stop_sequence === 'string') m.stop_sequence = delta.stop_sequence;
        if ('stop_details' in delta) m.stop_details = refusalDetails(delta.stop_details);
        if (isObj(ev.usage)) {
          m.usage = applyDeltaUsage(m.usage, ev.usage);
          m.usageFinal = true;
        }
        break;
      }
      case 'message_stop':
        m.status = 'complete';
        m.endedAt = now;
        break;
      default:
        break; // ping, error (handled by the transport), and anything newer
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
  return m.usageFinal ? m.usage.output_tokens : estimateOutputTokens(streamedChars(m.content), m.usage.output_tokens);
}
