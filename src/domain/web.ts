import type { AssistantMessage, Citation, ContentBlock } from './types.js';
import { citationsOf, isServerToolResult, isTextBlock, type WireObject } from './wire.js';

/**
 * What a reply's web searches, fetches and citations look like in words: the live line of each
 * search or fetch, the line of each result (count and domains, or the error in plain words), and
 * the numbered sources the cited text points to. Pure. Wire shapes: docs/WEB.md.
 */

/** One source of a reply: the number its references show, and where it is. */
export interface Source {
  /** 1-based, in order of first citation. */
  n: number;
  /** The page's title as the API sent it (untrusted), or the URL when there is none. */
  title: string;
  /** The cited URL (untrusted), or null for a citation without one (a document). */
  url: string | null;
  /** The URL's host without `www.`, or "" when there is no URL. */
  domain: string;
}

/** A reply's sources and, per content block index, the numbers of the sources it cites. */
export interface ReplySources {
  sources: Source[];
  /** Block index → source numbers, in order, each once. */
  refs: Map<number, number[]>;
}

/** The host of a URL without `www.`, or "" when it does not parse. */
export function domainOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** The key two citations of the same source share (its URL, else its title). */
export function sourceKey(c: Citation): string {
  return c.url ? `u:${c.url}` : `t:${c.title ?? c.document_title ?? c.cited_text ?? c.type}`;
}

/**
 * The numbered sources of a reply, in the order they are first cited, each URL once.
 * @param content the reply's content blocks
 */
export function replySources(content: readonly ContentBlock[]): ReplySources {
  const byKey = new Map<string, Source>();
  const refs = new Map<number, number[]>();
  content.forEach((b, i) => {
    if (!isTextBlock(b)) return;
    const cites = citationsOf(b);
    if (cites.length === 0) return;
    const ns: number[] = [];
    for (const c of cites) {
      const key = sourceKey(c);
      let s = byKey.get(key);
      if (!s) {
        const url = typeof c.url === 'string' && c.url !== '' ? c.url : null;
        const title = (c.title || (typeof c.document_title === 'string' ? c.document_title : '') || url || c.cited_text || c.type).trim();
        s = { n: byKey.size + 1, title, url, domain: url ? domainOf(url) : '' };
        byKey.set(key, s);
      }
      if (!ns.includes(s.n)) ns.push(s.n);
    }
    refs.set(i, ns);
  });
  return { sources: [...byKey.values()], refs };
}

/** The sources of a whole message (cached per message object: messages are never modified). */
const sourcesCache = new WeakMap<AssistantMessage, ReplySources>();

/** {@link replySources} of a message, cached. */
export function messageSources(m: AssistantMessage): ReplySources {
  let s = sourcesCache.get(m);
  if (!s) {
    s = replySources(m.content);
    sourcesCache.set(m, s);
  }
  return s;
}

/** `[1][2]`: the references of a cited block. */
export function refMarks(ns: readonly number[]): string {
  return ns.map((n) => `[${n}]`).join('');
}

/**
 * The value of one string field of a JSON object that is still streaming, e.g. the query of
 * `{"query": "san fr` → `san fr`. Escapes are decoded as far as they are complete.
 */
export function partialJsonString(partialJson: string, field: string): string | null {
  const m = new RegExp(`"${field}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)`).exec(partialJson);
  if (!m) return null;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1]!.replace(/\\(.)/g, '$1');
  }
}

/** A server tool call in words: `⌕ searching "san francisco weather"`, `⇣ fetching https://…`; null for other tools. */
export function describeWebCall(name: string, input: unknown, partialJson: string, done: boolean): string | null {
  const field = (f: string): string | null => {
    if (typeof input === 'object' && input !== null && typeof (input as WireObject)[f] === 'string') {
      const v = (input as WireObject)[f] as string;
      if (v !== '') return v;
    }
    return partialJsonString(partialJson, f);
  };
  if (name === 'web_search') {
    const q = field('query');
    return `⌕ ${done ? 'searched' : 'searching'}${q !== null ? ` ${JSON.stringify(q)}` : '…'}`;
  }
  if (name === 'web_fetch') {
    const url = field('url');
    return `⇣ ${done ? 'fetched' : 'fetching'}${url !== null ? ` ${url}` : '…'}`;
  }
  return null;
}

