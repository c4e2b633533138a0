import cliTruncate from 'cli-truncate';
import type { ChatEngine } from '../chat/engine.js';
import type { ConversationState } from '../domain/conversation.js';
import type { Theme } from '../theme.js';

/**
 * Type ahead: prompts entered while a reply streams wait here, shown dimmed above the prompt, and
 * are sent one per reply when the reply before them ends well. A reply that ends in an error or is
 * stopped holds the queue (and says so): it then goes after the next reply that ends well, or at
 * once on Enter on an empty prompt; Esc on an empty prompt clears it after asking once. Every change
 * is saved as the session's draft (sessions/drafts.ts through {@link DraftKeeper}), so prompts typed
 * ahead survive a crash and come back, held, when the session is opened again.
 */

/** Where the queue is kept across a crash: the open session's draft (chat/session-control.ts). */
export interface DraftKeeper {
  /** @returns null when saved, else plain words saying why not */
  saveDraft(queued: readonly string[]): string | null;
  loadDraft(): string[];
  /** The open session (its id is null until its first prompt is saved). */
  status(): { id: string | null };
  subscribe(listener: () => void): () => void;
}

/** Why a queue waits instead of going after the reply. */
export type QueueHold = 'error' | 'stopped' | 'restored';

/** What the queue shows. */
export interface QueueSnapshot {
  /** The prompts, oldest (next) first. */
  readonly prompts: readonly string[];
  /** Why they wait; null: they go when the reply in flight ends well. */
  readonly held: QueueHold | null;
  /** Esc was pressed once on an empty prompt: a second Esc clears the queue. */
  readonly confirmingClear: boolean;
}

/** The engine as the queue uses it. */
type QueueEngine = Pick<ChatEngine, 'subscribe' | 'getState' | 'send' | 'notify'>;

const EMPTY: QueueSnapshot = { prompts: [], held: null, confirmingClear: false };

/**
 * How the reply that just settled ended, from the state right after it: the messages after the
 * last prompt hold an error notice (failed), or a reply that completed, or neither (stopped: a
 * reply cut by Esc, or one stopped before it began and removed).
 */
