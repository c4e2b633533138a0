import path from 'node:path';

/**
 * Where a session's files live inside the sessions directory. Every function takes `dir` (the
 * sessions directory, e.g. `<data dir>/sessions` from src/config/paths.ts) so tests and
 * `INKWELL_HOME` need no globals.
 */

/** File name suffix of a session transcript (one JSON record per line). */
export const SESSION_EXT = '.jsonl';

/** File name suffix of a session's lock file (holds the owner's pid). */
export const LOCK_EXT = '.lock';

/** Name of the listing cache inside the sessions directory (a cache: always verified, never trusted). */
export const LIST_CACHE_NAME = '.list-cache.json';

/**
 * Ids that are safe as a file name: letters, digits, `-` and `_`, 1–64 characters. inkwell's own
 * ids (ids.ts) are a subset; files copied in by hand with other safe names still list and open.
 */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `id` can name a session file (no separators, no dots, not empty). */
export function isSafeSessionId(id: string): boolean {
  return SAFE_ID.test(id);
}

function checked(id: string): string {
  if (!isSafeSessionId(id)) throw new Error(`"${id}" is not a session id`);
  return id;
}

/**
 * Absolute or dir-relative path of a session transcript.
 * @throws Error when `id` could escape the directory (contains a separator, a dot, …)
 */
export function sessionPath(dir: string, id: string): string {
  return path.join(dir, checked(id) + SESSION_EXT);
}

/**
 * Path of a session's lock file.
 * @throws Error when `id` is not a safe id (see {@link sessionPath})
 */
export function lockPath(dir: string, id: string): string {
  return path.join(dir, checked(id) + LOCK_EXT);
}

/** The session id a directory entry names, or null when it is not a session transcript. */
export function idFromFileName(name: string): string | null {
  if (!name.endsWith(SESSION_EXT)) return null;
  const id = name.slice(0, -SESSION_EXT.length);
  return isSafeSessionId(id) ? id : null;
}
