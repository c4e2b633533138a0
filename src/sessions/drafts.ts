import { writeFileSync as writeFileAtomicSync } from 'atomically';
import * as fs from 'node:fs';
import path from 'node:path';
import { isSafeSessionId } from './paths.js';
import { NO_SECRETS, type Redactor } from './redact.js';

/**
 * A session's draft: the prompts typed ahead while a reply streamed (the queue, ui/queue.ts) and
 * not sent yet. Kept beside the session's transcript as `<id>.draft.json`, a small JSON document
 * replaced whole and atomically (write a temporary file, rename) on every change, and removed when
 * nothing is queued: a crash, a kill -9 or a power cut loses no queued prompt. The session listing
 * reads only `.jsonl` files (paths.ts), so drafts never show up as sessions.
 *
 * ```
 * {"v":1,"at":1767225600000,"queued":["and in French?","now a haiku"]}
 * ```
 */

/** File name suffix of a session's draft. */
export const DRAFT_EXT = '.draft.json';

/** Format version written in `v`; a larger `v` is a newer inkwell's and is not read. */
const DRAFT_VERSION = 1;

/**
 * Path of a session's draft file.
 * @throws Error when `id` is not a safe session id (it could escape the directory)
 */
export function draftPath(dir: string, id: string): string {
  if (!isSafeSessionId(id)) throw new Error(`"${id}" is not a session id`);
  return path.join(dir, id + DRAFT_EXT);
}

/**
 * Saves the queued prompts of session `id` (an empty list removes the draft).
 * @param dir the sessions directory
 * @param queued the prompts, oldest first
 * @param redactor hides the credentials in use, as in the session file (default: nothing hidden)
 * @returns null when saved, else plain words saying why not (never throws for I/O)
 * @throws Error for an id that is not a safe file name
 */
export function saveDraft(dir: string, id: string, queued: readonly string[], redactor: Redactor = NO_SECRETS): string | null {
  const file = draftPath(dir, id);
  try {
    if (queued.length === 0) {
      fs.rmSync(file, { force: true });
      return null;
    }
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(file, `${redactor.stringify({ v: DRAFT_VERSION, at: Date.now(), queued })}\n`);
    return null;
  } catch (e) {
    return `Could not save the queued prompts: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * The queued prompts saved for session `id`, oldest first; [] when there is no draft, or it
 * cannot be read, or it is not a draft this version understands (it is then left alone).
 * @throws Error for an id that is not a safe file name
 */
export function loadDraft(dir: string, id: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(draftPath(dir, id), 'utf8');
  } catch {
    return [];
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (typeof doc !== 'object' || doc === null || !('queued' in doc) || !('v' in doc)) return [];
    if (typeof doc.v !== 'number' || doc.v > DRAFT_VERSION || !Array.isArray(doc.queued)) return [];
    return doc.queued.filter((q): q is string => typeof q === 'string' && q.trim() !== '');
  } catch {
    return [];
  }
}
