/** What a session search answers (search.ts), whichever way it searched. */

/** One session that matches a search, with the message that matched. */
export interface SearchHit {
  /** Session id. */
  sessionId: string;
  /** The session's title now. */
  title: string;
  /** ms since the epoch: the session's creation. */
  createdAt: number;
  /** ms since the epoch: the session's last record (hits are ordered by it, newest first). */
  updatedAt: number;
  /** The message shown in the snippet: its id, or null when only the title matched. */
  messageId: string | null;
  /** Whose text matched: a prompt, a reply, or the title. */
  role: 'user' | 'assistant' | 'title';
  /** ms since the epoch when that message was written (0 for the title). */
  at: number;
  /** A few words around the match, on one line, plain text (no escapes). */
  snippet: string;
  /** The matched words in `snippet`: [start, end) offsets in UTF-16 code units, in order. */
  highlights: Array<[number, number]>;
  /** How many texts (messages and the title) of the session match. */
  matches: number;
}

/** The result of a search. */
export interface SearchResult {
  /** The matching sessions, newest first, at most the limit asked for. */
  hits: SearchHit[];
  /** How many sessions match in all (may be more than `hits`). */
  total: number;
  /** `index`: the SQLite FTS5 index; `scan`: every file read (node:sqlite unavailable or the index unusable). */
  engine: 'index' | 'scan';
}

/** Words of a search: split at whitespace; words with no letter or digit are dropped. */
export function searchWords(query: string): string[] {
  return query.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** Characters of text kept before the first match in a snippet. */
const SNIPPET_BEFORE = 30;
/** Longest snippet, in characters (before the ellipses). */
export const SNIPPET_CHARS = 100;

/**
 * Text folded for matching, one UTF-16 unit for one (so offsets carry over): lower case, accents
 * removed where a character decomposes to one base letter (as SQLite's unicode61 tokenizer with
 * `remove_diacritics 2` does).
 */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x80) {
      out += code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : c;
      continue;
    }
    const base = c.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const lower = c.toLowerCase();
    out += base.length === 1 ? base : lower.length === 1 ? lower : c;
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher for the words of a search: a word matches where a token of the text starts with it
 * (case and accents ignored), as the index's prefix queries do.
 */
export interface WordMatcher {
  /** True when every word matches somewhere in `text`. */
  all(text: string): boolean;
  /** Every match of any word in `text`: [start, end) offsets, in order, not overlapping. */
  ranges(text: string): Array<[number, number]>;
}

/** Builds the {@link WordMatcher} of a search's words (see {@link searchWords}). */
export function wordMatcher(words: readonly string[]): WordMatcher {
  const folded = words.map((w) => fold(w));
  const each = folded.map((w) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(w)}`, 'u'));
  const any = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${[...folded]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})`,
    'gu',
  );
  return {
    all: (text) => {
      const f = fold(text);
      return each.every((r) => r.test(f));
    },
    ranges: (text) => {
      const out: Array<[number, number]> = [];
      if (folded.length === 0) return out;
      for (const m of fold(text).matchAll(any)) out.push([m.index, m.index + m[0].length]);
      return out;
    },
  };
}

/**
 * A few words of `text` around its first match, on one line, with the matches in it.
 * @param text a message's text (or a title)
 * @returns the snippet (whitespace collapsed, "…" where the text was cut) and the offsets of the
 *   matched words in it
 */
export function makeSnippet(text: string, matcher: WordMatcher): { snippet: string; highlights: Array<[number, number]> } {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ranges = matcher.ranges(flat);
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - SNIPPET_BEFORE);
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + SNIPPET_CHARS);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > first && space > start) end = space;
  }
  const head = start > 0 ? '…' : '';
  const tail = end < flat.length ? '…' : '';
  const snippet = head + flat.slice(start, end) + tail;
  const highlights: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    if (a >= end) break;
    if (a < start) continue;
    highlights.push([a - start + head.length, Math.min(b, end) - start + head.length]);
  }
  return { snippet, highlights };
}
