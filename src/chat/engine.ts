import type { PromptCache } from '../api/cache.js';
import type { MessagesApi } from '../api/port.js';
import type { TurnOutcome } from '../api/stream.js';
import { DEFAULT_THINKING_BUDGET, type ThinkingSetting } from '../api/thinking.js';
import { chooseStrategy, continuationTurns, isPrefillRejection, type ContinuationStrategy } from '../domain/continuation.js';
import {
  conversationReducer,
  initialConversation,
  toApiMessages,
  unsentPromptOf,
  type ApiMessage,
  type ConversationAction,
  type ConversationState,
} from '../domain/conversation.js';
import { replyText } from '../domain/blocks.js';
import type { AssistantMessage, Message, NoticeMessage, StreamEvent, Usage, UserMessage } from '../domain/types.js';
import { NO_SECRETS, type Redactor } from '../domain/redact.js';
import type { DebugLog } from './debug-log.js';
import type { TranscriptSink } from './recorder.js';
import { WEB_OFF, type WebToolsSetting } from '../api/server-tools.js';
import { DEFAULT_PAUSE_CONTINUES, pauseDecision, pauseLimitNotice, resumeMessages } from './pause.js';

/** What an engine needs to run turns. */
export interface EngineOptions {
  /** The Messages API (`messagesApi(createClient(…))`, or a fake in tests). */
  api: MessagesApi;
  model: string;
  /** `max_tokens` per reply, in tokens. */
  maxTokens: number;
  /** System prompt, or null. */
  system: string | null;
  /** Keeps credentials out of any failure text shown (built once at start-up; default: key-shaped text only). */
  redactor?: Redactor;
  /** Coalescing window for stream events, in ms: at most one state update per frame (default 16). */
  frameMs?: number;
  /** Clock, ms since the epoch (tests pass a fake). */
  now?: () => number;
  /** Where the conversation is saved as it happens (sessions), if anywhere. */
  sink?: TranscriptSink | null;
  /** Extended thinking (default off). */
  thinking?: ThinkingSetting;
  /**
   * Sees every stream event the moment it is parsed, before coalescing (print mode writes each
   * text delta to stdout from here).
   */
  tap?: (event: StreamEvent) => void;
  /** Retries of a failed request before its first byte (default 4; api/retry.ts). */
  maxRetries?: number;
  /** A stream silent for this long is closed as dead, in ms (default 90 000). */
  idleTimeoutMs?: number;
  /** Continue a reply cut at max_tokens automatically up to this many times (default 0: off). */
  autoContinue?: number;
  /** Models known to reject assistant prefill (remembered in settings). */
  rejectsPrefill?: readonly string[];
  /** Called when a model rejects prefill for the first time, to remember it. */
  onPrefillRejected?: (model: string) => void;
  /** The debug log (`--debug`), if on. */
  log?: DebugLog;
  /** Prompt caching for new turns (api/cache.ts; the `promptCache` setting, default `5m`). */
  promptCache?: PromptCache;
  /** The API at this base URL is known to refuse `cache_control` (remembered in settings): send none. */
  cacheRejected?: boolean;
  /** Called the first time the API refuses `cache_control`, to remember it for the base URL. */
  onCacheRejected?: () => void;
  /** Called when `configure` changes `promptCache` (/cache), to save it as the default. */
  onPromptCacheChanged?: (value: PromptCache) => void;
  /** Web search and web fetch for new turns (api/server-tools.ts; `--web`, the `webSearch` settings). */
  web?: WebToolsSetting;
  /** The API at this base URL is known to refuse the web tools (remembered in settings): offer none. */
  webRejected?: boolean;
  /** Called the first time the API refuses the web tools, to remember it for the base URL. */
  onWebRejected?: () => void;
  /** Paused turns (`pause_turn`) resumed automatically in a row (default 5; chat/pause.ts). */
  pauseContinues?: number;
}

type Listener = () => void;

