import type { CountParams } from '../api/count.js';
import type { MessagesApi } from '../api/port.js';
import type { ApiMessage } from '../domain/conversation.js';
import type { ContentBlock } from '../domain/wire.js';

/** What would be sent now, but for the draft: read when a count starts, never per keystroke. */
export type CountSource = () => Omit<CountParams, 'messages'> & { messages: ApiMessage[] };

/** `/context`'s split of the next request's input, in tokens. */
export interface ContextBreakdown {
  /** The system prompt. */
  system: number;
  /** The messages so far (thinking included as sent). */
  conversation: number;
  /** Of `conversation`: an estimate of the earlier replies' thinking (about 4 characters a token). */
  thinking: number;
  /** The draft, as the next user turn. */
  draft: number;
  /** All of it: what the next request would take of the context window. */
  total: number;
}

/** ms after the last keystroke before the draft is counted. */
export const COUNT_DEBOUNCE_MS = 400;

/** A user turn when there is nothing to count against (count_tokens refuses an empty list). */
const PLACEHOLDER: ApiMessage = { role: 'user', content: '.' };

/**
 * The messages with `draft` as the next user turn: appended to a trailing user turn (the API
 * would get them as one), else a new one.
 */
export function withDraft(messages: readonly ApiMessage[], draft: string): ApiMessage[] {
  const last = messages.at(-1);
  if (last?.role !== 'user') return [...messages, { role: 'user', content: draft }];
  const content =
    typeof last.content === 'string'
      ? `${last.content}\n\n${draft}`
      : [...last.content, { type: 'text', text: draft } as unknown as ContentBlock];
  return [...messages.slice(0, -1), { role: 'user', content }];
}

/** Characters of thinking in the messages' thinking blocks, ÷ 4: an estimate in tokens. */
export function thinkingEstimate(messages: readonly ApiMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content as unknown as Array<{ type: string; thinking?: unknown }>) {
      if (b.type === 'thinking' && typeof b.thinking === 'string') chars += b.thinking.length;
    }
  }
  return Math.round(chars / 4);
}

/**
 * Counts the tokens the next request would take — the conversation plus the draft — with the
 * free count_tokens endpoint, debounced while the user types: {@link setDraft} on every change
 * only (re)arms a timer; {@link COUNT_DEBOUNCE_MS} after the last one, one request goes out.
 * At most one request is in flight: a newer draft aborts the older request, and an answer for
 * anything but the latest draft and conversation is dropped. A failed count leaves no estimate
 * (the gauge falls back to the last reply's usage), and says nothing.
 */
export class TokenCounter {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: AbortController | null = null;
  /** What the latest setDraft asked for: the draft and the conversation's length. */
  private wanted = '';
  /** The key the last count answered, and its tokens. */
  private counted: { key: string; tokens: number } | null = null;
  private readonly listeners = new Set<() => void>();
  /** Requests sent (tests read it). */
  requests = 0;

  /**
   * @param api the Messages API (only countTokens is used)
   * @param source the request as it would be sent, without the draft
   * @param debounceMs ms of quiet before counting (default {@link COUNT_DEBOUNCE_MS})
   */
  constructor(
    private readonly api: Pick<MessagesApi, 'countTokens'>,
    private readonly source: CountSource,
    private readonly debounceMs = COUNT_DEBOUNCE_MS,
  ) {}

  /**
   * The draft changed (or the conversation did: pass its message count). Cheap: no count, no
   * serialisation, only a timer. An empty draft counts nothing: the last usage is exact then.
   * @param draft the prompt's text
   * @param conversationLength messages in the conversation, so that a new reply makes the count stale
   */
  setDraft(draft: string, conversationLength: number): void {
    const key = `${conversationLength}\u0000${draft}`;
    if (key === this.wanted) return;
    this.wanted = key;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight?.abort();
    this.inFlight = null;
    if (draft.trim() === '') {
      this.emit();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.count(key, draft);
    }, this.debounceMs);
  }

  /** The tokens of the conversation plus the current draft, or null when not (yet) known. */
  get estimate(): number | null {
    return this.counted !== null && this.counted.key === this.wanted ? this.counted.tokens : null;
  }

  /** Calls `listener` when {@link estimate} may have changed. @returns unsubscribe */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Stops the timer and any request in flight. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  /**
   * The next request's input split into system, conversation (with its thinking estimated) and
   * draft, with at most 3 count requests: the conversation without the system prompt, with it,
   * and with the draft (only when there is one).
   * @returns null when a count failed
   */
  async breakdown(draft: string): Promise<ContextBreakdown | null> {
    const src = this.source();
    const empty = src.messages.length === 0;
    const base = empty ? [PLACEHOLDER] : src.messages;
    const bare = await this.api.countTokens({ ...src, system: null, messages: base });
    const withSystem = src.system ? await this.api.countTokens({ ...src, messages: base }) : bare;
    const all = draft.trim() ? await this.api.countTokens({ ...src, messages: withDraft(src.messages, draft) }) : withSystem;
    if (bare === null || withSystem === null || all === null) return null;
    const system = Math.max(0, withSystem - bare);
    const conversation = empty ? 0 : bare;
    const total = empty && !draft.trim() ? system : all;
    return { system, conversation, thinking: thinkingEstimate(src.messages), draft: Math.max(0, total - system - conversation), total };
  }

  private async count(key: string, draft: string): Promise<void> {
    const controller = new AbortController();
    this.inFlight = controller;
    const src = this.source();
    this.requests++;
    const tokens = await this.api.countTokens({ ...src, messages: withDraft(src.messages, draft) }, controller.signal);
    if (this.inFlight === controller) this.inFlight = null;
    // Stale (a newer draft or reply) or failed: dropped, silently.
    if (controller.signal.aborted || key !== this.wanted || tokens === null) return;
    this.counted = { key, tokens };
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
