import { SGR_AT_START } from '../text/sgr.js';
import terminalWidth from '../text/width.js';

/**
 * inkwell's own hyperlinks (OSC 8, `ESC ] 8 ; id=… ; URL ST text ESC ] 8 ; ; ST`; the de-facto
 * spec: egmontkob's "Hyperlinks in Terminal Emulators", docs/WEB.md). Model text reaches here with
 * every escape already stripped (sanitize.ts), so the only links on screen are the ones written
 * here, around URL text inkwell shows anyway. Each row opens and closes its own links, and a link
 * cut over rows carries the same `id` and the exact same URL on each, so terminals treat the
 * pieces as one link and any row can be redrawn alone. The Screen strips them for terminals
 * without hyperlinks (terminal/hyperlinks.ts). Pure.
 */

/** The sequence that closes a hyperlink. */
export const LINK_CLOSE = '\x1b]8;;\x1b\\';

/** Any OSC 8 sequence (open or close; ST or BEL terminated). */
export const OSC8_PATTERN = /\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The longest URL made a link (longer ones are shown as text only). */
const MAX_URL = 2048;

/**
 * The URL as a link target, or null when it must not be one: only `http:`, `https:` and
 * `mailto:`, printable ASCII without spaces (a URL shown with other characters stays text).
 */
export function safeLinkUrl(url: string): string | null {
  if (url.length > MAX_URL || !/^(https?:\/\/|mailto:)[\x21-\x7e]+$/i.test(url)) return null;
  return url;
}

/** A short stable id for a URL (FNV-1a), so every piece of the same link shares it. */
export function linkId(url: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i++) {
    h ^= url.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `iw${h.toString(36)}`;
}

/** The sequence that opens a hyperlink to `url` (already checked by {@link safeLinkUrl}). */
export function linkOpen(url: string): string {
  return `\x1b]8;id=${linkId(url)};${url}\x1b\\`;
}

/**
 * A URL shown on rows of at most `width` columns, each piece a hyperlink to the whole URL with the
 * same id (plain text when the URL may not be a link).
 * @returns one string per row
 */
export function linkText(url: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const pieces: string[] = [];
  let cur = '';
  let used = 0;
  for (const ch of url) {
    const cw = Math.max(1, terminalWidth(ch));
    if (used + cw > w && cur !== '') {
      pieces.push(cur);
      cur = '';
      used = 0;
    }
    cur += ch;
    used += cw;
  }
  if (cur !== '' || pieces.length === 0) pieces.push(cur);
  const target = safeLinkUrl(url);
  return target ? pieces.map((p) => `${linkOpen(target)}${p}${LINK_CLOSE}`) : pieces;
}

const URL_IN_TEXT = /\b(?:https?:\/\/|mailto:)[^\s<>"'`()[\]{}]*[^\s<>"'`()[\]{}.,;:!?]/gi;

/** The visible text of a styled line, and for each visible character its index in the line. */
function visible(line: string): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      const m = SGR_AT_START.exec(line.slice(i));
      if (m) {
        i += m[0].length;
        continue;
      }
    }
    text += line[i];
    at.push(i);
    i++;
  }
  return { text, at };
}

/**
 * Makes the URLs in rendered lines hyperlinks: each URL's text (a markdown link's `(url)`, a bare
 * URL) is wrapped in OSC 8 on its row. A URL that fills its row to `width` and goes on at the start
 * of the next row (hard-wrapped) is one link over both rows, with the whole URL on each.
 * @param lines styled lines (SGR only: the markdown renderer's output)
 * @param width the columns the lines were wrapped to
 * @returns as many lines; unchanged when they hold no URL
 */
export function linkifyLines(lines: readonly string[], width: number): string[] {
  const hasUrl = (l: string): boolean => l.includes('://') || l.includes('mailto:');
  if (!lines.some(hasUrl)) return lines as string[];
  const memo = new Map<number, { text: string; at: number[] }>();
  const view = (i: number): { text: string; at: number[] } => {
    let v = memo.get(i);
    if (!v) {
      v = visible(lines[i]!);
      memo.set(i, v);
    }
    return v;
  };
  // Spans to wrap per line: [start, end) in visible characters, and the URL they point at.
  const spans: Array<Array<{ from: number; to: number; url: string }>> = lines.map(() => []);
  for (let i = 0; i < lines.length; i++) {
    if (!hasUrl(lines[i]!)) continue;
    const text = view(i).text;
    for (const m of text.matchAll(URL_IN_TEXT)) {
      const from = m.index;
      let url = m[0];
      let to = from + url.length;
      const parts: Array<{ line: number; from: number; to: number }> = [{ line: i, from, to }];
      // Hard-wrapped: the URL reaches the row's last column and the next row starts with more of it.
      let j = i;
      while (terminalWidth(view(j).text.slice(0, to)) >= width && j + 1 < lines.length) {
        const next = view(j + 1).text;
        const lead = /^ */.exec(next)![0].length;
        const more = /^[^\s<>"'`()[\]{}]+/.exec(next.slice(lead));
        if (!more) break;
        const piece = more[0].replace(/[.,;:!?]+$/, '');
        if (piece === '') break;
        url += piece;
        j++;
        to = lead + piece.length;
        parts.push({ line: j, from: lead, to });
        if (piece.length < more[0].length) break;
      }
      const target = safeLinkUrl(url);
      if (!target) continue;
      for (const p of parts) {
        if (p.line !== i && spans[p.line]!.some((s) => s.from < p.to && p.from < s.to)) continue;
        spans[p.line]!.push({ from: p.from, to: p.to, url: target });
      }
      // A continuation row's own match (the rest of this URL) is skipped by the overlap check.
    }
  }
  return lines.map((line, i) => {
    const list = spans[i]!.sort((a, b) => a.from - b.from).filter((s, k, all) => k === 0 || s.from >= all[k - 1]!.to);
    if (list.length === 0) return line;
    const at = view(i).at;
    let out = '';
    let pos = 0;
    for (const s of list) {
      const a = at[s.from]!;
      const b = s.to < at.length ? at[s.to]! : line.length;
      out += line.slice(pos, a) + linkOpen(s.url) + line.slice(a, b) + LINK_CLOSE;
      pos = b;
    }
    return out + line.slice(pos);
  });
}
