/**
 * Local declarations for the part of marked-terminal 7.x that inkwell uses.
 * (`@types/marked-terminal` is not installed: it depends on an old `marked`.)
 * Source of truth: node_modules/marked-terminal/index.js.
 */
declare module 'marked-terminal' {
  import type { MarkedExtension } from 'marked';

  /** A style function: wraps already-rendered text (marked-terminal passes chalk builders). */
  type TerminalStyle = (text: string) => string;

  /** Renderer options; every style defaults to a chalk style of marked-terminal's own chalk. */
  export interface TerminalRendererOptions {
    code?: TerminalStyle;
    blockquote?: TerminalStyle;
    html?: TerminalStyle;
    heading?: TerminalStyle;
    firstHeading?: TerminalStyle;
    hr?: TerminalStyle;
    listitem?: TerminalStyle;
    /** Lays out the items of a list: (rendered items, ordered, indent string) → text. */
    list?: (body: string, ordered: boolean, indent: string) => string;
    table?: TerminalStyle;
    paragraph?: TerminalStyle;
    strong?: TerminalStyle;
    em?: TerminalStyle;
    codespan?: TerminalStyle;
    del?: TerminalStyle;
    link?: TerminalStyle;
    href?: TerminalStyle;
    text?: TerminalStyle;
    /** Replace `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;` in rendered text (default true). */
    unescape?: boolean;
    /** Replace `:emoji:` shortcodes with emoji (default true). */
    emoji?: boolean;
    /** Columns for `reflowText` and `hr` (default 80). */
    width?: number;
    /** Prefix headings with `#`s (default true). */
    showSectionPrefix?: boolean;
    /** Re-wrap paragraphs and headings to `width` (UTF-16 length based; default false). */
    reflowText?: boolean;
    /** Indent: a number of spaces or a string of tabs (default 4). */
    tab?: number | string;
    /** Options passed to cli-table3's constructor. */
    tableOptions?: Record<string, unknown>;
    /** Custom image renderer: (href, title, text) → text. */
    image?: (href: string, title: string | null, text: string) => string;
  }

  /** Options passed to cli-highlight's `highlight` (language, theme, ...). */
  export type TerminalHighlightOptions = Record<string, unknown>;

  /** The marked extension: a renderer for every token type (`useNewRenderer: true`). */
  export function markedTerminal(options?: TerminalRendererOptions, highlightOptions?: TerminalHighlightOptions): MarkedExtension;
}
