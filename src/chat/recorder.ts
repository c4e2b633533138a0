import type { AssistantMessage, NoticeMessage, UserMessage } from '../domain/types.js';
import type { Redactor } from '../domain/redact.js';
import { createSession, type SessionWriter, type WriterStatus } from '../sessions/index.js';

/**
 * Where the engine reports what happened to the conversation, so it can be saved as it happens.
 * Every method must return quickly and never throw.
 */
export interface TranscriptSink {
  userSent(m: UserMessage): void;
  /** A prompt's request failed before any reply: it is saved again, marked unsent (superseding). */
  userUnsent(m: UserMessage): void;
  /** A frame's worth of a streaming reply; `boundary` when a block or the message ended. */
  replyProgress(m: AssistantMessage, boundary: boolean): void;
  /** A reply ended (null when the reducer dropped an empty one) and the notices it added. */
  replyEnded(m: AssistantMessage | null, notices: readonly NoticeMessage[]): void;
  notice(m: NoticeMessage): void;
  /** Messages taken back by /retry: gone from the conversation, and from the saved session. */
  retracted(ids: readonly string[]): void;
}

/** What the status bar shows about saving. */
export interface RecorderStatus {
  /** Session id once the session exists on disk (after the first prompt), else null. */
  id: string | null;
  title: string | null;
  /** null when saving works; plain words when it does not (the chat goes on in memory). */
  problem: string | null;
  /** Read-only: another window owns the session; nothing is written. */
  readOnly: string | null;
}

/** Options of a recorder. */
export interface RecorderOptions {
  /** The sessions directory (`<data>/sessions`). */
  dir: string;
  model: string;
  system: string | null;
  /** Hides the credentials, which are never written to disk. */
  redactor: Redactor;
  /** An already opened session's writer (resume), or null to create one at the first prompt. */
  writer?: SessionWriter | null;
  /** Set when a resumed session is open read-only: then nothing is written at all. */
  readOnly?: string | null;
}

/**
 * Saves a conversation through the session store as it happens: the session file is created
 * lazily at the first prompt (an app opened and closed saves nothing), user prompts and finished
 * replies are fsync'd, streaming replies are checkpointed (the writer throttles to once a second
 * and writes at block boundaries).
 */
export class SessionRecorder implements TranscriptSink {
  private writer: SessionWriter | null;
  private readonly listeners = new Set<() => void>();
  private offStatus: (() => void) | null = null;
  /** The system prompt a session created from now on starts with (/system before the first prompt). */
  private system: string | null;

  constructor(private readonly o: RecorderOptions) {
    this.writer = o.writer ?? null;
    this.system = o.system;
    if (this.writer) this.watch(this.writer);
  }

  /** Calls `l` whenever the status changes. @returns unsubscribe */
  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private watch(w: SessionWriter): void {
    this.offStatus?.();
    this.offStatus = w.onStatus(() => this.changed());
  }

  /** The status now. */
  status(): RecorderStatus {
    const s: WriterStatus | null = this.writer?.status ?? null;
    return {
      id: this.writer?.id ?? null,
      title: this.writer?.title ?? null,
      problem: s && !s.ok ? s.problem : null,
      readOnly: this.o.readOnly ?? null,
    };
  }

  private ensure(): SessionWriter | null {
    if (this.o.readOnly) return null;
    if (!this.writer) {
      this.writer = createSession(this.o.dir, { model: this.o.model, system: this.system }, { redactor: this.o.redactor });
      this.watch(this.writer);
      this.changed();
    }
    return this.writer;
  }

  userSent(m: UserMessage): void {
    this.ensure()?.appendUser(m);
    this.changed();
  }

  userUnsent(m: UserMessage): void {
    this.writer?.appendUser(m);
  }

  replyProgress(m: AssistantMessage, boundary: boolean): void {
    this.writer?.checkpoint(m, { boundary });
  }

  replyEnded(m: AssistantMessage | null, notices: readonly NoticeMessage[]): void {
    const w = this.writer;
    if (!w) return;
    if (m) w.appendAssistant(m);
    for (const n of notices) w.appendNotice(n);
  }

  notice(m: NoticeMessage): void {
    // Notices before the first prompt (demo mode, a missing key) are about this run, not the
    // conversation: they are not worth a session file of their own.
    this.writer?.appendNotice(m);
  }

  retracted(ids: readonly string[]): void {
    if (ids.length > 0) this.writer?.retract(ids);
  }

  /**
   * The system prompt changed (/system): saved as a `system` record when the session exists (and
   * differs from its saved one), else it is the new session's header's. Nothing when read-only.
   */
  setSystem(system: string | null): void {
    if (this.o.readOnly) return;
    this.system = system;
    this.writer?.setSystem(system);
  }

  /**
   * Renames the session (creating it if nothing was said yet is not allowed: returns false).
   * @returns false when there is no session yet or the title is blank
   */
  rename(title: string): boolean {
    const ok = this.writer?.rename(title) ?? false;
    this.changed();
    return ok;
  }

  /** Writes anything pending now (before an export reads the file). */
  flush(): void {
    this.writer?.flush();
  }

  /** Flushes and closes the session file; safe to call twice. */
  close(): void {
    this.offStatus?.();
    this.offStatus = null;
    this.writer?.close();
  }
}