/** What each turn asks for; changed by /model, /max-tokens, /system and /thinking. */
export interface TurnSettings {
  model: string;
  /** `max_tokens`, in tokens. */
  maxTokens: number;
  system: string | null;
  thinking: ThinkingSetting;
  /** Prompt caching: the cache's TTL (`5m`, `1h`) or `off` (api/cache.ts). */
  promptCache: PromptCache;
  /** Web search and web fetch (/web). */
  web: WebToolsSetting;
}

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
  private buffer: StreamEvent[] = [];
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
  /** Models that answered the prefill 400: they get the user-turn strategy from now on. */
  private readonly rejectsPrefill: Set<string>;
  /** Continuations started automatically since the user's last prompt. */
  private autoContinued = 0;
  /** Paused turns resumed automatically since the user's last prompt. */
  private pauseResumed = 0;
  /** The API refused the web tools (now or in an earlier run): no request offers them. */
  private webRejected: boolean;

  private sink: TranscriptSink | null;

  /** Told when a prompt comes back unsent (its request failed or was stopped before any reply). */
  private readonly unsentListeners = new Set<(m: UserMessage) => void>();

  private turnSettings: TurnSettings;

  /** The API refused `cache_control` (now or in an earlier run): no request carries it. */
  private cacheRejected: boolean;

  constructor(private readonly opts: EngineOptions) {
    this.turnSettings = {
      model: opts.model,
      maxTokens: opts.maxTokens,
      system: opts.system,
      thinking: opts.thinking ?? { mode: 'off', budgetTokens: DEFAULT_THINKING_BUDGET, effort: null },
      promptCache: opts.promptCache ?? '5m',
      web: opts.web ?? WEB_OFF,
    };
    this.webRejected = opts.webRejected ?? false;
    this.cacheRejected = opts.cacheRejected ?? false;
    this.frameMs = opts.frameMs ?? 16;
    this.now = opts.now ?? Date.now;
    this.sink = opts.sink ?? null;
    this.rejectsPrefill = new Set(opts.rejectsPrefill ?? []);
  }

  /** Saves from now on through `sink`, without touching the conversation. */
  setSink(sink: TranscriptSink | null): void {
    this.sink = sink;
  }

  /**
   * Ends the conversation in flight (a streaming reply is stopped and saved as interrupted to the
   * old session first) and starts another: empty, or a saved one being resumed.
   * @param sink where the new conversation is saved, or null for nowhere
   * @param saved a loaded session's messages (oldest first) and usage totals in tokens
   */
  async replaceConversation(
    sink: TranscriptSink | null,
    saved?: { messages: Message[]; totals: Usage; lastUsage: Usage | null },
  ): Promise<void> {
    if (this.abort(saved ? 'another session was opened' : 'a new conversation was started')) await this.turn;
    this.sink = sink;
    if (saved) this.dispatch({ type: 'load', messages: saved.messages, totals: saved.totals, lastUsage: saved.lastUsage });
    else this.dispatch({ type: 'clear' });
  }

  private find(id: string): Message | null {
    const ms = this.state.messages;
    for (let i = ms.length - 1; i >= 0; i--) if (ms[i]!.id === id) return ms[i]!;
    return null;
  }

  /** The current state (a new object after every change; never mutate it). */
  getState = (): ConversationState => this.state;

  /** Calls `listener` after every state change. @returns an unsubscribe function */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Calls `listener` with a prompt whose request failed or was stopped before any reply: the
   * prompt is now marked unsent (shown as not sent, never sent again), and the UI puts its text
   * back in the editor. @returns unsubscribe
   */
  onUnsent = (listener: (m: UserMessage) => void): (() => void) => {
    this.unsentListeners.add(listener);
    return () => this.unsentListeners.delete(listener);
  };

  /** The model, output cap, system prompt and thinking used for the next turn. */
  get settings(): TurnSettings {
    return this.turnSettings;
  }

  /**
   * Changes what the next turn asks for (/model, /max-tokens, /system, /thinking). A new model's
   * limits are looked up again. Subscribers are notified.
   */
  configure(patch: Partial<TurnSettings>): void {
    const modelChanged = patch.model !== undefined && patch.model !== this.turnSettings.model;
    const cacheChanged = patch.promptCache !== undefined && patch.promptCache !== this.turnSettings.promptCache;
    this.turnSettings = { ...this.turnSettings, ...patch };
    for (const l of this.listeners) l();
    if (modelChanged) void this.loadLimits();
    if (cacheChanged) this.opts.onPromptCacheChanged?.(this.turnSettings.promptCache);
  }

  /**
   * The prompt caching the next request carries: the `promptCache` setting, or `off` when the API
   * at this base URL refuses `cache_control`.
   */
  get effectivePromptCache(): PromptCache {
    return this.cacheRejected ? 'off' : this.turnSettings.promptCache;
  }

  /** The web tools the next request offers: the setting, or off when the API at this base URL refuses them. */
  get effectiveWeb(): WebToolsSetting {
    return this.webRejected ? WEB_OFF : this.turnSettings.web;
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
    const id = this.nextId('n');
    this.dispatch({ type: 'notice', id, level, text, at: this.now() });
    const n = this.find(id);
    if (n?.role === 'notice') this.sink?.notice(n);
  }

  /**
   * Looks up the model's context window and output limit (Models API, else the fallback table).
   * @throws never
   */
  async loadLimits(): Promise<void> {
    const limits = await this.opts.api.modelLimits(this.turnSettings.model);
    this.dispatch({ type: 'model_limits', limits });
  }

  /**
   * Sends a prompt and streams the reply.
   * @param text the prompt; blank prompts are ignored
   * @returns false when a reply is already in flight or the prompt is blank
   */
  send(text: string): boolean {
    if (this.state.phase !== 'idle' || text.trim() === '') return false;
    this.autoContinued = 0;
    this.pauseResumed = 0;
    const assistantId = this.nextId('a');
    const userId = this.nextId('u');
    this.dispatch({ type: 'user_sent', userId, assistantId, text, model: this.turnSettings.model, at: this.now() });
    const user = this.find(userId);
    if (user?.role === 'user') this.sink?.userSent(user);
    this.runTurn(assistantId, toApiMessages(this.state.messages), null);
    return true;
  }

  /**
   * Why the last reply cannot be continued, or null when it can: it must have stopped at
   * max_tokens or been interrupted, and not have filled the context window.
   */
  continueBlocker(): string | null {
    if (this.state.phase !== 'idle') return 'A reply is still streaming.';
    // From the end, without copying the conversation: the prompt's placeholder asks on every change while idle.
    const ms = this.state.messages;
    let i = ms.length - 1;
    while (i >= 0 && ms[i]!.role === 'notice') i--;
    const last = i >= 0 ? ms[i] : undefined;
    if (last?.role !== 'assistant') return 'There is no reply to continue.';
    if (last.stop_reason === 'model_context_window_exceeded') {
      return 'The context window is full, so this reply cannot be continued. Start a new conversation with /new.';
    }
    if (
      last.status === 'interrupted' ||
      (last.status === 'complete' && (last.stop_reason === 'max_tokens' || last.stop_reason === 'pause_turn'))
    )
      return null;
    return 'The last reply finished; there is nothing to continue.';
  }

  /**
   * Carries the last reply on in place (it stopped at max_tokens or was interrupted): prefill on
   * models that take it, otherwise the partial plus a hidden user turn; the new text is stitched on
   * and the message stays one message (domain/continuation.ts, docs/PROTOCOL.md §7).
   * @returns false (with a notice saying why) when there is nothing to continue
   */
  continueReply(forceStrategy?: ContinuationStrategy): boolean {
    const blocker = this.continueBlocker();
    if (blocker) {
      this.notify('info', blocker);
      return false;
    }
    const target = this.state.messages.filter((m) => m.role === 'assistant').at(-1) as AssistantMessage;
    // A paused server-tool turn is resumed as the API asks: its content back unchanged, last.
    if (target.stop_reason === 'pause_turn' && !forceStrategy && this.resumePaused(target.id)) return true;
    const strategy =
      forceStrategy ?? chooseStrategy(this.turnSettings.model, this.turnSettings.thinking.mode === 'on', this.rejectsPrefill);
    const index = this.state.messages.indexOf(target);
    const partial = replyText(target);
    const messages = [...toApiMessages(this.state.messages.slice(0, index)), ...continuationTurns(partial, strategy)];
    this.dispatch({ type: 'continue_started', id: target.id, strategy, at: this.now() });
    this.runTurn(target.id, messages, strategy);
    return true;
  }

  /**
   * Resumes a reply the API paused (`pause_turn`): the same request again with the paused content
   * as the last message; the new blocks are appended to the same reply (chat/pause.ts).
   * @returns false when there is nothing to send back
   */
  private resumePaused(id: string): boolean {
    const messages = resumeMessages(this.state.messages, id);
    if (!messages) return false;
    this.dispatch({ type: 'continue_started', id, strategy: 'pause_turn', at: this.now() });
    this.runTurn(id, messages, null);
    return true;
  }

  /**
   * Asks the last prompt again: the last reply and the notices after it are replaced.
   * @returns false when a reply is in flight or there is no prompt to retry
   */
  retry(): boolean {
    if (this.state.phase !== 'idle' || !this.state.messages.some((m) => m.role === 'user')) return false;
    this.autoContinued = 0;
    const lastUser = this.state.messages.map((m) => m.role).lastIndexOf('user');
    const dropped = this.state.messages.slice(lastUser + 1).map((m) => m.id);
    const wasUnsent = (this.state.messages[lastUser] as UserMessage).unsent === true;
    this.pauseResumed = 0;
    const assistantId = this.nextId('a');
    this.dispatch({ type: 'retry_started', assistantId, model: this.turnSettings.model, at: this.now() });
    this.sink?.retracted(dropped);
    // A prompt that was not sent is sent now: saved again without the mark (it supersedes).
    const asked = this.state.messages[lastUser];
    if (wasUnsent && asked?.role === 'user') this.sink?.userSent(asked);
    this.runTurn(assistantId, toApiMessages(this.state.messages), null);
    return true;
  }

  /**
   * The model ids the API offers (Models API, first 50), or [] when it does not answer.
   * @throws never
   */
  async listModels(): Promise<string[]> {
    return this.opts.api.listModels();
  }

  /** After a 404: lists the models the API offers, so the user can pick one. */
  private async suggestModels(): Promise<void> {
    const ids = await this.listModels();
    if (ids.length) this.notify('info', `Models this API offers: ${ids.join(', ')}. Pick one with /model <id> or --model <id>.`);
  }

  /** Streams one request into the reply `assistantId` and settles it. */
  private runTurn(assistantId: string, messages: ApiMessage[], strategy: ContinuationStrategy | null): void {
    const controller = new AbortController();
    this.controller = controller;
    this.abortReason = 'you pressed Esc';
    const t = this.turnSettings;
    const params = {
      model: t.model,
      maxTokens: t.maxTokens,
      system: t.system,
      thinking: t.thinking,
      messages,
      promptCache: this.effectivePromptCache,
      web: this.effectiveWeb,
    };
    const log = this.opts.log;
    log?.('turn_start', { reply: assistantId, model: params.model, maxTokens: params.maxTokens, messages: messages.length, strategy });
    this.turn = this.opts.api
      .streamTurn(
        params,
        {
          onEvent: (e) => {
            this.opts.tap?.(e);
            this.enqueue(e);
          },
          onRequestId: (requestId) => this.dispatch({ type: 'request_id', id: assistantId, requestId }),
          onRetry: (wait) => {
            if (wait) log?.('retry_wait', { reply: assistantId, ...wait });
            this.dispatch({ type: 'retry_wait', wait });
          },
          onCacheRejected: () => {
            log?.('cache_rejected', { reply: assistantId });
            if (this.cacheRejected) return;
            this.cacheRejected = true;
            this.opts.onCacheRejected?.();
            this.notify(
              'warning',
              'This API does not accept prompt caching (cache_control), so requests to it are sent without it from now on.',
            );
          },
          onWebRejected: (message) => {
            log?.('web_rejected', { reply: assistantId });
            if (this.webRejected) return;
            this.webRejected = true;
            this.opts.onWebRejected?.();
            for (const l of this.listeners) l();
            const said = /"message":"((?:[^"\\]|\\.)*)"/.exec(message)?.[1] ?? message;
            this.notify(
              'warning',
              `This API does not offer web search (it answered: ${said.slice(0, 200)}), so web is off for it from now on.`,
            );
          },
        },
        controller.signal,
        {
          redactor: this.opts.redactor ?? NO_SECRETS,
          ...(this.opts.maxRetries !== undefined ? { maxRetries: this.opts.maxRetries } : {}),
          ...(this.opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.opts.idleTimeoutMs } : {}),
        },
      )
      .then((outcome) => {
        this.flush();
        if (this.controller === controller) this.controller = null;
        log?.(
          'turn_end',
          outcome.ok
            ? { reply: assistantId, ok: true, requestId: outcome.requestId }
            : {
                reply: assistantId,
                ok: false,
                kind: outcome.failure.kind,
                status: outcome.failure.status,
                requestId: outcome.failure.requestId,
                reason: outcome.failure.reason,
              },
        );
        // The server refused prefill after all: remember that for the model, continue with a user turn.
        if (!outcome.ok && strategy === 'prefill' && outcome.failure.status === 400 && isPrefillRejection(outcome.failure.message)) {
          this.dispatch({ type: 'stream_aborted', id: assistantId, reason: 'prefill was rejected', at: this.now() });
          this.rejectsPrefill.add(this.turnSettings.model);
          this.opts.onPrefillRejected?.(this.turnSettings.model);
          this.continueReply('user_turn');
          return this.turn ?? outcome;
        }
        const before = new Set(this.state.messages.map((m) => m.id));
        if (outcome.ok) {
          this.dispatch({ type: 'stream_completed', id: assistantId, requestId: outcome.requestId, at: this.now() });
        } else if (outcome.failure.kind === 'aborted') {
          this.dispatch({ type: 'stream_aborted', id: assistantId, reason: this.abortReason, at: this.now() });
        } else {
          const f = outcome.failure;
          this.dispatch({
            type: 'stream_failed',
            id: assistantId,
            message: f.message,
            reason: f.reason,
            requestId: f.requestId,
            at: this.now(),
          });
          if (f.kind === 'not_found') void this.suggestModels();
        }
        const reply = this.find(assistantId);
        const notices = this.state.messages.filter((m): m is NoticeMessage => m.role === 'notice' && !before.has(m.id));
        this.sink?.replyEnded(reply?.role === 'assistant' ? reply : null, notices);
        const unsent = outcome.ok ? null : unsentPromptOf(this.state, assistantId);
        if (unsent) {
          this.sink?.userUnsent(unsent);
          for (const l of this.unsentListeners) l(unsent);
        }
        if (
          outcome.ok &&
          reply?.role === 'assistant' &&
          reply.stop_reason === 'max_tokens' &&
          this.autoContinued < (this.opts.autoContinue ?? 0)
        ) {
          this.autoContinued += 1;
          this.continueReply();
          return this.turn ?? outcome;
        }
        const pause =
          outcome.ok && reply?.role === 'assistant'
            ? pauseDecision(reply, this.pauseResumed, this.opts.pauseContinues ?? DEFAULT_PAUSE_CONTINUES)
            : null;
        if (pause === 'resume' && reply?.role === 'assistant') {
          this.pauseResumed += 1;
          if (this.resumePaused(reply.id)) return this.turn ?? outcome;
        } else if (pause === 'limit') this.notify('info', pauseLimitNotice(this.opts.pauseContinues ?? DEFAULT_PAUSE_CONTINUES));
        return outcome;
      });
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
  private enqueue(e: StreamEvent): void {
    this.buffer.push(e);
    // A fast stream's backlog is parsed in one long run of microtasks, during which the frame
    // timer cannot fire: flush from here once a frame's time has passed.
    if (this.flushScheduled) {
      if (this.now() - this.lastFlushAt >= this.frameMs) this.flush();
      return;
    }
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
    const id = this.state.activeId;
    this.dispatch({ type: 'stream_events', id, events, at: this.lastFlushAt });
    const reply = this.find(id);
    if (reply?.role === 'assistant' && this.sink) {
      const boundary = events.some((e) => e.type === 'content_block_stop' || e.type === 'message_delta');
      this.sink.replyProgress(reply as AssistantMessage, boundary);
    }
  }
}