export function replyOutcome(state: ConversationState): 'complete' | 'error' | 'stopped' {
  const messages = state.messages;
  const after = messages.slice(messages.findLastIndex((m) => m.role === 'user') + 1);
  if (after.some((m) => m.role === 'notice' && m.level === 'error')) return 'error';
  return after.some((m) => m.role === 'assistant' && m.status === 'complete') ? 'complete' : 'stopped';
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The prompts typed ahead of the reply (see the module comment). */
export class PromptQueue {
  private snap: QueueSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: Array<() => void> = [];
  private phase: ConversationState['phase'];
  private sessionId: string | null;
  private sendTimer: NodeJS.Timeout | null = null;
  private warnedSave = false;

  /**
   * @param engine sends the prompts and says what happened (notices)
   * @param drafts the session's draft, or null to keep the queue in memory only
   */
  constructor(
    private readonly engine: QueueEngine,
    private readonly drafts: DraftKeeper | null,
  ) {
    this.phase = engine.getState().phase;
    this.sessionId = drafts?.status().id ?? null;
    this.unsubscribe.push(engine.subscribe(() => this.onEngine()));
    if (drafts) {
      this.unsubscribe.push(drafts.subscribe(() => this.onSession()));
      // After the render that made the queue (the restore's notice changes the engine's state).
      if (this.sessionId !== null) queueMicrotask(() => this.restore());
    }
  }

  /** For useSyncExternalStore: what the queue shows now. */
  readonly snapshot = (): QueueSnapshot => this.snap;

  /** Calls `listener` after every change. @returns unsubscribe */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Prompts waiting. */
  get size(): number {
    return this.snap.prompts.length;
  }

  /** Queues a prompt (Enter while a reply streams); blank text is ignored. */
  add(text: string): void {
    if (text.trim() === '') return;
    this.set({ ...this.snap, prompts: [...this.snap.prompts, text], confirmingClear: false }, true);
  }

  /**
   * Esc on an empty prompt: the first asks, the second clears.
   * @returns 'none' when nothing is queued (the key is not the queue's)
   */
  escape(): 'none' | 'asked' | 'cleared' {
    if (this.snap.prompts.length === 0) return 'none';
    if (!this.snap.confirmingClear) {
      this.set({ ...this.snap, confirmingClear: true }, false);
      return 'asked';
    }
    const n = this.snap.prompts.length;
    this.set(EMPTY, true);
    this.engine.notify('info', `Cleared ${plural(n, 'queued prompt')}.`);
    return 'cleared';
  }

  /** Any key but Esc: a pending "Esc again clears" is forgotten. */
  disarm(): void {
    if (this.snap.confirmingClear) this.set({ ...this.snap, confirmingClear: false }, false);
  }

  /**
   * Enter on an empty prompt while the queue is held: its next prompt goes now.
   * @returns false when there is nothing held to send (Enter does what it did before)
   */
  release(): boolean {
    if (this.snap.prompts.length === 0 || this.snap.held === null || this.engine.getState().phase !== 'idle') return false;
    this.set({ ...this.snap, held: null, confirmingClear: false }, false);
    this.sendNext();
    return true;
  }

  /** Stops listening (the app is closing); the draft stays on disk. */
  dispose(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
    if (this.sendTimer) clearTimeout(this.sendTimer);
    this.sendTimer = null;
  }

  private set(next: QueueSnapshot, save: boolean): void {
    this.snap = next;
    if (save) this.save();
    for (const l of this.listeners) l();
  }

  private save(): void {
    const problem = this.drafts?.saveDraft(this.snap.prompts) ?? null;
    if (problem && !this.warnedSave) {
      this.warnedSave = true;
      this.engine.notify('warning', problem);
    }
  }

  /** A reply ended (busy → idle): send the next prompt, or hold the queue and say why. */
  private onEngine(): void {
    const state = this.engine.getState();
    const was = this.phase;
    this.phase = state.phase;
    if (was === 'idle' || state.phase !== 'idle' || this.snap.prompts.length === 0) return;
    const outcome = replyOutcome(state);
    if (outcome === 'complete') {
      if (this.snap.held !== null) this.set({ ...this.snap, held: null }, false);
      // After this dispatch has run its course: the engine may go on by itself (auto-continue).
      if (!this.sendTimer) this.sendTimer = setTimeout(() => this.sendNext(), 0);
      return;
    }
    this.set({ ...this.snap, held: outcome }, false);
    const n = this.snap.prompts.length;
    const why = outcome === 'error' ? 'The reply ended in an error' : 'The reply was stopped';
    this.engine.notify(
      'warning',
      `${why}, so ${n === 1 ? 'the queued prompt was' : `the ${n} queued prompts were`} not sent. Enter on an empty prompt sends ${n === 1 ? 'it' : 'the next'}, Esc clears ${n === 1 ? 'it' : 'them'}; otherwise ${n === 1 ? 'it goes' : 'they go'} after the next reply.`,
    );
  }

  private sendNext(): void {
    this.sendTimer = null;
    const [next, ...rest] = this.snap.prompts;
    if (next === undefined || this.snap.held !== null || this.engine.getState().phase !== 'idle') return;
    if (!this.engine.send(next)) return;
    // Saved after the send: the prompt is in the session file before it leaves the draft.
    this.set({ ...this.snap, prompts: rest, confirmingClear: false }, true);
  }

  /** The open session changed: a new one took our prompts, or another one brings its own. */
  private onSession(): void {
    const id = this.drafts!.status().id;
    if (id === this.sessionId) return;
    const before = this.sessionId;
    this.sessionId = id;
    if (id === null) {
      // A new conversation: the old session keeps its draft on disk.
      if (this.snap !== EMPTY) this.set(EMPTY, false);
    } else if (before === null) {
      // The first prompt created the session: what is queued is its draft now.
      if (this.snap.prompts.length > 0) this.save();
    } else {
      // Another session: its own draft, if any, replaces what was shown.
      if (this.snap !== EMPTY) this.set(EMPTY, false);
      this.restore();
    }
  }

  /** Puts the open session's draft in front of the queue, held until the user says. */
  private restore(): void {
    const prompts = this.drafts!.loadDraft();
    if (prompts.length === 0) return;
    this.set({ prompts: [...prompts, ...this.snap.prompts], held: 'restored', confirmingClear: false }, false);
    const n = prompts.length;
    this.engine.notify(
      'info',
      `${n === 1 ? 'A prompt' : `${n} prompts`} queued before inkwell stopped ${n === 1 ? 'is' : 'are'} back, not sent. Enter on an empty prompt sends ${n === 1 ? 'it' : 'the next'}, Esc clears ${n === 1 ? 'it' : 'them'}.`,
    );
  }
}

/** A prompt on one row: whitespace and control characters (a paste may hold some) as single spaces. */
function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** Rows of queued prompts the prompt shows at most (a further row says how many more). */
export const QUEUE_ROWS = 3;

/**
 * The rows shown above the prompt for a queue: `queued › <first line of the prompt>`, dimmed, one
 * per prompt up to {@link QUEUE_ROWS}, then `+N more`; a held queue or a pending clear adds a row
 * saying what the keys do. Each row is cut to `width` columns.
 * @returns [] for an empty queue
 */
export function queueRows(q: QueueSnapshot, width: number, theme: Theme): string[] {
  const n = q.prompts.length;
  if (n === 0) return [];
  const cut = (s: string) => cliTruncate(s, Math.max(1, width), { position: 'end' });
  const rows = q.prompts.slice(0, QUEUE_ROWS).map((p) => theme.muted(cut(`queued › ${oneLine(p)}`)));
  if (n > QUEUE_ROWS) rows.push(theme.muted(cut(`queued   +${n - QUEUE_ROWS} more`)));
  if (q.confirmingClear) rows.push(theme.warning(cut(`Esc again clears ${n === 1 ? 'the queued prompt' : `all ${n} queued prompts`}`)));
  else if (q.held !== null) {
    const why =
      q.held === 'error'
        ? 'held: the reply ended in an error'
        : q.held === 'stopped'
          ? 'held: the reply was stopped'
          : 'held: not sent before inkwell stopped';
    rows.push(theme.muted(cut(`${why} · Enter sends · Esc clears`)));
  }
  return rows;
}
