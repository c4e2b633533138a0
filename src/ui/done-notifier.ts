import type { ChatEngine } from '../chat/engine.js';
import { costOf, formatUsd, priceFor, type Price } from '../domain/cost.js';
import type { ConversationState } from '../domain/conversation.js';
import { defaultTitle } from '../sessions/title.js';
import type { Notification, NotifyProtocol } from '../terminal/notify.js';
import { replyOutcome } from './queue.js';

/**
 * A ping when the reply is done: when a reply ends (complete, failed after its retries, or
 * stopped) while the terminal does not have the focus (its focus reports, ui/mouse.ts), the
 * Screen posts a notification (terminal/notify.ts picks the kind) naming the session and the
 * reply's length and cost. A long retry wait (a rate limit, an overloaded API) that ends with
 * the request sent again pings too: the reply is on its way. The text is built here from the title, counts and prices, and
 * sanitised again by notify.ts: no byte of model output reaches the terminal through it.
 */

/** A retry wait at least this long (ms) pings when it ends. */
export const LONG_RETRY_WAIT_MS = 10_000;

/** ms a reply's end waits to see whether another turn follows at once, before pinging. */
const SETTLE_MS = 60;

/** Where the focus is known (ui/mouse.ts `terminalFocus`). */
export interface FocusSource {
  readonly focused: boolean;
}

/** What the notifier needs. */
export interface DoneNotifierOptions {
  engine: Pick<ChatEngine, 'subscribe' | 'getState'>;
  /** The terminal's writer. */
  screen: { notify(protocol: NotifyProtocol, n: Notification, tmux: boolean): void };
  /** The kind to post (terminal/notify.ts `notifyProtocol`); null: never notify. */
  protocol: NotifyProtocol | null;
  /** inkwell runs inside tmux. */
  tmux: boolean;
  focus: FocusSource;
  /** The open session's title (null until it has one). */
  title(): string | null;
  /** Price overrides from settings (USD per million tokens). */
  prices?: Readonly<Record<string, Price>>;
}

/**
 * The notification for the reply that just ended in `state`: the session's title (or its first
 * prompt's), then how it ended, its output tokens and its cost, e.g. `Reply done · 412 tokens ·
 * $0.0061`.
 */
export function doneNotification(
  state: ConversationState,
  title: string | null,
  prices: Readonly<Record<string, Price>> = {},
): Notification {
  const name = sessionName(state, title);
  const outcome = replyOutcome(state);
  const reply = state.messages.findLast((m) => m.role === 'assistant');
  const parts = [outcome === 'complete' ? 'Reply done' : outcome === 'error' ? 'Reply failed' : 'Reply stopped'];
  if (reply?.role === 'assistant') {
    const n = reply.usage.output_tokens;
    parts.push(`${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}`);
    const price = priceFor(reply.model, prices);
    if (price) parts.push(formatUsd(costOf(reply.usage, price)));
  }
  return { title: name, body: parts.join(' · ') };
}

/** The session's title, else its first prompt's, else "inkwell". */
function sessionName(state: ConversationState, title: string | null): string {
  const firstPrompt = state.messages.find((m) => m.role === 'user');
  return title ?? (firstPrompt?.role === 'user' ? defaultTitle(firstPrompt.text) : null) ?? 'inkwell';
}

/** Watches the engine and pings when a reply ends out of sight (see the module comment). */
export class DoneNotifier {
  private phase: ConversationState['phase'];
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | null = null;
  /** When the retry wait on screen began (ms since the epoch), or null. */
  private waitSince: number | null = null;

  /** Clock, ms since the epoch (tests pass a fake; default Date.now). */
  constructor(
    private readonly o: DoneNotifierOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.phase = o.engine.getState().phase;
    this.unsubscribe = o.engine.subscribe(() => this.onEngine());
  }

  private onEngine(): void {
    const state = this.o.engine.getState();
    const was = this.phase;
    this.phase = state.phase;
    this.onRetryWait(state);
    if (was === 'idle' || state.phase !== 'idle' || this.o.protocol === null || this.timer) return;
    // Once nothing follows at once (a queued prompt, an automatic continuation): one ping for the lot.
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = this.o.engine.getState();
      if (now.phase !== 'idle' || this.o.focus.focused || this.o.protocol === null) return;
      this.o.screen.notify(this.o.protocol, doneNotification(now, this.o.title(), this.o.prices), this.o.tmux);
    }, SETTLE_MS);
    this.timer.unref?.();
  }

  /** A retry wait began or ended: a long one that ended with the request sent again pings. */
  private onRetryWait(state: ConversationState): void {
    if (state.retryWait) {
      this.waitSince ??= this.now();
      return;
    }
    if (this.waitSince === null) return;
    const waited = this.now() - this.waitSince;
    this.waitSince = null;
    if (state.phase === 'idle' || waited < LONG_RETRY_WAIT_MS || this.o.protocol === null || this.o.focus.focused) return;
    const body = `Retry wait over after ${Math.round(waited / 1000)} s · the request was sent again`;
    this.o.screen.notify(this.o.protocol, { title: sessionName(state, this.o.title()), body }, this.o.tmux);
  }

  /** Stops watching. */
  dispose(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
