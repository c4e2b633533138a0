import { homedir } from 'node:os';
import type { Message } from '../domain/types.js';
import type { Redactor } from '../domain/redact.js';
import {
  createSession,
  deleteSession,
  exportJson,
  exportMarkdown,
  listSessions,
  loadDraft,
  loadSession,
  openSessionForWriting,
  renameSession,
  resolveExportPath,
  writeExportFile,
  saveDraft,
  type LoadedSession,
  type SessionSummary,
} from '../sessions/index.js';
import type { ChatEngine } from './engine.js';
import type { TitleRequester } from './auto-title.js';
import { SessionRecorder, type RecorderStatus } from './recorder.js';

/** What a read-only window's notice adds: nothing is saved, and the way on. */
export const READ_ONLY_ADVICE = 'Nothing you send here is saved; /fork continues in a new session that is.';

/** A plain-words result of a session action. */
export type ActionResult = { ok: true; message: string } | { ok: false; reason: string };

/** The result of `/export`: `exists` when the target is there and replacing it needs `--force`. */
export type ExportResult = { ok: true; message: string; path: string } | { ok: false; reason: string; exists?: boolean };

/**
 * The session side of the app: which session the engine saves into, and the actions of the
 * `/new`, `/sessions`, `/resume`, `/rename` and `/export` commands. Owns the current recorder.
 */
export class SessionControl {
  private recorder: SessionRecorder;
  private readonly listeners = new Set<() => void>();
  private unsub: () => void;
  private snapshot: RecorderStatus;
  private readonly offEngine: () => void;
  private system: string | null;
  /** The title of the session last opened (a read-only window has no writer to ask). */
  private loadedTitle: string | null = null;

  constructor(
    private readonly engine: ChatEngine,
    private readonly o: { dir: string; model: string; system: string | null; redactor: Redactor; autoTitle?: TitleRequester | null },
    recorder: SessionRecorder,
  ) {
    this.recorder = recorder;
    this.unsub = recorder.subscribe(() => this.changed());
    this.snapshot = recorder.status();
    engine.setSink(recorder);
    // /system (and --system on resuming) is saved with the session, from where it takes effect.
    this.system = engine.settings.system;
    recorder.setSystem(this.system);
    this.offEngine = engine.subscribe(() => {
      const system = engine.settings.system;
      if (system === this.system) return;
      this.system = system;
      this.recorder.setSystem(system);
    });
  }

  /** The sessions directory. */
  get dir(): string {
    return this.o.dir;
  }

  /** For useSyncExternalStore: the status of the session being saved. */
  status = (): RecorderStatus => this.snapshot;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private changed(): void {
    this.snapshot = this.recorder.status();
    for (const l of this.listeners) l();
  }

  private use(recorder: SessionRecorder): void {
    this.unsub();
    this.recorder.close();
    this.recorder = recorder;
    this.unsub = recorder.subscribe(() => this.changed());
    this.changed();
  }

  /** Every saved session, newest first. */
  list(): SessionSummary[] {
    try {
      return listSessions(this.o.dir);
    } catch {
      return [];
    }
  }

  /** `/new`: an empty conversation, saved as a new session from its first prompt. */
  async newConversation(): Promise<void> {
    const next = new SessionRecorder({
      dir: this.o.dir,
      model: this.o.model,
      system: this.engine.settings.system,
      redactor: this.o.redactor,
      autoTitle: this.o.autoTitle ?? null,
    });
    await this.engine.replaceConversation(next);
    this.use(next);
  }

