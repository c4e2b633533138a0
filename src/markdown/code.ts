import { Lexer, type Tokens } from 'marked';

/** A fenced or indented code block of a reply. */
export interface CodeBlock {
  /** The info string's language, or '' when none. */
  lang: string;
  /** The code as written, without the fences. */
  code: string;
}

/**
 * The code blocks of a markdown text, in order, including those nested in lists and quotes
 * (CommonMark via marked's lexer, GFM on).
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const walk = (tokens: readonly unknown[]) => {
    for (const t of tokens as Array<{ type: string; tokens?: unknown[]; items?: Array<{ tokens?: unknown[] }> }>) {
      if (t.type === 'code') {
        const c = t as unknown as Tokens.Code;
        out.push({ lang: (c.lang ?? '').split(/\s/)[0] ?? '', code: c.text });
      }
      if (t.tokens) walk(t.tokens);
      if (t.items) for (const item of t.items) if (item.tokens) walk(item.tokens);
    }
  };
  walk(new Lexer({ gfm: true }).lex(markdown));
  return out;
}
