import * as fs from 'node:fs';
import { acquireLock } from './lock.js';
import { draftPath } from './drafts.js';
import { sessionPath } from './paths.js';

/** Result of a delete or rename that the user asked for. */
export type ManageResult = { ok: true } | { ok: false; reason: string };

/**
 * Deletes a session's file, because the user asked to. Refuses while another live inkwell window
 * holds the session; takes over a stale lock first so no window can open it mid-delete, then
 * removes the transcript and the lock. Damaged files can be deleted like any other.
 * Crash safety: the transcript goes in one unlink; a crash after it leaves at most a stale lock,
 * which the next acquire takes over.
 * @param dir the sessions directory
 * @returns not ok with plain words when there is no such session, it is open elsewhere, or the
 *   file cannot be removed; never throws for those
 * @throws Error for an id that is not a safe file name
 */
export function deleteSession(dir: string, id: string): ManageResult {
  const file = sessionPath(dir, id);
  if (!fs.existsSync(file)) return { ok: false, reason: `There is no session "${id}".` };
  let lock;
  try {
    lock = acquireLock(dir, id);
  } catch (e) {
    return { ok: false, reason: `Could not delete session "${id}": ${(e as Error).message}` };
  }
  if (!lock.ok) {
    const who = lock.ownerPid ? ` (pid ${lock.ownerPid})` : '';
    return { ok: false, reason: `Session "${id}" is open in another inkwell window${who}; close it there first.` };
  }
  try {
    fs.unlinkSync(file);
    // Its queued prompts (if any) go with it.
    fs.rmSync(draftPath(dir, id), { force: true });
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `Could not delete session "${id}": ${(e as Error).message}` };
  } finally {
    lock.release();
  }
}
