import type { ManageResult } from './delete.js';
import { openSessionForWriting } from './open.js';
import { SessionNotFoundError } from './load.js';
import { cleanTitle } from './title.js';
import type { WriterOptions } from './store.js';

/**
 * Renames a saved session that is not open in this process (e.g. `inkwell sessions rename`):
 * appends a `title` record, fsync'd; the file is never rewritten. Inside a running chat use
 * `SessionWriter.rename` instead. Refuses a blank title, a session open in another live window,
 * and a damaged or newer-format file (which is never modified).
 * @param dir the sessions directory
 * @returns not ok with plain words when refused or when the disk would not take the record
 * @throws Error for an id that is not a safe file name; the fs error when the file cannot be read
 */
export function renameSession(dir: string, id: string, title: string, opts: WriterOptions = {}): ManageResult {
  if (cleanTitle(title) === null) return { ok: false, reason: 'A title cannot be blank.' };
  let opened;
  try {
    opened = openSessionForWriting(dir, id, opts);
  } catch (e) {
    if (e instanceof SessionNotFoundError) return { ok: false, reason: e.message };
    throw e;
  }
  if (!opened.writer) return { ok: false, reason: opened.readOnly?.reason ?? 'This session cannot be changed.' };
  opened.writer.rename(title);
  const status = opened.writer.close();
  return status.ok ? { ok: true } : { ok: false, reason: status.problem };
}
