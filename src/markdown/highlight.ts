/**
 * Syntax highlighting of fenced code blocks with highlight.js, styled by the theme's syntax
 * styles (markdown/style.ts).
 *
 * highlight.js's core is loaded on the first highlighted block, and each language's grammar only
 * when a block in that language first appears (highlight.js with all ~190 grammars, as
 * cli-highlight loads it, cost ~200 ms and ~25 MB in the middle of the first reply with code).
 * Its HTML output (`<span class="hljs-keyword">`) is turned into SGR here, line by line.
 */
import { createRequire } from 'node:module';
import { plain, type Style } from '../text/sgr.js';
import { colorMarkdownTheme, type MarkdownTheme, type SyntaxStyles } from './style.js';

interface Hljs {
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
  getLanguage(name: string): unknown;
  registerLanguage(name: string, grammar: unknown): void;
}

const load = createRequire(import.meta.url);
let core: Hljs | null | undefined;
const missing = new Set<string>();

/** Fence names that are not the grammar file's own name (highlight.js registers the rest as aliases). */
const GRAMMAR_FILE: Record<string, string> = {
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  py: 'python',
  python3: 'python',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'shell',
  rb: 'ruby',
  rs: 'rust',
  yml: 'yaml',
  html: 'xml',
  svg: 'xml',
  golang: 'go',
  kt: 'kotlin',
  cs: 'csharp',
  'c#': 'csharp',
  'c++': 'cpp',
  hpp: 'cpp',
  h: 'c',
  md: 'markdown',
  jsonc: 'json',
  ps1: 'powershell',
  ps: 'powershell',
  docker: 'dockerfile',
  tf: 'hcl',
  make: 'makefile',
  patch: 'diff',
};

/**
 * highlight.js with `language` registered, or null when it or the grammar cannot be loaded.
 * Never throws.
 */
function hljsFor(language: string): Hljs | null {
  if (core === undefined) {
    try {
      core = load('highlight.js/lib/core') as Hljs;
    } catch {
      core = null;
    }
  }
  if (core === null || missing.has(language)) return null;
  if (core.getLanguage(language)) return core;
  const file = GRAMMAR_FILE[language] ?? language;
  if (!/^[a-z0-9-]+$/.test(file)) {
    missing.add(language);
    return null;
  }
  try {
    const grammar = load(`highlight.js/lib/languages/${file}`) as { default?: unknown };
    core.registerLanguage(file, grammar.default ?? grammar);
  } catch {
    missing.add(language);
    return null;
  }
  if (core.getLanguage(language)) return core;
  missing.add(language);
  return null;
}

/**
 * Code in the common languages at once: comments, strings, numbers, functions, types, generics,
 * queries, JSON and shell. Highlighted in each language by {@link prepareLanguage}: highlight.js
 * compiles a grammar's top level on first use but each nested matcher only when the code first
 * needs it, which a one-character sample never does.
 */
const WARM_UP_CODE = [
  '// line comment',
  '# hash comment',
  '/* block */ -- sql comment',
  'def f(a, b=1):',
  '    return "s" + \'c\' + f"{a}" + 1.5e3',
  'export function g(x: number, y?: string[]): Promise<string> { const z = `t${x}`; return z as any; }',
  'fn main() -> Result<(), Box<dyn Error>> { let v: Vec<u32> = vec![1, 2]; println!("{}", v[0]); Ok(()) }',
  'func h(s []string) (int, error) { for _, x := range s { fmt.Println(x) }; return 0, nil }',
  "SELECT a, COUNT(*) AS n FROM t JOIN u ON t.id = u.id WHERE b = 'x' GROUP BY a ORDER BY n DESC;",
  '{"k": [1, true, null, "v"]}',
  'if [ -f "$HOME/x" ]; then echo $(ls -la) | grep -v foo; fi',
].join('\n');

/**
 * Loads and compiles the grammar of `language` ahead of its first code block, nested matchers
 * included (highlight.js compiles on first use: 2–18 ms per grammar, plus ~5 ms for the core the
 * first time, and the first block in a language took 4–6 ms more than the next ones; in the
 * middle of a reply otherwise).
 * @returns false when the language is unknown or the highlighter cannot be loaded. Never throws.
 */
