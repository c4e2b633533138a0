import * as fs from 'node:fs';
import type { AssistantMessage, NoticeMessage, UserMessage } from '../domain/types.js';
import { encodeRecord } from './codec.js';
import { contentDelta, holdBackSecrets } from './delta.js';
import { atExit } from './exit.js';
import { newSessionId } from './ids.js';
import { acquireLock } from './lock.js';
import { sessionPath } from './paths.js';
import { describeSaveError } from './problems.js';
import { NO_SECRETS, type Redactor } from './redact.js';
import { FORMAT_VERSION, type SessionRecord } from './schema.js';
import { cleanTitle, defaultTitle, UNTITLED } from './title.js';

/**
 * The file operations a writer uses, injectable so tests can make the disk fill up or vanish.
 * Each throws the node:fs error on failure.
 */
export interface WriterFs {
  /** Creates the directory and its parents (new ones private: 0700) and makes it 0700; no error when it exists. */
  mkdir(dir: string): void;
  /** Opens for appending: 'wx' creates and fails if the file exists, 'a' creates if missing. */
  open(file: string, flags: 'wx' | 'a'): number;
  /** Writes from the start of `data`; returns bytes written (may be fewer than asked). */
  write(fd: number, data: Uint8Array): number;
  fsync(fd: number): void;
  close(fd: number): void;
}

/** Makes a folder private (0700); a folder that cannot be changed (not ours, read-only) is left as it is. */
function tighten(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
  } catch {
    // Saving can still work; only the mode is not what inkwell would choose.
  }
}

/** The real file system. */
export const nodeWriterFs: WriterFs = {
  mkdir: (dir) => {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      // A folder an older inkwell made with the default mode (0755) is made private too.
      tighten(dir);
    } catch (e) {
      // mkdir -p fails with EEXIST only when something that is not a folder is in the way.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw Object.assign(new Error(`${dir} is not a folder`), { code: 'ENOTDIR' });
      throw e;
    }
  },
  open: (file, flags) => fs.openSync(file, flags, 0o600),
  write: (fd, data) => fs.writeSync(fd, data, 0, data.length),
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
};

/** Whether everything appended so far is on disk. */
export type WriterStatus =
  | { ok: true }
  | {
      ok: false;
      /** Plain words for the status line: what failed and that the conversation goes on. */
      problem: string;
      /** Records held in memory, waiting to be written (0 when only an fsync is owed). */
      unsaved: number;
    };

/** Options shared by {@link createSession} and the writer of an existing session. */
export interface WriterOptions {
  /** Hides what must never reach the file (the API key) behind "[redacted]" (default: nothing hidden). */
  redactor?: Redactor;
  /** File operations (tests); default {@link nodeWriterFs}. */
  fs?: WriterFs;
  /** Clock in ms since the epoch (tests); default Date.now. */
  now?: () => number;
  /** Least time between two throttled checkpoints, in ms; default 1000. */
  checkpointIntervalMs?: number;
  /** After a failed write, try again this many ms later even if nothing is appended; default 5000. */
  retryMs?: number;
}

