import { blockInfo, sendableContent } from './blocks.js';
import { applySeam, findSeam, type ContinuationStrategy, type Seam } from './continuation.js';
import type {
  AssistantMessage,
  BlockInfo,
  ContentBlock,
  Message,
  ModelLimits,
  NoticeMessage,
  StreamEvent,
  Usage,
  UserMessage,
} from './types.js';
import { addUsage, applyDeltaUsage, estimateOutputTokens, usageFromWire, ZERO_USAGE } from './usage.js';
import { citationsOf, isCompactionBlock, isTextBlock, isThinkingBlock, isToolUseBlock, type BlockDelta, type TextBlock } from './wire.js';

/**
 * The conversation: every message, what is in flight, and the usage totals. Pure reducer, no I/O:
 * SDK events → (api/) → actions here → state → components.
 */
export interface ConversationState {
  messages: Message[];
  /** idle: ready for a prompt; waiting: request sent, no content yet; streaming: content arriving. */
  phase: 'idle' | 'waiting' | 'streaming';
  /** Id of the assistant message in flight, or null. */
  activeId: string | null;
  /** Sum of the usage of every finished assistant message, in tokens. */
  totals: Usage;
  /** Usage of the most recent finished reply, or null before the first. */
  lastUsage: Usage | null;
  /** Context window and output limit of the current model, once known. */
  limits: ModelLimits | null;
  /** Show thinking blocks in full instead of one line each. */
  expandThinking: boolean;
  /** A continuation in flight: the reply as it was, and the new part streaming after it. */
  continuation: ContinuationState | null;
  /** A failed request being retried: the wait the status bar counts down. */
  retryWait: RetryWaitState | null;
}

/** A retry being waited out (before the first byte of a reply). */
export interface RetryWaitState {
  /** The attempt about to be made, from 1; `of` attempts in all. */
  attempt: number;
  of: number;
  /** ms since the epoch when the next attempt starts. */
  until: number;
  /** "overloaded", "rate limited", "network error", … */
  reason: string;
}

/**
 * A reply being continued in place. The shown message is always `base` with `segment` stitched
 * on (see {@link composeContinuation}); usage is the sum of the parts.
 */
export interface ContinuationState {
  id: string;
  /**
   * How it was asked for: a continuation strategy (the new text is stitched onto the old), or
   * `pause_turn` (the API paused a server-tool turn: the paused content went back unchanged and the
   * new blocks follow it as they are, nothing stitched; docs/WEB.md).
   */
  strategy: ContinuationStrategy | 'pause_turn';
  /** The reply before this continuation. */
  base: AssistantMessage;
  /** The new part alone, accumulated like any reply. */
  segment: AssistantMessage;
  /** Where the new text joins, once decided. */
  seam: Seam | null;
}

/** Everything that can change a conversation. */
export type ConversationAction =
  | { type: 'user_sent'; userId: string; assistantId: string; text: string; model: string; at: number }
  | { type: 'stream_events'; id: string; events: readonly StreamEvent[]; at: number }
  | { type: 'stream_completed'; id: string; requestId: string | null; at: number }
  | {
      type: 'stream_failed';
      id: string;
      /** Plain words for the transcript. */
      message: string;
      /** Short reason recorded on a partial reply, e.g. "the server was overloaded". */
      reason: string;
      requestId: string | null;
      at: number;
    }
  | { type: 'stream_aborted'; id: string; reason: string; at: number }
  | { type: 'request_id'; id: string; requestId: string }
  | { type: 'notice'; id: string; level: NoticeMessage['level']; text: string; at: number }
  | { type: 'model_limits'; limits: ModelLimits }
  | { type: 'toggle_thinking' }
  | { type: 'retry_wait'; wait: RetryWaitState | null }
  | { type: 'clear' }
  | { type: 'continue_started'; id: string; strategy: ContinuationStrategy | 'pause_turn'; at: number }
  | {
      /** /retry: the last reply (and the notices after it) go; a new reply to the same prompt starts. */
      type: 'retry_started';
      assistantId: string;
      model: string;
      at: number;
    }
  | {
      /** A saved conversation, rebuilt (resume). */
      type: 'load';
      messages: Message[];
      totals: Usage;
      lastUsage: Usage | null;
    };

