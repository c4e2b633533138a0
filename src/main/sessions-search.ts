import { relativeTime } from '../domain/time.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import { type SearchHit, type SearchResult, searchSessions } from '../sessions/index.js';
import { combine, plain, type Style, sgrStyle } from '../text/sgr.js';
import type { CliIo } from './sessions-cli.js';

/** Options of `inkwell sessions search`. */
export interface SearchCliOptions {
  json: boolean;
  /** Most sessions shown. */
  limit: number;
  /** stdout is a terminal: matched words bold and inverse, titles bold. */
  tty: boolean;
  /** `scan` reads every file instead of the index (INKWELL_SEARCH=scan). */
  engine?: 'auto' | 'scan';
}

const bold = sgrStyle([1], 22);
const inverse = sgrStyle([7], 27);
const matchStyle = combine(bold, inverse);

/** A snippet with its matched words styled. Text between the matches is sanitised first. */
function styledSnippet(hit: SearchHit, style: Style): string {
  let out = '';
  let at = 0;
  for (const [a, b] of hit.highlights) {
    out += sanitizeModelText(hit.snippet.slice(at, a)) + style(sanitizeModelText(hit.snippet.slice(a, b)));
    at = b;
  }
  return out + sanitizeModelText(hit.snippet.slice(at));
}

/** One hit as two lines: `<id>  <date>  <title>`, then the snippet indented. */
export function formatHit(hit: SearchHit, now: number, tty: boolean): string {
  const title = sanitizeModelText(hit.title.replace(/\s+/g, ' '));
  const more = hit.matches > 1 ? `  (${hit.matches} matches)` : '';
  const head = `${hit.sessionId}  ${relativeTime(hit.updatedAt, now).padEnd(11)}  ${tty ? bold(title) : title}${more}`;
  return `${head}\n    ${styledSnippet(hit, tty ? matchStyle : plain)}\n`;
}

/** The JSON `--json` prints: the query, how many sessions match, and the hits shown. */
export function searchJson(query: string, r: SearchResult): string {
  return `${JSON.stringify({ query, total: r.total, hits: r.hits }, null, 2)}\n`;
}

/**
 * `inkwell sessions search <words…> [--json] [--limit N]`: sessions whose title or messages hold
 * every word, newest first, each with a snippet around the newest matching message.
 * @returns exit code: 0 with hits, 1 with none
 */
export function sessionsSearch(dir: string, query: string, o: SearchCliOptions, io: CliIo): number {
  const r = searchSessions(dir, query, { limit: o.limit, engine: o.engine ?? 'auto' });
  if (o.json) {
    io.out.write(searchJson(query, r));
    return r.hits.length > 0 ? 0 : 1;
  }
  if (r.hits.length === 0) {
    io.out.write(`No session matches "${sanitizeModelText(query.replace(/\s+/g, ' ').trim())}".\n`);
    return 1;
  }
  for (const hit of r.hits) io.out.write(formatHit(hit, io.now, o.tty));
  if (r.total > r.hits.length) io.out.write(`(${r.hits.length} of ${r.total} sessions shown; --limit ${r.total} shows all)\n`);
  return 0;
}