/** Appends a session's records as they happen. Obtain one from {@link createSession} or open.ts. */
export interface SessionWriter {
  /** The session id (file `<dir>/<id>.jsonl`). */
  readonly id: string;
  /** Path of the session file. */
  readonly path: string;
  /** The title the session has now: renamed, else given at creation, else the first prompt. */
  readonly title: string;
  /** Current save status. */
  readonly status: WriterStatus;
  /**
   * Calls `listener` whenever the status changes (problem appears, changes, clears, or the count
   * of unsaved records changes). @returns unsubscribe
   */
  onStatus(listener: (status: WriterStatus) => void): () => void;
  /** Saves a prompt (fsync'd). Never throws. */
  appendUser(message: UserMessage): void;
  /**
   * Saves the state of a reply while it streams, cheaply enough to call on every frame: written at
   * most once per `checkpointIntervalMs`, except at a block boundary (the number of content blocks
   * changed since the last save, or `boundary: true`) where it is written at once. A call that is
   * held back is written when the interval ends (timer), by the next call, or at close. Replies
   * with no content yet, unchanged messages (same object) and replies that have ended (status
   * complete or interrupted: use appendAssistant) are skipped. Not fsync'd: it survives
   * the process being killed, not the machine losing power. Never throws.
   */
  checkpoint(message: AssistantMessage, opts?: { boundary?: boolean }): void;
  /** Saves a reply that ended (complete or interrupted), whole, superseding its checkpoints (fsync'd). Never throws. */
  appendAssistant(message: AssistantMessage): void;
  /** Saves a notice shown in the transcript (fsync'd). Never throws. */
  appendNotice(message: NoticeMessage): void;
  /**
   * Renames the session: appends a title record (fsync'd); the file is never rewritten.
   * @returns false when the title is blank (nothing written)
   */
  rename(title: string): boolean;
  /**
   * The system prompt in effect from now on (null: none): appends a `system` record (fsync'd)
   * when it differs from the session's current one; nothing otherwise.
   * @returns true when a record was appended
   */
  setSystem(system: string | null): boolean;
  /** /retry took these messages back: appends a retract record (fsync'd); never rewrites. */
  retract(ids: readonly string[]): void;
  /** Tries now to write what is pending (a retry after a problem). @returns the status after */
  flush(): WriterStatus;
  /**
   * Writes a held-back checkpoint and anything pending, fsyncs, closes the file and releases the
   * lock. Later calls to any method do nothing. Also run at process exit. @returns the final status
   */
  close(): WriterStatus;
}

interface Pending {
  line: Buffer;
  /** fsync after writing (message boundaries). */
  sync: boolean;
  /** Id of the message of a checkpoint record, for dropping superseded ones. */
  checkpointOf: string | null;
}

/** How the end of the file looks to the writer (see `prefix()`). */
interface Tail {
  /** The file does not end with "\n": the next write must start a new line. */
  open: boolean;
  /** Unreadable lines (a cut-short write) end the file and need a `torn` record after them. */
  dirty: boolean;
}

const NL = 0x0a;

/** @internal Construction details shared by createSession and openSessionForWriting. */
export interface WriterInit {
  dir: string;
  id: string;
  /** The file does not exist yet: create it with O_EXCL. */
  create: boolean;
  /** Release of a lock already held, or null to take it at the first write. */
  release: (() => void) | null;
  tail: Tail;
  /** Title state of an existing session. */
  headerTitle: string | null;
  renamed: string | null;
  firstPrompt: string | null;
  /** The session's system prompt now (the header's, or the last `system` record's). */
  system: string | null;
}

/** @internal Use {@link createSession} or openSessionForWriting (open.ts). */
export class FileSessionWriter implements SessionWriter {
  readonly id: string;
  readonly path: string;
  private readonly dir: string;
  private readonly fs: WriterFs;
  private readonly now: () => number;
  private readonly interval: number;
  private readonly redactor: Redactor;
  private fd: number | null = null;
  private created: boolean;
  private release: (() => void) | null;
  private tail: Tail;
  private queue: Pending[] = [];
  /** An fsync is due (a message boundary was written, or closing after checkpoints). */
  private syncOwed = false;
  /** Bytes were written since the last fsync. */
  private unsynced = false;
  private closed = false;
  private current: WriterStatus = { ok: true };
  private problemText: string | null = null;
  private readonly listeners = new Set<(s: WriterStatus) => void>();
  /** Last state of each streaming reply handed to the file (written or queued): delta base. */
  private readonly saved = new Map<string, AssistantMessage>();
  private lastCheckpointAt = Number.NEGATIVE_INFINITY;
  private held: AssistantMessage | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly retryMs: number;
  private headerTitle: string | null;
  private renamed: string | null;
  private firstPrompt: string | null;
  private system: string | null;
  private readonly unregisterExit: () => void;

