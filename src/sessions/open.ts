import * as fs from 'node:fs';
import { acquireLock, type LockResult } from './lock.js';
import { loadSession, type LoadedSession } from './load.js';
import { describeSaveError } from './problems.js';
import { FileSessionWriter, type SessionWriter, type WriterOptions } from './store.js';
import { sessionPath } from './paths.js';
import { UNTITLED } from './title.js';

/** A session opened to continue it: the transcript, and a writer unless it must stay read-only. */
export interface OpenedSession {
  loaded: LoadedSession;
  /** Appends to the session; null when read-only, or when the file was empty (a new session is created at the first prompt). */
  writer: SessionWriter | null;
  /** Why the session is read-only, in plain words for the status line; null when writable. */
  /** The file was empty and is gone: a new session (its header, a guess, says nothing). */
  fresh?: boolean;
  readOnly: null | {
    reason: string;
    /** pid of the other inkwell window that holds the session, when that is the reason. */
    ownerPid: number | null;
  };
}

/**
 * Opens a saved session to continue it (resume / continue): takes its lock, then loads it, so
 * nothing can be appended between the read and this window's first write.
 * - Another live window holds the lock → loaded, `writer: null`, read-only with its pid. A lock
 *   left by a dead process is taken over.
 * - Damaged or written by a newer inkwell → loaded (readable part), `writer: null`, read-only; the
 *   lock is released and the file is left untouched.
 * - The lock cannot be written (read-only disk, …) → loaded, with a writer whose status already
 *   reports the problem; it keeps records in memory and retries (lock first) at each append.
 * - A zero-byte file (killed before its header was written) → removed; returned with no writer
 *   and not read-only, so the caller saves the conversation as a new session from its first prompt.
 * A file whose last line was cut short gets, at the first append, a newline and a `torn` record so
 * the cut line is skipped quietly from then on; nothing already in the file is changed.
 * @param dir the sessions directory
 * @throws SessionNotFoundError when the session does not exist; the fs error when the file cannot
 *   be read; Error for an unsafe id
 */
export function openSessionForWriting(dir: string, id: string, opts: WriterOptions = {}): OpenedSession {
  sessionPath(dir, id); // validates the id before touching anything
  let lock: LockResult | null = null;
  let lockProblem: string | null = null;
  try {
    lock = acquireLock(dir, id);
  } catch (e) {
    lockProblem = describeSaveError(e, sessionPath(dir, id));
  }
  if (lock && !lock.ok) {
    const who = lock.ownerPid ? ` (pid ${lock.ownerPid})` : '';
    return {
      loaded: loadSession(dir, id),
      writer: null,
      readOnly: { reason: `This session is open in another inkwell window${who}, so it opens read-only here.`, ownerPid: lock.ownerPid },
    };
  }
  const release = lock?.ok ? lock.release : null;
  let loaded: LoadedSession;
  try {
    loaded = loadSession(dir, id);
  } catch (e) {
    release?.();
    throw e;
  }
  if (loaded.tail === 'empty' && release) {
    // A zero-byte file: a session whose header never got written (killed between creating the
    // file and writing it). Nothing in it to keep: remove it (under the lock) and go on as a new
    // session, saved from its first prompt, instead of a read-only "damaged" one forever.
    try {
      fs.unlinkSync(sessionPath(dir, id));
    } catch {
      // Left as it is: a later open finds it empty again.
    }
    release();
    return { loaded: { ...loaded, problems: [], damaged: false, readOnlyReason: null }, writer: null, readOnly: null, fresh: true };
  }
  if (loaded.readOnlyReason !== null) {
    release?.();
    return { loaded, writer: null, readOnly: { reason: loaded.readOnlyReason, ownerPid: null } };
  }
  const headerTitle = loaded.header.title;
  const firstUser = loaded.messages.find((m) => m.role === 'user');
  const writer = new FileSessionWriter(
    {
      dir,
      id,
      create: false,
      release,
      tail: {
        open: loaded.tail === 'unterminated' || loaded.tail === 'torn',
        dirty: loaded.tail === 'torn',
      },
      headerTitle,
      // The effective title is settled unless the session has neither a title nor a prompt yet.
      renamed: firstUser || headerTitle !== null || loaded.title !== UNTITLED ? loaded.title : null,
      firstPrompt: firstUser?.text ?? null,
      system: loaded.system,
    },
    opts,
  );
  if (lockProblem !== null) writer.startWithProblem(lockProblem);
  return { loaded, writer, readOnly: null };
}
