import { applyStreamEvents } from './accumulate.js';
import type { AssistantMessage, Message, ModelLimits, NoticeMessage, Usage, WireStreamEvent } from './types.js';
import { addUsage, ZERO_USAGE } from './usage.js';

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
}

/** Everything that can change a conversation. */
export type ConversationAction =
  | { type: 'user_sent'; userId: string; assistantId: string; text: string; model: string; at: number }
  | { type: 'stream_events'; id: string; events: readonly WireStreamEvent[]; at: number }
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
  | { type: 'clear' };

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
  };
}

function hasContent(m: AssistantMessage): boolean {
  return m.content.some((b) => (b.type === 'text' ? b.text.length > 0 : b.type !== 'unknown'));
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

/** Ends the active reply: counts its usage, returns to idle. */
function settle(state: ConversationState, id: string, messages: Message[], usage: Usage | null): ConversationState {
  return {
    ...state,
    messages,
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
      const assistant: AssistantMessage = {
        role: 'assistant',
        id: action.assistantId,
        model: action.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: { ...ZERO_USAGE },
        usageFinal: false,
        status: 'waiting',
        interruption: null,
        requestId: null,
        apiId: null,
        startedAt: action.at,
        firstTokenAt: null,
        endedAt: null,
      };
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
      const next = applyStreamEvents(current, action.events, action.at);
      const phase = state.activeId === action.id && next.status !== 'waiting' ? 'streaming' : state.phase;
      return { ...state, phase, messages: replaceMessage(state.messages, action.id, () => next) };
    }
    case 'request_id': {
      if (!findAssistant(state, action.id)) return state;
      return { ...state, messages: replaceMessage(state.messages, action.id, (m) => ({ ...m, requestId: action.requestId })) };
    }
    case 'stream_completed': {
      const current = findAssistant(state, action.id);
      if (!current) return state;
      const done: AssistantMessage = {
        ...current,
        status: 'complete',
        requestId: action.requestId ?? current.requestId,
        endedAt: current.endedAt ?? action.at,
      };
      return settle(state, action.id, replaceMessage(state.messages, action.id, () => done), done.usage);
    }
    case 'stream_failed':
    case 'stream_aborted': {
      const current = findAssistant(state, action.id);
      if (!current) return state;
      const requestId = action.type === 'stream_failed' ? (action.requestId ?? current.requestId) : current.requestId;
      const kept = hasContent(current);
      let messages = replaceMessage(state.messages, action.id, (m) =>
        kept
          ? { ...m, status: 'interrupted', interruption: { reason: action.reason }, requestId, endedAt: action.at }
          : null,
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
    case 'clear':
      return { ...initialConversation(), limits: state.limits, expandThinking: state.expandThinking };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** A message in the shape the Messages API takes (`MessageParam` with text content). */
export interface ApiMessage {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * The history to send for the next turn: user prompts and the text of earlier replies (complete or
 * interrupted). Notices, empty replies and non-text blocks are left out; consecutive turns of the
 * same role are joined so roles alternate, as the API expects.
 * @returns messages oldest first; the last one is the newest user prompt when one was just sent
 */
export function toApiMessages(messages: readonly Message[]): ApiMessage[] {
  const out: ApiMessage[] = [];
  for (const m of messages) {
    let role: ApiMessage['role'];
    let text: string;
    if (m.role === 'user') {
      role = 'user';
      text = m.text;
    } else if (m.role === 'assistant') {
      role = 'assistant';
      text = m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    } else continue;
    if (text.trim() === '') continue;
    const last = out[out.length - 1];
    if (last && last.role === role) last.content += `\n\n${text}`;
    else out.push({ role, content: text });
  }
  // An assistant turn may not open the conversation.
  while (out[0]?.role === 'assistant') out.shift();
  return out;
}