  constructor(init: WriterInit, opts: WriterOptions) {
    this.dir = init.dir;
    this.id = init.id;
    this.path = sessionPath(init.dir, init.id);
    this.fs = opts.fs ?? nodeWriterFs;
    this.now = opts.now ?? Date.now;
    this.interval = opts.checkpointIntervalMs ?? 1000;
    this.retryMs = opts.retryMs ?? 5000;
    this.redactor = opts.redactor ?? NO_SECRETS;
    this.created = !init.create;
    this.release = init.release;
    this.tail = init.tail;
    this.headerTitle = init.headerTitle;
    this.renamed = init.renamed;
    this.firstPrompt = init.firstPrompt;
    this.system = init.system;
    this.unregisterExit = atExit(() => this.close());
  }

  get status(): WriterStatus {
    return this.current;
  }

  get title(): string {
    return this.renamed ?? this.headerTitle ?? (this.firstPrompt !== null ? defaultTitle(this.firstPrompt) : null) ?? UNTITLED;
  }

  onStatus(listener: (status: WriterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  appendUser(message: UserMessage): void {
    if (this.closed) return;
    if (this.firstPrompt === null && message.text.trim() !== '') this.firstPrompt = message.text;
    this.enqueue({ v: FORMAT_VERSION, k: 'user', id: message.id, at: this.now(), message }, true, null);
  }

  appendNotice(message: NoticeMessage): void {
    if (this.closed) return;
    this.enqueue({ v: FORMAT_VERSION, k: 'notice', id: message.id, at: this.now(), message }, true, null);
  }

  appendAssistant(message: AssistantMessage): void {
    if (this.closed) return;
    if (this.held?.id === message.id) this.held = null;
    this.saved.delete(message.id);
    this.queue = this.queue.filter((p) => p.checkpointOf !== message.id);
    this.enqueue({ v: FORMAT_VERSION, k: 'assistant', id: message.id, at: this.now(), message }, true, null);
  }

  checkpoint(message: AssistantMessage, opts?: { boundary?: boolean }): void {
    if (this.closed || message.content.length === 0) return;
    // A reply that has ended is saved by appendAssistant; a late frame must not supersede it.
    if (message.status === 'complete' || message.status === 'interrupted') return;
    const prev = this.saved.get(message.id);
    if (prev === message) return;
    const boundary = opts?.boundary === true || prev === undefined || prev.content.length !== message.content.length;
    const now = this.now();
    if (!boundary && now - this.lastCheckpointAt < this.interval) {
      this.held = message;
      if (this.timer === null) {
        this.timer = setTimeout(
          () => {
            this.timer = null;
            const m = this.held;
            this.held = null;
            if (m && !this.closed) this.writeCheckpoint(m);
          },
          Math.max(0, this.interval - (now - this.lastCheckpointAt)),
        );
        this.timer.unref();
      }
      return;
    }
    this.writeCheckpoint(message);
  }

  private writeCheckpoint(whole: AssistantMessage): void {
    if (this.held?.id === whole.id) this.held = null;
    this.lastCheckpointAt = this.now();
    // While records wait in memory, deltas are not chained on records that may be dropped:
    // write the whole reply and drop the checkpoints it supersedes.
    const base = this.queue.length > 0 ? undefined : this.saved.get(whole.id);
    if (base === undefined) this.queue = this.queue.filter((p) => p.checkpointOf !== whole.id);
    // Each record is redacted on its own: a secret the model echoes must not straddle two.
    const message = holdBackSecrets(whole, this.saved.get(whole.id), this.redactor);
    const d = contentDelta(base, message);
    this.saved.set(message.id, message);
    this.enqueue(
      {
        v: FORMAT_VERSION,
        k: 'checkpoint',
        id: message.id,
        at: this.lastCheckpointAt,
        from: d.from,
        grow: d.grow,
        message: { ...message, content: d.content, blocks: d.blocks },
      },
      false,
      message.id,
    );
  }

  retract(ids: readonly string[]): void {
    if (this.closed || ids.length === 0) return;
    this.enqueue({ v: FORMAT_VERSION, k: 'retract', at: this.now(), ids: [...ids] }, true, null);
  }

  setSystem(system: string | null): boolean {
    if (this.closed || system === this.system) return false;
    this.system = system;
    this.enqueue({ v: FORMAT_VERSION, k: 'system', at: this.now(), system }, true, null);
    return true;
  }

  rename(title: string): boolean {
    if (this.closed) return false;
    const clean = cleanTitle(title);
    if (clean === null) return false;
    this.renamed = clean;
    this.enqueue({ v: FORMAT_VERSION, k: 'title', at: this.now(), title: clean }, true, null);
    return true;
  }

  flush(): WriterStatus {
    if (!this.closed) this.drain();
    return this.current;
  }

  close(): WriterStatus {
    if (this.closed) return this.current;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const held = this.held;
    this.held = null;
    if (held) this.writeCheckpoint(held);
    if (this.unsynced) this.syncOwed = true;
    this.drain();
    this.closed = true;
    this.unregisterExit();
    this.closeFd();
    this.release?.();
    this.release = null;
    return this.current;
  }

  /** @internal Starts in a problem state (a lock that could not be written at open). */
  startWithProblem(problem: string): void {
    this.problemText = problem;
    this.publish();
  }

  /** @internal Writes the header of a new session; used once by createSession. */
  writeHeader(record: SessionRecord): void {
    this.enqueue(record, true, null);
  }

  private enqueue(record: SessionRecord, sync: boolean, checkpointOf: string | null): void {
    this.queue.push({ line: Buffer.from(encodeRecord(record, this.redactor), 'utf8'), sync, checkpointOf });
    this.drain();
  }

  /** Writes the queue in order, one write per record; on failure keeps the rest for later. */
  private drain(): void {
    if (this.queue.length === 0 && !this.syncOwed) {
      this.settle(null);
      return;
    }
    try {
      this.ensureOpen();
      const fd = this.fd!;
      while (this.queue.length > 0) {
        const item = this.queue[0]!;
        const prefix = this.prefix();
        const buf = prefix.length > 0 ? Buffer.concat([prefix, item.line]) : item.line;
        let done = 0;
        try {
          while (done < buf.length) done += this.fs.write(fd, done === 0 ? buf : buf.subarray(done));
        } catch (e) {
          this.afterPartialWrite(buf, prefix.length, done);
          throw e;
        }
        this.tail = { open: false, dirty: false };
        this.unsynced = true;
        this.queue.shift();
        if (item.sync) this.syncOwed = true;
      }
      if (this.syncOwed) {
        this.fs.fsync(fd);
        this.syncOwed = false;
        this.unsynced = false;
      }
      this.settle(null);
    } catch (e) {
      // A broken descriptor is reopened next time; a full disk keeps it (nothing gained by closing).
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOSPC' && code !== 'EDQUOT') this.closeFd();
      this.settle(e instanceof LockHeldError ? e.message : describeSaveError(e, this.path));
      if (this.retryTimer === null && !this.closed) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.flush();
        }, this.retryMs);
        this.retryTimer.unref();
      }
    }
  }

  /** What must precede the next record so the file stays one record per line. */
  private prefix(): Buffer {
    let s = this.tail.open ? '\n' : '';
    if (this.tail.dirty) s += encodeRecord({ v: FORMAT_VERSION, k: 'torn', at: this.now() }, NO_SECRETS);
    return s === '' ? EMPTY : Buffer.from(s, 'utf8');
  }

  /**
   * Records what a write that failed after `done` bytes left at the end of the file. A record cut
   * just before its "\n" is whole: it counts as written and only needs the newline.
   */
  private afterPartialWrite(buf: Buffer, prefixLength: number, done: number): void {
    if (done === 0) return;
    const open = buf[done - 1] !== NL;
    if (done < prefixLength) {
      this.tail = { open, dirty: true };
      return;
    }
    this.unsynced = true;
    if (done === buf.length - 1) {
      const item = this.queue.shift()!;
      if (item.sync) this.syncOwed = true;
      this.tail = { open: true, dirty: false };
      return;
    }
    this.tail = { open, dirty: done > prefixLength };
  }

  private ensureOpen(): void {
    if (this.fd === null) this.fs.mkdir(this.dir);
    if (!this.release) {
      const lock = acquireLock(this.dir, this.id);
      if (!lock.ok) throw new LockHeldError(lock.ownerPid);
      this.release = lock.release;
    }
    if (this.fd !== null) return;
    this.fd = this.fs.open(this.path, this.created ? 'a' : 'wx');
    this.created = true;
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      this.fs.close(this.fd);
    } catch {
      // The descriptor is unusable either way.
    }
    this.fd = null;
  }

  private settle(problem: string | null): void {
    this.problemText = problem;
    this.publish();
  }

  private publish(): void {
    const next: WriterStatus =
      this.problemText === null && this.queue.length === 0 && !this.syncOwed
        ? { ok: true }
        : {
            ok: false,
            problem: this.problemText ?? 'Saving is behind; retrying.',
            unsaved: this.queue.length,
          };
    const prev = this.current;
    const same = prev.ok === next.ok && (prev.ok || (!next.ok && prev.problem === next.problem && prev.unsaved === next.unsaved));
    if (same) return;
    this.current = next;
    for (const l of this.listeners) {
      try {
        l(next);
      } catch {
        // A listener's bug must not stop saving.
      }
    }
  }
}

