import * as fs from 'node:fs';
import type { SessionSummary } from '../../sessions/list.js';
import { sessionPath } from '../../sessions/paths.js';

/**
 * Searching the session list (pure except {@link makeContentIndex}, which reads files).
 *
 * A query is split into words at whitespace; a session matches when every word occurs,
 * case-insensitively, in its title, or — when a content source is given — in its title or its
 * text (each word may be found in either). Title matches come first, then content-only matches;
 * each group is newest first (`updatedAt`, ties by id).
 */

/** Sessions newest first (`updatedAt` descending, ties by id), as `listSessions` orders them. */
function newestFirst(a: SessionSummary, b: SessionSummary): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The words of a query: split at whitespace, empty words dropped (case is kept; matching ignores it). */
export function queryWords(query: string): string[] {
  return query.split(/\s+/).filter((w) => w !== '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The sessions that match a search query, best first.
 * @param summaries the sessions to search (not modified)
 * @param query what the user typed; blank → every session, newest first
 * @param contentOf the searchable text of a session by id, or null when it has none or cannot be
 *   read (see {@link makeContentIndex}); called only for sessions whose title does not match, at
 *   most once per session per call. Omit it to search titles only.
 * @returns title matches newest first, then content matches newest first; a new array
 */
export function filterSessions(
  summaries: readonly SessionSummary[],
  query: string,
  contentOf?: (id: string) => string | null,
): SessionSummary[] {
  const words = queryWords(query);
  if (words.length === 0) return [...summaries].sort(newestFirst);
  // One case-insensitive pattern per word: no lower-cased copy of a (possibly large) text per keystroke.
  const patterns = words.map((w) => new RegExp(escapeRegExp(w), 'i'));
  const byTitle: SessionSummary[] = [];
  const byContent: SessionSummary[] = [];
  for (const s of summaries) {
    const missing = patterns.filter((p) => !p.test(s.title));
    if (missing.length === 0) {
      byTitle.push(s);
      continue;
    }
    if (!contentOf) continue;
    const text = contentOf(s.id);
    if (text !== null && missing.every((p) => p.test(text))) byContent.push(s);
  }
  return [...byTitle.sort(newestFirst), ...byContent.sort(newestFirst)];
}

/** Bytes of a session file read for content search, from its start (512 KiB). */
export const CONTENT_MAX_BYTES = 512 * 1024;

/** Options of {@link makeContentIndex}. */
export interface ContentIndexOptions {
  /** Bytes read from the start of each file; the rest is not searched. Default {@link CONTENT_MAX_BYTES}. */
  maxBytes?: number;
}

/** A JSON object key in a JSONL line, e.g. `"text":`. */
const JSON_KEY = /"[A-Za-z_][A-Za-z0-9_]*":/g;
/** A JSON string escape. */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: ' ', f: ' ', n: '\n', r: ' ', t: ' ' };

/**
 * The searchable text of a session file's raw JSONL: object keys removed and string escapes
 * decoded, so `"text":"a \"b\""` searches as ` a "b"`. Structural values (ids, the model name,
 * record kinds such as "assistant") stay in and can match too. Pure.
 */
export function searchableText(raw: string): string {
  return raw
    .replace(JSON_KEY, ' ')
    .replace(JSON_ESCAPE, (_m, hex: string | undefined, ch: string | undefined) =>
      hex !== undefined ? String.fromCharCode(Number.parseInt(hex, 16)) : SIMPLE_ESCAPES[ch!]!,
    );
}

/**
 * A `contentOf` for {@link filterSessions} over the session files in `dir`: reads a session's
 * file the first time it is asked for (at most `maxBytes` from the start, {@link CONTENT_MAX_BYTES}
 * by default), keeps its {@link searchableText} in memory, and answers from memory after that.
 * Make a new one each time the picker opens, so a file that has grown since is read again.
 * @param dir the sessions directory
 * @returns `(id) → text`, or null when the file is missing, unreadable or the id is unsafe;
 *   never throws
 */
export function makeContentIndex(dir: string, opts: ContentIndexOptions = {}): (id: string) => string | null {
  const maxBytes = Math.max(0, opts.maxBytes ?? CONTENT_MAX_BYTES);
  const cache = new Map<string, string | null>();
  return (id) => {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    let text: string | null = null;
    let fd: number | null = null;
    try {
      fd = fs.openSync(sessionPath(dir, id), 'r');
      const buf = Buffer.alloc(Math.min(maxBytes, fs.fstatSync(fd).size));
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, got);
        if (n === 0) break;
        got += n;
      }
      text = searchableText(buf.toString('utf8', 0, got));
    } catch {
      text = null;
    } finally {
      if (fd !== null) {
        try {
          fs.closeSync(fd);
        } catch {
          // Nothing to do: the text (if any) was read.
        }
      }
    }
    cache.set(id, text);
    return text;
  };
}