/** Plain words for the API's server-tool error codes (web search and web fetch). */
const ERROR_WORDS: Record<string, string> = {
  max_uses_exceeded: 'the search limit for this request was reached (webMaxUses)',
  too_many_requests: 'too many searches at once: the API rate-limited them',
  unavailable: 'web search is unavailable right now',
  invalid_tool_input: 'the query was not valid',
  invalid_input: 'the query was not valid',
  query_too_long: 'the query was too long',
  request_too_large: 'the request was too large',
  url_too_long: 'the URL was too long',
  url_not_allowed: 'that domain is not allowed (webAllowedDomains / webBlockedDomains)',
  url_not_accessible: 'the page could not be reached',
  url_not_in_prior_context: 'Claude may only fetch URLs you gave or a search found',
  unsupported_content_type: 'the page is of a type web fetch cannot read',
  fetch_failed: 'the page could not be fetched',
};

/** Plain words for one error code (the code itself, untrusted, is kept in the words for an unknown one). */
export function webErrorWords(code: string): string {
  return ERROR_WORDS[code] ?? `the API reported ${code}`;
}

/** What {@link describeWebResult} says of a result block. */
export interface WebResultLine {
  /** One line: `5 results · accuweather.com, weather.com +2`, `search failed: …`, `fetched "Title" · example.com`. */
  text: string;
  /** The result is an error, or a block inkwell could not read. */
  problem: boolean;
}

/**
 * A web search or web fetch result block in one line. A result whose shape inkwell cannot read
 * is said to be so, with its type (it is kept and sent back all the same).
 * @returns null for a block that is not a web result
 */
export function describeWebResult(block: ContentBlock): WebResultLine | null {
  if (!isServerToolResult(block)) return null;
  const content = block.content;
  const errorCode =
    typeof content === 'object' && content !== null && !Array.isArray(content) && typeof (content as WireObject).error_code === 'string'
      ? ((content as WireObject).error_code as string)
      : null;
  if (block.type === 'web_search_tool_result') {
    if (errorCode !== null) return { text: `search failed: ${webErrorWords(errorCode)}`, problem: true };
    if (!Array.isArray(content)) return { text: `${block.type}: a result inkwell cannot read (kept as sent)`, problem: true };
    const domains: string[] = [];
    for (const r of content) {
      const url = typeof r === 'object' && r !== null && typeof (r as WireObject).url === 'string' ? ((r as WireObject).url as string) : '';
      const d = domainOf(url);
      if (d && !domains.includes(d)) domains.push(d);
    }
    const n = content.length;
    const shown = domains.slice(0, 3).join(', ') + (domains.length > 3 ? ` +${domains.length - 3}` : '');
    return { text: `${n} result${n === 1 ? '' : 's'}${shown ? ` · ${shown}` : ''}`, problem: false };
  }
  if (block.type === 'web_fetch_tool_result') {
    if (errorCode !== null) return { text: `fetch failed: ${webErrorWords(errorCode)}`, problem: true };
    const c = typeof content === 'object' && content !== null && !Array.isArray(content) ? (content as WireObject) : null;
    const url = c && typeof c.url === 'string' ? c.url : null;
    if (!c || url === null) return { text: `${block.type}: a result inkwell cannot read (kept as sent)`, problem: true };
    const doc = typeof c.content === 'object' && c.content !== null ? (c.content as WireObject) : {};
    const title = typeof doc.title === 'string' && doc.title !== '' ? `${JSON.stringify(doc.title)} · ` : '';
    return { text: `fetched ${title}${domainOf(url) || url}`, problem: false };
  }
  return null;
}