const EMPTY = Buffer.alloc(0);

class LockHeldError extends Error {
  constructor(pid: number | null) {
    super(`Another inkwell window${pid ? ` (pid ${pid})` : ''} is writing this session, so this window's messages are not saved.`);
  }
}

/** What a new session starts with. */
export interface NewSession {
  /** Model id, e.g. "claude-sonnet-4-5". */
  model: string;
  /** System prompt, or null/undefined for none. */
  system?: string | null;
  /** A title chosen up front; when absent the first prompt becomes the title. */
  title?: string | null;
}

/**
 * Starts a new session: picks a short id (ids.ts), takes its lock, creates `<dir>/<id>.jsonl`
 * (O_EXCL, mode 0600, `dir` created if missing) and writes the header, fsync'd. Never throws for
 * disk trouble: when the directory cannot be written the writer starts with `status.ok === false`,
 * keeps every record in memory and retries at each append, `flush()`, `close()` and on its own
 * every `retryMs` (5 s).
 * Crash safety: every record is one write of one line; a crash leaves at most a cut-short last
 * line, which loading skips and the next writer marks.
 * @param dir the sessions directory
 * @throws only for programming errors (e.g. a broken random source)
 */
export function createSession(dir: string, session: NewSession, opts: WriterOptions = {}): SessionWriter {
  const id = newSessionId(dir);
  const title = session.title != null ? cleanTitle(session.title) : null;
  const writer = new FileSessionWriter(
    {
      dir,
      id,
      create: true,
      release: null,
      tail: { open: false, dirty: false },
      headerTitle: title,
      renamed: null,
      firstPrompt: null,
      system: session.system ?? null,
    },
    opts,
  );
  const now = (opts.now ?? Date.now)();
  writer.writeHeader({
    v: FORMAT_VERSION,
    k: 'session',
    id,
    at: now,
    created: new Date(now).toISOString(),
    model: session.model,
    system: session.system ?? null,
    title,
  });
  return writer;
}