export function prepareLanguage(language: string): boolean {
  const hl = hljsFor(language);
  if (hl === null) return false;
  try {
    hl.highlight(WARM_UP_CODE, { language, ignoreIllegals: true });
    return true;
  } catch {
    return false;
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };

/**
 * highlight.js HTML → terminal text: each run of text takes the style of its innermost span
 * class in `syntax`, styled line by line so no colour runs past a line break.
 * @param html highlight.js output
 * @param syntax class name (without `hljs-`) → style
 */
export function htmlToSgr(html: string, syntax: SyntaxStyles): string {
  const stack: Style[] = [];
  let out = '';
  const re = /<span class="([^"]*)">|<\/span>|([^<]+)/g;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) {
    if (m[1] !== undefined) {
      const cls = m[1].split(/\s+/)[0]!.replace(/^hljs-/, '');
      stack.push(syntax[cls] ?? stack.at(-1) ?? plain);
    } else if (m[0] === '</span>') {
      stack.pop();
    } else {
      const text = m[2]!.replace(/&(?:amp|lt|gt|quot|#x27|#39);/g, (e) => ENTITIES[e]!);
      const style = stack.at(-1) ?? plain;
      out += text
        .split('\n')
        .map((piece) => (piece === '' ? '' : style(piece)))
        .join('\n');
    }
  }
  return out;
}

/**
 * The language name from a fence info string (its first word, lower-cased), or '' if none.
 * CommonMark §4.5: the first word of the info string is typically the language.
 */
export function fenceLanguage(info: string | undefined): string {
  return (info ?? '').trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
}

/** A segment ends at a blank line once it has this many lines ... */
const SEGMENT_MIN_LINES = 16;
/** ... and in any case at this many lines. */
const SEGMENT_MAX_LINES = 40;
/** Highlighted segments kept, keyed by language and text. */
const MAX_CACHED_SEGMENTS = 1000;
const segmentCache = new Map<string, string>();

/**
 * Cut code lines into segments that are highlighted independently. Where a segment ends depends
 * only on the lines before it, so appending lines to growing code never moves earlier
 * boundaries: a streaming code block re-highlights only its last segment (highlight.js costs
 * about 0.1 ms a line, which made a 400-line live block cost 40 ms a frame).
 */
function segmentLines(lines: readonly string[]): string[] {
  const segments: string[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const size = i - start + 1;
    if (size >= SEGMENT_MAX_LINES || (size >= SEGMENT_MIN_LINES && (lines[i] as string).trim() === '')) {
      segments.push(lines.slice(start, i + 1).join('\n'));
      start = i + 1;
    }
  }
  if (start < lines.length) segments.push(lines.slice(start).join('\n'));
  return segments;
}

/** Drop every cached highlighted segment. Never throws. */
export function clearHighlightCache(): void {
  segmentCache.clear();
}

function highlightSegment(hl: Hljs, segment: string, language: string, theme: MarkdownTheme, syntax: SyntaxStyles): string {
  const key = `${theme.key}\u0000${language}\u0000${segment}`;
  const hit = segmentCache.get(key);
  if (hit !== undefined) return hit;
  const out = htmlToSgr(hl.highlight(segment, { language, ignoreIllegals: true }).value, syntax);
  segmentCache.set(key, out);
  if (segmentCache.size > MAX_CACHED_SEGMENTS) segmentCache.delete(segmentCache.keys().next().value as string);
  return out;
}

/**
 * Highlight code (plain text, lines separated by `\n`) for the terminal. A language that
 * highlight.js knows is highlighted with the theme's syntax styles, in segments of at most
 * {@link SEGMENT_MAX_LINES} lines (cut at blank lines where possible; a construct spanning a cut,
 * such as a long docstring, may be coloured as code after the cut). Anything else (no language,
 * unknown language, highlighter unavailable or failing) is shown in the plain code style.
 * Output has as many lines as the input. Prints nothing to the console and never throws.
 * A theme without syntax styles (mono, plain) gets `theme.markdown.code(code)`.
 * @param theme the styles (default: colour)
 */
export function highlightCode(code: string, language: string, theme: MarkdownTheme = colorMarkdownTheme): string {
  const syntax = theme.syntax;
  if (syntax === null) return theme.markdown.code(code);
  const hl = language === '' ? null : hljsFor(language);
  if (hl !== null) {
    try {
      return segmentLines(code.split('\n'))
        .map((segment) => highlightSegment(hl, segment, language, theme, syntax))
        .join('\n');
    } catch {
      // fall through to the plain style
    }
  }
  return theme.markdown.code(code);
}
