/**
 * The styles of rendered markdown, and the line utilities the renderer needs.
 *
 * The markdown module emits only SGR sequences (text/sgr.ts), built here rather than with chalk:
 * marked-terminal and cli-highlight each bundle their own chalk copy whose colour level is
 * decided by the environment at import time, which would make output depend on the TTY. Which
 * styles apply is the caller's choice, passed down as a {@link MarkdownTheme} (part of the app's
 * Theme, src/theme.ts): nothing here reads the terminal, the environment or any mutable state.
 */
import { combine, plain, sgrStyle, splitSgr, stripSgr, type Style } from '../text/sgr.js';
import stringWidth from '../text/width.js';
import { sanitizeModelText } from './sanitize.js';

export type { Style } from '../text/sgr.js';

/** Roles of markdown elements, each a {@link Style}. */
export interface MarkdownStyles {
  /**
   * Headings by level: `headings[0]` for `#`, … `headings[5]` for `######`. Each level looks
   * different from the others (and from strong text) wherever the theme has any styling.
   */
  headings: HeadingStyles;
  strong: Style;
  em: Style;
  /** ~~strikethrough~~ */
  del: Style;
  /** `inline code` */
  codespan: Style;
  /** A fenced code block with no known language (and every code block when `syntax` is null). */
  code: Style;
  /** The text of a quote. */
  blockquote: Style;
  /** The "│" in front of a quote's lines. */
  quoteBar: Style;
  html: Style;
  /** A link's label and its "(url)". */
  link: Style;
  /** The url itself. */
  href: Style;
  /** Horizontal rule. */
  hr: Style;
  tableHead: Style;
  tableBorder: Style;
  /** Secondary text (the "table, n rows so far" line of a streaming table). */
  muted: Style;
}

/** One style per heading level, 1 to 6. */
export type HeadingStyles = readonly [Style, Style, Style, Style, Style, Style];

/** Syntax highlighting: highlight.js class name (without `hljs-`) → style. */
export type SyntaxStyles = Readonly<Record<string, Style>>;

/** What the markdown renderer needs of a theme (the app's Theme has these and more). */
export interface MarkdownTheme {
  /**
   * Names the styling: two themes with the same key style every role alike (render caches are
   * keyed on it), e.g. "dark/1", "mono", "plain".
   */
  readonly key: string;
  readonly markdown: MarkdownStyles;
  /** Code highlighting; null: code blocks get `markdown.code` whatever their language. */
  readonly syntax: SyntaxStyles | null;
  /** False: rendered lines carry no escape sequence at all (every SGR is stripped last). */
  readonly escapes: boolean;
}

/** Markdown in colour (basic 16-colour SGR codes only, the same at every colour level). */
export const colorMarkdown: MarkdownStyles = {
  headings: [
    combine(sgrStyle([1], 22), sgrStyle([4], 24), sgrStyle([35], 39)), // bold underlined magenta
    combine(sgrStyle([1], 22), sgrStyle([32], 39)), // bold green
    combine(sgrStyle([1], 22), sgrStyle([36], 39)), // bold cyan
    combine(sgrStyle([1], 22), sgrStyle([34], 39)), // bold blue
    combine(sgrStyle([1], 22), sgrStyle([3], 23)), // bold italic
    combine(sgrStyle([3], 23), sgrStyle([90], 39)), // grey italic
  ],
  strong: sgrStyle([1], 22),
  em: sgrStyle([3], 23),
  del: combine(sgrStyle([2], 22), sgrStyle([9], 29)),
  codespan: sgrStyle([33], 39),
  code: sgrStyle([33], 39),
  blockquote: combine(sgrStyle([90], 39), sgrStyle([3], 23)),
  quoteBar: sgrStyle([90], 39),
  html: sgrStyle([90], 39),
  link: sgrStyle([34], 39),
  href: combine(sgrStyle([34], 39), sgrStyle([4], 24)),
  hr: sgrStyle([90], 39),
  tableHead: sgrStyle([1], 22),
  tableBorder: sgrStyle([90], 39),
  muted: sgrStyle([90], 39),
};

/**
 * Markdown without colour, only weight (bold, dim, italic, underline, strike): for NO_COLOR
 * (https://no-color.org asks for no colour, not for no emphasis) and the "mono" setting.
 */