/** A conversation with no messages. */
export function initialConversation(): ConversationState {
  return {
    messages: [],
    phase: 'idle',
    activeId: null,
    totals: { ...ZERO_USAGE },
    lastUsage: null,
    limits: null,
    expandThinking: false,
    continuation: null,
    retryWait: null,
  };
}

/**
 * A reply that has not started: no content, no stop reason, zero usage, status `waiting`.
 * @param id the message id
 * @param model the model asked
 * @param at ms since the epoch when it was asked
 */
export function emptyReply(id: string, model: string, at: number): AssistantMessage {
  return {
    role: 'assistant',
    id,
    model,
    content: [],
    blocks: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: { ...ZERO_USAGE },
    usageFinal: false,
    status: 'waiting',
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: at,
    firstTokenAt: null,
    endedAt: null,
  };
}

function lastTextIndex(content: readonly ContentBlock[]): number {
  for (let i = content.length - 1; i >= 0; i--) if (isTextBlock(content[i]!)) return i;
  return -1;
}

/**
 * A base reply's text block with a continuation's text stitched on: the base block's own fields
 * (and their order) kept, the text replaced, and the continuation's citations appended when
 * either side has any.
 */
function stitchText(b: TextBlock, sb: TextBlock, text: string): TextBlock {
  const citations = [...citationsOf(b), ...citationsOf(sb)];
  return citations.length > 0 ? { ...b, text, citations } : { ...b, text };
}

/**
 * The message a continuation shows: the base reply with the segment's first text block stitched
 * onto the base's last text block (restated overlap removed, see domain/continuation.ts) and the
 * segment's other blocks after it (each with its info). Until the seam is decided the new text is
 * held back, so what is shown only ever grows.
 * @param final the segment has ended (decide the seam with what there is)
 * @returns the composed message and the seam (decided or not)
 */
export function composeContinuation(c: ContinuationState, final: boolean): { message: AssistantMessage; seam: Seam | null } {
  const { base, segment } = c;
  // A resumed pause_turn appends the new blocks as the API sent them: nothing is stitched.
  const li = c.strategy === 'pause_turn' ? -1 : lastTextIndex(base.content);
  const si = c.strategy === 'pause_turn' ? -1 : segment.content.findIndex(isTextBlock);
  const content = base.content.slice();
  const blocks: BlockInfo[] = base.content.map((_, i) => blockInfo(base, i));
  const b = base.content[li];
  const sb = segment.content[si];
  let seam = c.seam;
  if (b && sb && isTextBlock(b) && isTextBlock(sb)) {
    if (!seam?.decided && c.strategy !== 'pause_turn') {
      const found = findSeam(b.text, sb.text, c.strategy, final);
      seam = found.decided ? found : null;
    }
    content[li] = seam ? stitchText(b, sb, applySeam(b.text, sb.text, seam)) : b;
  }
  const stitched = b !== undefined && sb !== undefined;
  segment.content.forEach((block, i) => {
    if (stitched && i === si) return;
    content.push(block);
    blocks.push(blockInfo(segment, i));
  });
  const live = segment.status === 'waiting' || segment.status === 'streaming';
  return {
    seam,
    message: {
      ...base,
      content,
      blocks,
      model: segment.model || base.model,
      stop_reason: segment.stop_reason ?? (live ? null : base.stop_reason),
      stop_sequence: segment.stop_sequence,
      stop_details: segment.stop_details,
      usage: addUsage(base.usage, segment.usage),
      usageFinal: base.usageFinal && segment.usageFinal,
      status: segment.status,
      interruption: null,
      requestId: segment.requestId ?? base.requestId,
      firstTokenAt: base.firstTokenAt ?? segment.firstTokenAt,
      endedAt: segment.endedAt,
    },
  };
}

