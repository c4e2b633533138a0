/**
 * HTML inside markdown, for a terminal: the common tags a model writes are rendered (bold,
 * italic, code, keys, line breaks, `<details>` summaries, images) or stripped, comments vanish,
 * and anything that is not a known HTML tag (`Vec<T>`, `<your-key>`) stays as the text it is.
 *
 * CommonMark passes raw HTML through (https://spec.commonmark.org/0.31.2/#raw-html, §4.6 HTML
 * blocks): marked gives each inline tag as its own `html` token (`<b>`, then the text, then
 * `</b>`), and an HTML block as one token with its lines. So an inline tag is rendered on its own,
 * without knowing its partner: an opening tag turns a style on and its closing tag turns it off
 * (the renderer's `balanceLines` closes whatever a model left open at the end of each line).
 * Pure: no state, no terminal; the text given here is already sanitised (markdown/sanitize.ts).
 */
import type { MarkdownStyles, Style } from './style.js';

/** Tag names (lower case) that are rendered or stripped; any other `<name>` is shown as text. */
const KNOWN = new Set(
  (
    'a abbr address article aside b big blockquote br center cite code dd del details dfn div dl dt em figcaption ' +
    'figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li mark nav ol p picture pre q s samp section ' +
    'small source span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var wbr'
  ).split(' '),
);

/** Tags whose end (or, for void tags, whose start) ends a line in a block. */
const BREAKS_AFTER = new Set('br p div li tr h1 h2 h3 h4 h5 h6 summary dt dd pre blockquote table ul ol figure center section'.split(' '));

/** One tag, comment or declaration at the start of a string (CommonMark §6.6 "raw HTML", simplified). */
const TAG = /<!--[\s\S]*?-->|<\/?([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;

/** The start and end of a style, taken from the style itself (empty when the theme has no escapes). */
function ends(style: Style): [string, string] {
  const marked = style('\u0000');
  const at = marked.indexOf('\u0000');
  return at < 0 ? ['', ''] : [marked.slice(0, at), marked.slice(at + 1)];
}

/** The value of attribute `name` in a tag's attribute text, entity-decoded; '' when absent. */
function attribute(attrs: string, name: string): string {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))`, 'i').exec(attrs);
  return m === null ? '' : decodeEntities(m[1] ?? m[2] ?? m[3] ?? '');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and `&#39;` decoded (others stay). */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => NAMED[name] ?? '');
}

/**
 * How one image shows: `[image: alt] url`, the label in the link style and the address in the
 * href style (an empty alt reads `[image]`). Used for markdown images and `<img>` alike.
 * @param alt the image's alternative text (rendered inline text; may carry SGR)
 * @param url its address (sanitised)
 */
export function imageText(alt: string, url: string, md: MarkdownStyles): string {
  const label = md.link(alt.trim() === '' ? '[image]' : `[image: ${alt.trim()}]`);
  return url === '' ? label : `${label} ${md.href(url)}`;
}

/**
 * The terminal text of one tag (name lower case, `closing` for `</name>`), '' to strip it, or
 * null when the tag is not one inkwell knows (the caller shows it as it is).
 */
function renderTag(name: string, closing: boolean, attrs: string, md: MarkdownStyles, block: boolean): string | null {
  if (!KNOWN.has(name)) return null;
  const style = (s: Style): string => ends(s)[closing ? 1 : 0];
  switch (name) {
    case 'br':
      return '\n';
    case 'b':
    case 'strong':
      return style(md.strong);
    case 'i':
    case 'em':
    case 'cite':
    case 'dfn':
    case 'var':
      return style(md.em);
    case 'code':
    case 'kbd':
    case 'samp':
    case 'tt':
      return style(md.codespan);
    case 's':
    case 'del':
    case 'strike':
      return style(md.del);
    case 'sup':
      return closing ? '' : '^';
    case 'sub':
      return closing ? '' : '_';
    case 'img': {
      const alt = attribute(attrs, 'alt');
      return imageText(alt, attribute(attrs, 'src'), md);
    }
    case 'hr':
      return block ? '\n───\n' : '';
    case 'summary':
      return closing ? '\n' : '▸ ';
    case 'li':
      return closing ? '\n' : '• ';
    case 'td':
    case 'th':
      return closing ? ' ' : '';
    default:
      return block && closing && BREAKS_AFTER.has(name) ? '\n' : '';
  }
}

/**
 * Render raw HTML from markdown: one inline tag (`block` false: the text of an inline `html`
 * token, e.g. `<b>` or `<!-- x -->`) or a whole HTML block (`block` true: its lines).
 *
 * Known tags (see {@link KNOWN}) become styles (`<b>`, `<i>`, `<code>`, `<kbd>`, `<s>` open and
 * close the theme's strong, em, codespan and del), line breaks (`<br>`, the end of a block-level
 * element), `^`/`_` in front of `<sup>`/`<sub>` text, `▸ ` in front of a `<summary>`, `• ` in
 * front of an `<li>`, `[image: alt] src` for `<img>`; the other known tags are removed and their
 * text kept; comments are removed; `<script>` and `<style>` elements are removed with their
 * content. Unknown tags and text are kept as they are (text entity-decoded), styled `md.html`
 * when a whole block is unknown markup. Never throws.
 */
export function renderHtml(html: string, md: MarkdownStyles, block: boolean): string {
  let source = html;
  if (block) source = source.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '');
  let out = '';
  let last = 0;
  let known = 0;
  let unknown = 0;
  for (const m of source.matchAll(TAG)) {
    const at = m.index;
    out += decodeEntities(source.slice(last, at));
    last = at + m[0].length;
    if (m[0].startsWith('<!--')) {
      known++;
      continue;
    }
    const name = (m[1] as string).toLowerCase();
    const rendered = renderTag(name, m[0].startsWith('</'), m[2] ?? '', md, block);
    if (rendered === null) {
      unknown++;
      out += m[0];
    } else {
      known++;
      out += rendered;
    }
  }
  out += decodeEntities(source.slice(last));
  if (known === 0 && unknown > 0) return md.html(out);
  if (!block) return out;
  // A block: no run of blank lines longer than one, none at either end.
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}