export const monoMarkdown: MarkdownStyles = {
  headings: [
    combine(sgrStyle([1], 22), sgrStyle([4], 24)), // bold underlined
    sgrStyle([1], 22), // bold
    combine(sgrStyle([1], 22), sgrStyle([3], 23)), // bold italic
    sgrStyle([4], 24), // underlined
    sgrStyle([3], 23), // italic
    combine(sgrStyle([2], 22), sgrStyle([3], 23)), // dim italic
  ],
  strong: sgrStyle([1], 22),
  em: sgrStyle([3], 23),
  del: combine(sgrStyle([2], 22), sgrStyle([9], 29)),
  codespan: plain,
  code: plain,
  blockquote: sgrStyle([3], 23),
  quoteBar: plain,
  html: sgrStyle([2], 22),
  link: plain,
  href: sgrStyle([4], 24),
  hr: plain,
  tableHead: sgrStyle([1], 22),
  tableBorder: plain,
  muted: sgrStyle([2], 22),
};

/** Markdown as plain text: every role the identity (TERM=dumb, not a terminal). */
export const plainMarkdown: MarkdownStyles = {
  headings: [plain, plain, plain, plain, plain, plain],
  strong: plain,
  em: plain,
  del: plain,
  codespan: plain,
  code: plain,
  blockquote: plain,
  quoteBar: plain,
  html: plain,
  link: plain,
  href: plain,
  hr: plain,
  tableHead: plain,
  tableBorder: plain,
  muted: plain,
};

const blue = sgrStyle([34], 39);
const cyan = sgrStyle([36], 39);
const green = sgrStyle([32], 39);
const red = sgrStyle([31], 39);
const yellow = sgrStyle([33], 39);
const gray = sgrStyle([90], 39);

/** Code in colour: every class cli-highlight's default theme knows (same colours). */
export const colorSyntax: SyntaxStyles = {
  keyword: blue,
  built_in: cyan,
  type: combine(cyan, sgrStyle([2], 22)),
  literal: blue,
  number: green,
  regexp: red,
  string: red,
  subst: plain,
  symbol: plain,
  class: blue,
  function: yellow,
  title: plain,
  params: plain,
  comment: green,
  doctag: green,
  meta: gray,
  section: plain,
  tag: gray,
  name: blue,
  attr: cyan,
  attribute: plain,
  variable: plain,
  bullet: plain,
  code: plain,
  emphasis: sgrStyle([3], 23),
  strong: sgrStyle([1], 22),
  formula: plain,
  link: sgrStyle([4], 24),
  quote: plain,
  addition: green,
  deletion: red,
  default: plain,
};

/** Colour markdown with highlighted code: what the renderer uses when given no theme. */
export const colorMarkdownTheme: MarkdownTheme = { key: 'markdown-color', markdown: colorMarkdown, syntax: colorSyntax, escapes: true };

// ---------------------------------------------------------------------------------------------
// Line utilities

/**
 * Neutralise every control character and escape sequence except SGR, the way
 * `sanitizeModelText` does (a placeholder per sequence), and expand tabs to spaces (tab stops
 * every `tabSize` columns, counted in UTF-16 units of the visible text). `\n` is kept. A last
 * line of defence after rendering: nothing but SGR can come out of a third-party renderer (no
 * OSC 8 hyperlink, no cursor movement), whatever path a control character took to get there.
 */
export function scrubRendered(text: string, tabSize = 4): string {
  let out = text;
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]/.test(out)) {
    out = splitSgr(out)
      .map((part, i) => (i % 2 === 1 ? part : sanitizeModelText(part)))
      .join('');
  }
  if (out.includes('\t'))
    out = out
      .split('\n')
      .map((line) => expandTabs(line, tabSize))
      .join('\n');
  return out;
}

function expandTabs(line: string, tabSize: number): string {
  let column = 0;
  let result = '';
  splitSgr(line).forEach((part, i) => {
    if (i % 2 === 1) {
      result += part;
      return;
    }
    for (const [k, piece] of part.split('\t').entries()) {
      if (k > 0) {
        const pad = tabSize - (column % tabSize);
        result += ' '.repeat(pad);
        column += pad;
      }
      result += piece;
      column += piece.length;
    }
  });
  return result;
}

/** Visible width of a line in terminal columns (string-width; SGR sequences count 0). */
export function visibleWidth(line: string): number {
  return stringWidth(line);
}

/** True when a line has no visible character other than whitespace. */
export function isBlankLine(line: string): boolean {
  return stripSgr(line).trim() === '';
}
