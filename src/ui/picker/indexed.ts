import { searchSessions } from '../../sessions/index.js';

/** Most sessions the picker's search asks the index for. */
const PICKER_LIMIT = 10_000;

/**
 * The picker's `searchContent` over the search index beside the sessions (sessions/search.ts, the
 * same index `inkwell sessions search` uses): the matching sessions, each with its newest matching
 * message id (null when only the title matched). Answers are kept per query while the picker is
 * open; make a new one each time it opens. Never throws (a failed search matches nothing).
 * @param dir the sessions directory
 */
export function indexedSearch(dir: string): (query: string) => ReadonlyMap<string, string | null> {
  const cache = new Map<string, ReadonlyMap<string, string | null>>();
  return (query) => {
    const key = query.trim();
    const hit = cache.get(key);
    if (hit) return hit;
    const out = new Map<string, string | null>();
    try {
      for (const h of searchSessions(dir, key, { limit: PICKER_LIMIT }).hits) out.set(h.sessionId, h.messageId);
    } catch {
      // An unreadable directory: nothing matches by text (titles still do).
    }
    cache.set(key, out);
    return out;
  };
}
