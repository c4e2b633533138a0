import type Anthropic from '@anthropic-ai/sdk';
import { fetchModelLimits } from '../api/models.js';
import { streamTurn, type TurnOutcome } from '../api/stream.js';
import {
  conversationReducer,
  initialConversation,
  toApiMessages,
  type ConversationAction,
  type ConversationState,
} from '../domain/conversation.js';
import type { WireStreamEvent } from '../domain/types.js';

/** What an engine needs to run turns. */
export interface EngineOptions {
  client: Anthropic;
  model: string;
  /** `max_tokens` per reply, in tokens. */
  maxTokens: number;
  /** System prompt, or null. */
  system: string | null;
  /** Credentials to keep out of any text shown or saved. */
  secrets?: readonly (string | null)[];
  /** Coalescing window for stream events, in ms: at most one state update per frame (default 16). */
  frameMs?: number;
  /** Clock, ms since the epoch (tests pass a fake). */
  now?: () => number;
}

type Listener = () => void;

/**
 * The chat loop as a plain class (no React): owns the conversation state, runs one turn at a time
 * through the SDK, and coalesces stream events so the UI sees at most one update per frame.
 *
 * Data flows one way: SDK events → `streamTurn` → buffered here → one `stream_events` action per
 * frame → `conversationReducer` → subscribers (the Ink UI via useSyncExternalStore).
 */
export class ChatEngine {
  private state: ConversationState = initialConversation();
  private readonly listeners = new Set<Listener>();
  private buffer: WireStreamEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private flushScheduled = false;
  private lastFlushAt = 0;
  private controller: AbortController | null = null;
  private abortReason = 'you pressed Esc';
  private seq = 0;
  private readonly frameMs: number;
  private readonly now: () => number;
  /** Resolves when the turn in flight ends (tests and print mode await it). */
  private turn: Promise<TurnOutcome> | null = null;

  constructor(private readonly opts: EngineOptions) {
    this.frameMs = opts.frameMs ?? 16;
    this.now = opts.now ?? Date.now;
  }

  /** The current state (a new object after every change; never mutate it). */
  getState = (): ConversationState => this.state;

  /** Calls `listener` after every state change. @returns an unsubscribe function */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The model and output cap used for the next turn. */
  get settings(): { model: string; maxTokens: number; system: string | null } {
    return { model: this.opts.model, maxTokens: this.opts.maxTokens, system: this.opts.system };
  }

  /** Applies an action and notifies subscribers. */
  dispatch(action: ConversationAction): void {
    const next = conversationReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.now().toString(36)}-${this.seq}`;
  }

  /** Adds a notice line to the transcript. */
  notify(level: 'info' | 'warning' | 'error', text: string): void {
    this.dispatch({ type: 'notice', id: this.nextId('n'), level, text, at: this.now() });
  }

  /**
   * Looks up the model's context window and output limit (Models API, else the fallback table).
   * @throws never
   */
  async loadLimits(): Promise<void> {
    const limits = await fetchModelLimits(this.opts.client, this.opts.model);
    this.dispatch({ type: 'model_limits', limits });
  }

  /**
   * Sends a prompt and streams the reply.
   * @param text the prompt; blank prompts are ignored
   * @returns false when a reply is already in flight or the prompt is blank
   */
  send(text: string): boolean {
    if (this.state.phase !== 'idle' || text.trim() === '') return false;
    const assistantId = this.nextId('a');
    this.dispatch({ type: 'user_sent', userId: this.nextId('u'), assistantId, text, model: this.opts.model, at: this.now() });
    const controller = new AbortController();
    this.controller = controller;
    this.abortReason = 'you pressed Esc';
    const params = {
      model: this.opts.model,
      maxTokens: this.opts.maxTokens,
      system: this.opts.system,
      messages: toApiMessages(this.state.messages),
    };
    this.turn = streamTurn(
      this.opts.client,
      params,
      {
        onEvent: (e) => this.enqueue(e),
        onRequestId: (requestId) => this.dispatch({ type: 'request_id', id: assistantId, requestId }),
      },
      controller.signal,
      this.opts.secrets ?? [],
    ).then((outcome) => {
      this.flush();
      if (this.controller === controller) this.controller = null;
      if (outcome.ok) {
        this.dispatch({ type: 'stream_completed', id: assistantId, requestId: outcome.requestId, at: this.now() });
      } else if (outcome.failure.kind === 'aborted') {
        this.dispatch({ type: 'stream_aborted', id: assistantId, reason: this.abortReason, at: this.now() });
      } else {
        const f = outcome.failure;
        this.dispatch({ type: 'stream_failed', id: assistantId, message: f.message, reason: f.reason, requestId: f.requestId, at: this.now() });
      }
      return outcome;
    });
    return true;
  }

  /**
   * Stops the reply in flight, keeping what arrived (marked interrupted).
   * @param reason plain words recorded on the reply
   * @returns false when nothing was in flight
   */
  abort(reason = 'you pressed Esc'): boolean {
    if (!this.controller) return false;
    this.abortReason = reason;
    this.controller.abort();
    this.controller = null;
    return true;
  }

  /** Resolves with the outcome of the turn in flight (or the last one), or null if none ran. */
  async settled(): Promise<TurnOutcome | null> {
    return this.turn ? this.turn : null;
  }

  /** Buffers an event; flushes at once if the last flush was a frame ago, else at the frame's end. */
  private enqueue(e: WireStreamEvent): void {
    this.buffer.push(e);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const wait = this.frameMs - (this.now() - this.lastFlushAt);
    // Leading edge: the first token of a burst reaches the screen with no added delay; the
    // rest of the frame's events are batched behind it.
    if (wait <= 0) queueMicrotask(() => this.flush());
    else this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Applies every buffered event as one action. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushScheduled = false;
    if (this.buffer.length === 0 || !this.state.activeId) {
      this.buffer = [];
      return;
    }
    const events = this.buffer;
    this.buffer = [];
    this.lastFlushAt = this.now();
    this.dispatch({ type: 'stream_events', id: this.state.activeId, events, at: this.lastFlushAt });
  }
}
