import * as fs from 'node:fs';
import path from 'node:path';
import { idFromFileName } from './paths.js';
import { type DocRole, docTitle, emptyDocState, readDocs } from './search-docs.js';
import { ftsQuery, type IndexMatch, removeIndexFiles, SEARCH_INDEX_NAME, SearchIndex } from './search-index.js';
import { makeSnippet, type SearchHit, type SearchResult, searchWords, type WordMatcher, wordMatcher } from './search-types.js';

/** Options of {@link searchSessions}. */
export interface SearchOptions {
  /** Most hits returned (newest sessions first); default 50. */
  limit?: number;
  /**
   * `auto` (default): the index when `node:sqlite` loads, else a scan; `scan`: read every file
   * (no index is touched). The environment variable `INKWELL_SEARCH=scan` does the same for the CLI.
   */
  engine?: 'auto' | 'scan';
}

/** Default {@link SearchOptions.limit}. */
export const SEARCH_LIMIT = 50;

/**
 * Searches the titles and the text of every message of every session in `dir` for `query`: a
 * session matches when one of its texts (a prompt, a reply's text, or the title) holds every word
 * of the query, each as the start of a word, case and accents ignored. Hits are newest first (by
 * the session's last activity), each with its newest matching message and a snippet around it.
 *
 * Uses the index beside the sessions (search-index.ts), brought up to date first; an index that
 * is damaged or of another version is rebuilt silently, and when it still cannot be used (no
 * `node:sqlite`, a read-only directory) every file is read instead, with the same answer, slower.
 * Never modifies a session file.
 * @param dir the sessions directory (missing: no hits)
 * @param query what the user typed; words without a letter or digit are ignored
 * @throws never for a missing directory; the fs error when `dir` cannot be read
 */
export function searchSessions(dir: string, query: string, opts: SearchOptions = {}): SearchResult {
  const words = searchWords(query);
  if (words.length === 0) return { hits: [], total: 0, engine: 'scan' };
  const limit = Math.max(1, opts.limit ?? SEARCH_LIMIT);
  const matcher = wordMatcher(words);
  if (opts.engine !== 'scan') {
    const found = withIndex(dir, (index) => {
      const files = index.refresh();
      const matches = index.match(ftsQuery(words));
      return { files, matches, index };
    });
    if (found) {
      const { files, matches, index } = found.value;
      const ordered = matches
        .filter((m) => files.has(m.num))
        .sort((a, b) => {
          const fa = files.get(a.num)!;
          const fb = files.get(b.num)!;
          return fb.updatedAt - fa.updatedAt || (fa.session < fb.session ? -1 : 1);
        });
      const hits: SearchHit[] = [];
      for (const m of ordered.slice(0, limit)) {
        const f = files.get(m.num)!;
        const d = index.doc(m.top, m.count, f.session);
        if (d) hits.push(hitFromMatch(d, f, index, matcher));
      }
      found.close();
      return { hits, total: ordered.length, engine: 'index' };
    }
  }
  return scanSessions(dir, matcher, limit);
}

/** Runs `fn` on the index, rebuilding it once when it fails; null when no index can be used. */
function withIndex<T>(dir: string, fn: (index: SearchIndex) => T): { value: T; close: () => void } | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    let index: SearchIndex | null = null;
    try {
      index = SearchIndex.open(dir);
      if (!index) return null;
      const value = fn(index);
      const open = index;
      return { value, close: () => open.close() };
    } catch {
      try {
        index?.close();
      } catch {
        // Already unusable.
      }
      // A damaged index: delete it and build it again (the session files are only read).
      if (attempt === 0) removeIndexFiles(path.join(dir, SEARCH_INDEX_NAME));
    }
  }
  return null;
}

function hitFromMatch(
  m: IndexMatch,
  f: { title: string; createdAt: number; updatedAt: number },
  index: SearchIndex,
  matcher: WordMatcher,
): SearchHit {
  const text = m.role === 'title' ? f.title : (index.textOf(m) ?? f.title);
  return {
    sessionId: m.session,
    title: f.title,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    messageId: m.role === 'title' ? null : m.msg,
    role: m.role,
    at: m.role === 'title' ? 0 : m.at,
    ...makeSnippet(text, matcher),
    matches: m.count,
  };
}

/** The same search by reading every session file (no index). */
function scanSessions(dir: string, matcher: WordMatcher, limit: number): SearchResult {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { hits: [], total: 0, engine: 'scan' };
    throw e;
  }
  const hits: SearchHit[] = [];
  for (const name of names) {
    const id = idFromFileName(name);
    if (id === null) continue;
    let buf: Buffer;
    let mtimeMs: number;
    try {
      const file = path.join(dir, name);
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      mtimeMs = st.mtimeMs;
      buf = fs.readFileSync(file);
    } catch {
      continue;
    }
    const state = emptyDocState();
    const docs = new Map<string, { role: DocRole; at: number; text: string }>();
    readDocs(buf, state, {
      put: (msg, role, at, text) => {
        docs.delete(msg);
        docs.set(msg, { role, at, text });
      },
      drop: (msg) => docs.delete(msg),
    });
    const title = docTitle(state);
    let best: { msg: string | null; role: DocRole; at: number; text: string } | null = null;
    let count = 0;
    for (const [msg, d] of docs) {
      if (!matcher.all(d.text)) continue;
      count++;
      if (!best || d.at >= best.at) best = { msg, ...d };
    }
    if (matcher.all(title)) {
      count++;
      best ??= { msg: null, role: 'title', at: 0, text: title };
    }
    if (!best) continue;
    hits.push({
      sessionId: id,
      title,
      createdAt: state.createdAt || mtimeMs,
      updatedAt: state.updatedAt || mtimeMs,
      messageId: best.msg,
      role: best.role,
      at: best.at,
      ...makeSnippet(best.text, matcher),
      matches: count,
    });
  }
  hits.sort((a, b) => b.updatedAt - a.updatedAt || (a.sessionId < b.sessionId ? -1 : 1));
  return { hits: hits.slice(0, limit), total: hits.length, engine: 'scan' };
}