  /**
   * Opens a saved session in the engine: rebuilds the transcript and totals; read-only when
   * another window holds it; damaged files open with their readable part and a notice.
   */
  async open(id: string): Promise<ActionResult> {
    if (id === this.snapshot.id) return { ok: true, message: 'That session is already open.' };
    let opened;
    try {
      opened = openSessionForWriting(this.o.dir, id, { redactor: this.o.redactor });
    } catch (e) {
      return { ok: false, reason: `Could not open session ${id}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const { loaded, writer, readOnly } = opened;
    const recorder = new SessionRecorder({
      dir: this.o.dir,
      model: this.o.model,
      system: this.o.system,
      redactor: this.o.redactor,
      writer,
      readOnly: readOnly?.reason ?? null,
      sideRequests: loaded.sideRequests,
    });
    await this.engine.replaceConversation(recorder, {
      messages: loaded.messages as Message[],
      totals: loaded.totals,
      lastUsage: loaded.lastUsage,
    });
    this.use(recorder);
    // The session's own system prompt comes back with it (after `use`: it is already this session's).
    this.system = loaded.system;
    this.engine.configure({ system: loaded.system });
    this.reportLoad(loaded, readOnly?.reason ?? null);
    return { ok: true, message: `Opened "${loaded.title}".` };
  }

  /** Notices about a loaded session: damage and read-only (and that /fork saves a copy). */
  reportLoad(loaded: LoadedSession, readOnly: string | null): void {
    this.loadedTitle = loaded.title;
    for (const p of loaded.problems) this.engine.notify('warning', p);
    if (readOnly) this.engine.notify('warning', `${readOnly} ${READ_ONLY_ADVICE}`);
  }

  /**
   * `/fork`: copies the conversation as it is (prompts, replies, notices) into a new session file
   * and saves into it from now on; the session it came from is left as it is. The way on from a
   * read-only window (another window holds the session, or the file is damaged or newer).
   * @returns not ok while a reply streams
   */
  fork(): ActionResult {
    if (this.engine.getState().phase !== 'idle')
      return { ok: false, reason: 'A reply is still streaming: wait for it (or press Esc), then /fork.' };
    const { messages } = this.engine.getState();
    const from = this.snapshot.title ?? this.loadedTitle;
    const writer = createSession(
      this.o.dir,
      { model: this.engine.settings.model, system: this.engine.settings.system, title: from ? `${from} (fork)` : null },
      { redactor: this.o.redactor },
    );
    for (const m of messages) {
      if (m.role === 'user') writer.appendUser(m);
      else if (m.role === 'assistant') writer.appendAssistant(m);
      else writer.appendNotice(m);
    }
    const recorder = new SessionRecorder({
      dir: this.o.dir,
      model: this.engine.settings.model,
      system: this.engine.settings.system,
      redactor: this.o.redactor,
      writer,
    });
    this.engine.setSink(recorder);
    this.use(recorder);
    this.loadedTitle = null;
    return { ok: true, message: `Forked into a new session (${writer.id}): what you send from here on is saved there.` };
  }

  /** `/rename <title>`. */
  rename(title: string): ActionResult {
    if (!this.snapshot.id) return { ok: false, reason: 'Nothing to rename yet: the session is saved from its first prompt.' };
    if (this.snapshot.readOnly) return { ok: false, reason: 'This session is read-only here.' };
    return this.recorder.rename(title)
      ? { ok: true, message: `Renamed to "${title.trim()}".` }
      : { ok: false, reason: 'A title cannot be blank.' };
  }

  /** Renames another session from the picker. */
  renameOther(id: string, title: string): { ok: true } | { ok: false; reason: string } {
    if (id === this.snapshot.id) {
      const r = this.rename(title);
      return r.ok ? { ok: true } : r;
    }
    return renameSession(this.o.dir, id, title, { redactor: this.o.redactor });
  }

  /** Deletes a session from the picker (never the open one). */
  delete(id: string): { ok: true } | { ok: false; reason: string } {
    if (id === this.snapshot.id) return { ok: false, reason: 'That session is open here; start /new first.' };
    return deleteSession(this.o.dir, id);
  }

  /**
   * `/export [file]`: the current session as markdown (or JSON for a .json file); the default
   * file is `inkwell-<id>.md`. `~` is the home folder and a relative name is relative to the
   * working directory; the message names the absolute path written. An existing file is never
   * replaced unless `force` (sessions/export-file.ts: O_EXCL, no symlink followed, mode 0600).
   * @param where the working directory and home folder (default: the process's)
   */
  exportCurrent(
    file: string | null,
    force = false,
    where: { cwd: string; home: string } = { cwd: process.cwd(), home: homedir() },
  ): ExportResult {
    const id = this.snapshot.id;
    if (!id) return { ok: false, reason: 'Nothing to export yet.' };
    this.recorder.flush();
    let text: string;
    const target = resolveExportPath(file ?? `inkwell-${id}.md`, where.cwd, where.home);
    try {
      const loaded = loadSession(this.o.dir, id);
      text = target.endsWith('.json')
        ? exportJson(loaded, { redactor: this.o.redactor })
        : exportMarkdown(loaded, { redactor: this.o.redactor });
    } catch (e) {
      return { ok: false, reason: `Could not export: ${e instanceof Error ? e.message : String(e)}` };
    }
    const r = writeExportFile(target, text, { force });
    if (!r.ok) return { ok: false, reason: `Could not export: ${r.reason}.`, exists: r.exists };
    return { ok: true, message: `${r.replaced ? 'Replaced' : 'Exported to'} ${r.path}.`, path: r.path };
  }

  /**
   * The current session as markdown (`/copy all`), as `/export` writes it, credentials redacted.
   * @returns not ok with plain words before the first prompt or when the file cannot be read
   */
  markdown(): { ok: true; text: string } | { ok: false; reason: string } {
    const id = this.snapshot.id;
    if (!id) return { ok: false, reason: 'Nothing to copy yet.' };
    this.recorder.flush();
    try {
      return { ok: true, text: exportMarkdown(loadSession(this.o.dir, id), { redactor: this.o.redactor }) };
    } catch (e) {
      return { ok: false, reason: `Could not read the session: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /**
   * Saves the prompts queued for the open session as its draft (sessions/drafts.ts), so a crash
   * loses none; an empty list removes the draft. Nothing is written before the session exists or
   * while it is read-only here.
   * @returns null when saved (or nothing to save into), else plain words saying why not
   */
  saveDraft(queued: readonly string[]): string | null {
    const { id, readOnly } = this.snapshot;
    if (!id || readOnly) return null;
    return saveDraft(this.o.dir, id, queued, this.o.redactor);
  }

  /** The prompts queued and not sent when the open session was last used ([] for none). */
  loadDraft(): string[] {
    const { id, readOnly } = this.snapshot;
    return id && !readOnly ? loadDraft(this.o.dir, id) : [];
  }

  /** Flushes and closes the session file (on quit). */
  close(): void {
    this.offEngine();
    this.unsub();
    this.recorder.close();
  }
}