/** Anything worth keeping arrived: non-blank text, or any block that is not text. */
function hasContent(m: AssistantMessage): boolean {
  return m.content.some((b) => (isTextBlock(b) ? b.text.length > 0 : true));
}

function notice(id: string, level: NoticeMessage['level'], text: string, at: number): NoticeMessage {
  return { role: 'notice', id, level, text, createdAt: at };
}

/** Replaces the message with the given id; returns the same array if absent. */
function replaceMessage(messages: Message[], id: string, f: (m: AssistantMessage) => Message | null): Message[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.id === id && m.role === 'assistant') {
      const next = f(m);
      const out = messages.slice();
      if (next) out[i] = next;
      else out.splice(i, 1);
      return out;
    }
  }
  return messages;
}

function findAssistant(state: ConversationState, id: string): AssistantMessage | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.id === id) return m.role === 'assistant' ? m : null;
  }
  return null;
}

/**
 * The messages with the prompt that reply `replyId` answers (the nearest user message before it)
 * marked unsent; the same array when there is none.
 */
function markUnsent(messages: Message[], replyId: string): Message[] {
  const at = messages.findIndex((m) => m.id === replyId && m.role === 'assistant');
  for (let i = at - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') return messages;
    if (m.role === 'user') {
      const out = messages.slice();
      out[i] = { ...m, unsent: true };
      return out;
    }
  }
  return messages;
}

/**
 * The prompt that reply `replyId` answers, when the reducer marked it unsent (a failed or stopped
 * request that brought nothing back), else null.
 */
export function unsentPromptOf(state: ConversationState, replyId: string): UserMessage | null {
  const ms = state.messages;
  let i = ms.length - 1;
  // The reply was dropped: its prompt is the last user message (notices may follow it).
  while (i >= 0 && ms[i]!.role !== 'user') {
    if (ms[i]!.id === replyId) return null;
    i--;
  }
  const m = ms[i];
  return m?.role === 'user' && m.unsent === true ? m : null;
}

/** Ends the active reply: counts its usage, returns to idle. */
function settle(state: ConversationState, id: string, messages: Message[], usage: Usage | null): ConversationState {
  return {
    ...state,
    messages,
    retryWait: null,
    phase: state.activeId === id ? 'idle' : state.phase,
    activeId: state.activeId === id ? null : state.activeId,
    totals: usage ? addUsage(state.totals, usage) : state.totals,
    lastUsage: usage ?? state.lastUsage,
  };
}

/**
 * The conversation reducer.
 * @param state current state; never modified
 * @param action what happened
 * @returns the next state (the same object when the action changes nothing)
 */
