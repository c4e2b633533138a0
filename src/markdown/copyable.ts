import { Lexer, type Token, type Tokens } from 'marked';

/**
 * The blocks of a reply one can copy (`/copy`'s picker): each top-level markdown block (CommonMark
 * and GFM as marked lexes them) with its markdown source as the model wrote it and as plain text:
 * inline marks dropped (`**bold**` → `bold`, a link → `text (url)`), the soft wraps of a paragraph
 * joined into one line (a hard break stays a line break), a list item per line, a table's cells
 * separated by tabs and its rows by line breaks (spreadsheets paste them as cells), a code block's
 * code without its fences. Pure.
 */

/** What a copyable block is. */
export type CopyKind = 'paragraph' | 'heading' | 'list' | 'table' | 'code' | 'quote' | 'html' | 'sources';

/** One block to copy. */
export interface CopyBlock {
  kind: CopyKind;
  /** The block's markdown source, trimmed. */
  markdown: string;
  /** The block as plain text (see the module comment). */
  plain: string;
  /** A code block's language ('' when none); '' for other blocks. */
  language: string;
}

/** The plain text of inline tokens; `soft` is what a soft line break becomes. */
function inlinePlain(tokens: readonly Token[] | undefined, soft: string): string {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'br':
        out += '\n';
        break;
      case 'codespan':
        out += (t as Tokens.Codespan).text.replace(/\n/g, ' ');
        break;
      case 'link': {
        const link = t as Tokens.Link;
        const text = inlinePlain(link.tokens, soft);
        out += text === link.href || link.href.startsWith('mailto:') ? text : `${text} (${link.href})`;
        break;
      }
      case 'image':
        out += (t as Tokens.Image).text;
        break;
      case 'escape':
        out += (t as Tokens.Escape).text;
        break;
      case 'html':
        out += (t as Tokens.HTML).text;
        break;
      case 'text': {
        const text = t as Tokens.Text;
        out += text.tokens ? inlinePlain(text.tokens, soft) : text.text.replace(/\n/g, soft);
        break;
      }
      default: {
        const withChildren = t as { tokens?: Token[]; text?: string };
        out += withChildren.tokens ? inlinePlain(withChildren.tokens, soft) : (withChildren.text ?? '');
      }
    }
  }
  return decodeEntities(out);
}

/** marked keeps `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;` escaped in text tokens. */
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
  );
}

/** The plain text of block tokens (a list item's or a quote's content), blocks separated by a blank line. */
function blocksPlain(tokens: readonly Token[], indent: string): string {
  const parts: string[] = [];
  for (const t of tokens) {
    if (t.type === 'space' || t.type === 'hr') continue;
    parts.push(blockPlain(t, indent));
  }
  return parts.join('\n');
}

function listPlain(list: Tokens.List, indent: string): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, i) => {
      const mark = list.ordered ? `${start + i}. ` : '- ';
      const check = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
      const body = blocksPlain(item.tokens, `${indent}${' '.repeat(mark.length)}`);
      return `${indent}${mark}${check}${body.trimStart()}`;
    })
    .join('\n');
}

function blockPlain(t: Token, indent: string): string {
  switch (t.type) {
    case 'paragraph':
    case 'heading':
      return inlinePlain((t as Tokens.Paragraph).tokens, ' ');
    case 'text': {
      const text = t as Tokens.Text;
      return text.tokens ? inlinePlain(text.tokens, ' ') : text.text.replace(/\n/g, ' ');
    }
    case 'list':
      return listPlain(t as Tokens.List, indent);
    case 'code':
      return (t as Tokens.Code).text;
    case 'blockquote':
      return blocksPlain((t as Tokens.Blockquote).tokens, indent);
    case 'table': {
      const table = t as Tokens.Table;
      const row = (cells: readonly Tokens.TableCell[]) => cells.map((c) => inlinePlain(c.tokens, ' ')).join('\t');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    default:
      return (t as { text?: string }).text ?? t.raw;
  }
}

const KIND: Readonly<Record<string, CopyKind>> = {
  paragraph: 'paragraph',
  heading: 'heading',
  list: 'list',
  table: 'table',
  code: 'code',
  blockquote: 'quote',
  html: 'html',
};

/**
 * The top-level blocks of a markdown text that one can copy, in order (blank lines, rules and
 * link definitions are not blocks to copy).
 */
export function copyableBlocks(markdown: string): CopyBlock[] {
  const out: CopyBlock[] = [];
  for (const t of new Lexer({ gfm: true, breaks: false }).lex(markdown.replace(/\r\n?/g, '\n'))) {
    const kind = KIND[t.type];
    if (!kind) continue;
    const plain = blockPlain(t, '');
    out.push({
      kind,
      markdown: t.raw.trim(),
      plain: kind === 'code' ? plain : plain.trim(),
      language: t.type === 'code' ? ((t as Tokens.Code).lang ?? '').split(/\s/)[0]! : '',
    });
  }
  return out;
}

/**
 * A reply's sources (its citations' pages, each once, in order) as a copyable block: a markdown
 * list of links, and `title — url` lines as plain text.
 * @returns null when no citation has a URL
 */
export function sourcesBlock(citations: readonly { url?: string | null; title?: string | null }[]): CopyBlock | null {
  const pages = new Map<string, string>();
  for (const c of citations) if (c.url && !pages.has(c.url)) pages.set(c.url, c.title || c.url);
  if (pages.size === 0) return null;
  const list = [...pages];
  return {
    kind: 'sources',
    markdown: list.map(([url, title]) => `- [${title}](${url})`).join('\n'),
    plain: list.map(([url, title]) => (title === url ? url : `${title} — ${url}`)).join('\n'),
    language: '',
  };
}
