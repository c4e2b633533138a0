/**
 * Syntax highlighting of fenced code blocks with marked-terminal's own highlighter
 * (cli-highlight over highlight.js), driven by our SGR theme so the colours do not depend on
 * cli-highlight's bundled chalk and its environment-decided colour level.
 */
import { createRequire } from 'node:module';
import { isColorEnabled, md, sgrStyle, combine, plain, type Style } from './style.js';

interface CliHighlight {
  highlight(code: string, options: { language: string; ignoreIllegals: boolean; theme: Record<string, Style> }): string;
  supportsLanguage(name: string): boolean;
}

let highlighter: CliHighlight | null | undefined;

/**
 * cli-highlight as marked-terminal resolves it (it is marked-terminal's dependency, not ours).
 * `null` when it cannot be loaded: code is then shown unhighlighted.
 */
function loadHighlighter(): CliHighlight | null {
  if (highlighter !== undefined) return highlighter;
  try {
    const fromHere = createRequire(import.meta.url);
    const markedTerminalEntry = fromHere.resolve('marked-terminal');
    highlighter = createRequire(markedTerminalEntry)('cli-highlight') as CliHighlight;
  } catch {
    highlighter = null;
  }
  return highlighter;
}

const blue = sgrStyle([34], 39);
const cyan = sgrStyle([36], 39);
const green = sgrStyle([32], 39);
const red = sgrStyle([31], 39);
const yellow = sgrStyle([33], 39);
const gray = sgrStyle([90], 39);

/** Every class cli-highlight's default theme knows, so its own chalk is never consulted. */
const THEME: Record<string, Style> = {
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

function highlightSegment(hl: CliHighlight, segment: string, language: string): string {
  const key = `${language}\u0000${segment}`;
  const hit = segmentCache.get(key);
  if (hit !== undefined) return hit;
  const out = hl.highlight(segment, { language, ignoreIllegals: true, theme: THEME });
  segmentCache.set(key, out);
  if (segmentCache.size > MAX_CACHED_SEGMENTS) segmentCache.delete(segmentCache.keys().next().value as string);
  return out;
}

/**
 * Highlight code (plain text, lines separated by `\n`) for the terminal. A language that
 * highlight.js knows is highlighted with the SGR theme, in segments of at most
 * {@link SEGMENT_MAX_LINES} lines (cut at blank lines where possible; a construct spanning a cut,
 * such as a long docstring, may be coloured as code after the cut). Anything else (no language,
 * unknown language, highlighter unavailable or failing) is shown in the plain code style.
 * Output has as many lines as the input. Prints nothing to the console and never throws.
 * With colour off, returns `code` unchanged.
 */
export function highlightCode(code: string, language: string): string {
  if (!isColorEnabled()) return code;
  const hl = language === '' ? null : loadHighlighter();
  if (hl !== null) {
    try {
      // supportsLanguage first: highlight.js logs to console.error for unknown languages.
      if (hl.supportsLanguage(language)) {
        return segmentLines(code.split('\n'))
          .map((segment) => highlightSegment(hl, segment, language))
          .join('\n');
      }
    } catch {
      // fall through to the plain style
    }
  }
  return md.code(code);
}