export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'user_sent': {
      const assistant = emptyReply(action.assistantId, action.model, action.at);
      return {
        ...state,
        messages: [...state.messages, { role: 'user', id: action.userId, text: action.text, createdAt: action.at }, assistant],
        phase: 'waiting',
        activeId: action.assistantId,
      };
    }
    case 'stream_events': {
      const current = findAssistant(state, action.id);
      if (!current || action.events.length === 0) return state;
      const c = state.continuation;
      if (c && c.id === action.id) {
        const segment = applyStreamEvents(c.segment, action.events, action.at);
        const { message, seam } = composeContinuation({ ...c, segment }, false);
        const phase = state.activeId === action.id && segment.status !== 'waiting' ? 'streaming' : state.phase;
        return {
          ...state,
          phase,
          continuation: { ...c, segment, seam },
          messages: replaceMessage(state.messages, action.id, () => message),
        };
      }
      const next = applyStreamEvents(current, action.events, action.at);
      const phase = state.activeId === action.id && next.status !== 'waiting' ? 'streaming' : state.phase;
      return { ...state, phase, messages: replaceMessage(state.messages, action.id, () => next) };
    }
    case 'continue_started': {
      const base = findAssistant(state, action.id);
      if (!base || state.phase !== 'idle') return state;
      const c: ContinuationState = {
        id: action.id,
        strategy: action.strategy,
        base,
        segment: { ...emptyReply(action.id, base.model, action.at), requestId: null },
        seam: null,
      };
      const shown: AssistantMessage = { ...base, status: 'waiting', interruption: null, stop_reason: null };
      return {
        ...state,
        phase: 'waiting',
        activeId: action.id,
        continuation: c,
        messages: replaceMessage(state.messages, action.id, () => shown),
      };
    }
    case 'retry_started': {
      if (state.phase !== 'idle') return state;
      let lastUser = -1;
      for (let i = state.messages.length - 1; i >= 0; i--) {
        if (state.messages[i]!.role === 'user') {
          lastUser = i;
          break;
        }
      }
      if (lastUser < 0) return state;
      const asked = state.messages[lastUser] as UserMessage;
      // A prompt that was not sent is sent now.
      const { unsent: _unsent, ...prompt } = asked;
      return {
        ...state,
        phase: 'waiting',
        activeId: action.assistantId,
        messages: [
          ...state.messages.slice(0, lastUser),
          asked.unsent ? prompt : asked,
          emptyReply(action.assistantId, action.model, action.at),
        ],
      };
    }
    case 'request_id': {
      if (!findAssistant(state, action.id)) return state;
      return { ...state, messages: replaceMessage(state.messages, action.id, (m) => ({ ...m, requestId: action.requestId })) };
    }
    case 'stream_completed': {
      const current = findAssistant(state, action.id);
      if (!current) return state;
      const c = state.continuation;
      if (c && c.id === action.id) {
        const segment: AssistantMessage = {
          ...c.segment,
          status: 'complete',
          requestId: action.requestId ?? c.segment.requestId,
          endedAt: c.segment.endedAt ?? action.at,
        };
        const { message } = composeContinuation({ ...c, segment }, true);
        const settled = settle(
          state,
          action.id,
          replaceMessage(state.messages, action.id, () => message),
          segment.usage,
        );
        return { ...settled, continuation: null };
      }
      const done: AssistantMessage = {
        ...current,
        status: 'complete',
        requestId: action.requestId ?? current.requestId,
        endedAt: current.endedAt ?? action.at,
      };
      return settle(
        state,
        action.id,
        replaceMessage(state.messages, action.id, () => done),
        done.usage,
      );
    }
    case 'stream_failed':
    case 'stream_aborted': {
      const current = findAssistant(state, action.id);
      if (!current) return state;
      const c = state.continuation;
      if (c && c.id === action.id) {
        const requestId = action.type === 'stream_failed' ? (action.requestId ?? c.segment.requestId) : c.segment.requestId;
        const segment: AssistantMessage = { ...c.segment, status: 'interrupted', requestId, endedAt: action.at };
        const grew = hasContent(c.segment);
        // A continuation that produced nothing leaves the reply exactly as it was.
        const message: AssistantMessage = grew
          ? { ...composeContinuation({ ...c, segment }, true).message, status: 'interrupted', interruption: { reason: action.reason } }
          : c.base;
        let messages = replaceMessage(state.messages, action.id, () => message);
        if (action.type === 'stream_failed')
          messages = [...messages, notice(`${action.id}-error-${action.at}`, 'error', action.message, action.at)];
        const settled = settle(state, action.id, messages, c.segment.usageFinal ? c.segment.usage : null);
        return { ...settled, continuation: null };
      }
      const requestId = action.type === 'stream_failed' ? (action.requestId ?? current.requestId) : current.requestId;
      const kept = hasContent(current);
      // Nothing came back: the prompt it answered was not sent after all (it must not be glued to
      // the next one); it stays in the transcript, marked.
      const prompt = kept ? state.messages : markUnsent(state.messages, action.id);
      let messages = replaceMessage(prompt, action.id, (m) =>
        kept ? { ...m, status: 'interrupted', interruption: { reason: action.reason }, requestId, endedAt: action.at } : null,
      );
      if (action.type === 'stream_failed') {
        messages = [...messages, notice(`${action.id}-error`, 'error', action.message, action.at)];
      } else if (!kept) {
        messages = [...messages, notice(`${action.id}-stopped`, 'info', 'Stopped before the reply began.', action.at)];
      }
      // Usage is only billed-and-known when the server said so; an estimate is not counted.
      return settle(state, action.id, messages, current.usageFinal ? current.usage : null);
    }
    case 'notice':
      return { ...state, messages: [...state.messages, notice(action.id, action.level, action.text, action.at)] };
    case 'model_limits':
      return { ...state, limits: action.limits };
    case 'toggle_thinking':
      return { ...state, expandThinking: !state.expandThinking };
    case 'retry_wait':
      return { ...state, retryWait: action.wait };
    case 'clear':
      return { ...initialConversation(), limits: state.limits, expandThinking: state.expandThinking };
    case 'load':
      return {
        ...initialConversation(),
        limits: state.limits,
        expandThinking: state.expandThinking,
        messages: action.messages,
        totals: action.totals,
        lastUsage: action.lastUsage,
      };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * A message in the shape the Messages API takes (`MessageParam`): a user prompt as a string; a
 * reply as its wire content blocks (domain/blocks.ts `sendableContent`), or as a string for a
 * continuation's partial text and for replies read from a format-1 session.
 */
export interface ApiMessage {
  role: 'user' | 'assistant';
  content: string | ContentBlock[];
}

function isEmpty(content: string | readonly ContentBlock[]): boolean {
  return typeof content === 'string' ? content.trim() === '' : content.length === 0;
}

/** Two turns of the same role as one: strings joined by a blank line, blocks one after the other. */
function joinContent(a: string | ContentBlock[], b: string | ContentBlock[]): string | ContentBlock[] {
  if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
  const blocks = (c: string | ContentBlock[]): ContentBlock[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);
  return [...blocks(a), ...blocks(b)];
}

/**
 * The history to send for the next turn: user prompts, and every earlier reply (complete or
 * interrupted) as the content blocks the API sent, unchanged, minus only what the API refuses
 * back (domain/blocks.ts `isSendable`: blank text, unsigned thinking, cut-off tool input).
 * Notices, prompts marked unsent and replies with nothing to send are left out; consecutive turns of the same role are
 * joined so roles alternate, as the API expects.
 * @returns messages oldest first; the last one is the newest user prompt when one was just sent
 */
export function toApiMessages(messages: readonly Message[]): ApiMessage[] {
  const out: ApiMessage[] = [];
  for (const m of messages) {
    let next: ApiMessage;
    if (m.role === 'user') {
      if (m.unsent) continue;
      next = { role: 'user', content: m.text };
    } else if (m.role === 'assistant') next = { role: 'assistant', content: sendableContent(m) };
    else continue;
    if (isEmpty(next.content)) continue;
    const last = out[out.length - 1];
    if (last && last.role === next.role) last.content = joinContent(last.content, next.content);
    else out.push(next);
  }
  // An assistant turn may not open the conversation.
  while (out[0]?.role === 'assistant') out.shift();
  return out;
}

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
export const MAX_BLOCKS = 10_000;

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
 * @param events typed stream events in arrival order (api/stream.ts); `unknown` ones are skipped
 * @param now ms since the epoch, used for block timing and first-token time
 * @returns the updated message (a new object, with new content and blocks arrays)
 */
export function applyStreamEvents(message: AssistantMessage, events: readonly StreamEvent[], now: number): AssistantMessage {
  const blocks = message.blocks?.slice() ?? [];
  // A message built without a stream has no infos: its blocks count as whole.
  for (let i = blocks.length; i < message.content.length; i++)
    blocks.push({ startedAt: message.startedAt, stoppedAt: message.startedAt, partialJson: '' });
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
