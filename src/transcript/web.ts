import { describeWebCall, describeWebResult, messageSources, refMarks } from '../domain/web.js';
import { isTextBlock, isToolUseBlock } from '../domain/wire.js';
import type { AssistantMessage } from '../domain/types.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import { linkText } from '../markdown/links.js';
import { wrapStyled } from '../text/wrap.js';
import type { Theme } from '../theme.js';

/**
 * Lines of a reply's web research: the line of each search or fetch, the line of its result, the
 * text blocks of a cited answer joined into one markdown text with numbered references, and the
 * reply's sources at its end. Pure; the wire shapes are read through domain/web.ts.
 */

/** A run of consecutive text blocks, laid out as one markdown text. */
export interface TextRun {
  /** The blocks' text joined, each cited block followed by its references (`\[1\]`, shown `[1]`). */
  text: string;
  /** How many sources the run cites (part of the layout's cache key). */
  sources: number;
}

const runsCache = new WeakMap<AssistantMessage, Map<number, TextRun>>();

/**
 * The text runs of a reply, by the index of each run's first block. A web reply's answer arrives
 * as many text blocks (a citation starts a new one, often mid-sentence): joined, they read as the
 * prose they are. Cached per message object.
 */
export function textRuns(m: AssistantMessage): Map<number, TextRun> {
  let runs = runsCache.get(m);
  if (runs) return runs;
  runs = new Map();
  const { refs } = messageSources(m);
  const live = m.status === 'streaming' || m.status === 'waiting';
  let start = -1;
  m.content.forEach((b, i) => {
    if (!isTextBlock(b)) {
      start = -1;
      return;
    }
    if (start < 0) {
      start = i;
      runs!.set(i, { text: '', sources: 0 });
    }
    const run = runs!.get(start)!;
    // The block still streaming gets its references once it is done (the text grows before them).
    const ns = live && i === m.content.length - 1 ? undefined : refs.get(i);
    // Escaped so that a reference is never read as a link or a footnote by the markdown renderer.
    run.text += b.text + (ns ? refMarks(ns).replace(/\[/g, '\\[').replace(/\]/g, '\\]') : '');
    if (ns) run.sources += ns.length;
  });
  runsCache.set(m, runs);
  return runs;
}

/** The index of the first block of the text run block `i` belongs to. */
export function runStart(m: AssistantMessage, i: number): number {
  let j = i;
  while (j > 0 && m.content[j - 1]?.type === 'text') j--;
  return j;
}

/**
 * The line of a web search or fetch call: `⌕ searching "query"` while it runs, `⌕ searched
 * "query"` once its result is in the reply; null for other server tools.
 */
export function webCallLine(m: AssistantMessage, index: number, partialJson: string, width: number, t: Theme): string[] | null {
  const b = m.content[index];
  if (!b || !isToolUseBlock(b) || b.type !== 'server_tool_use') return null;
  const done = m.content.some((r) => r.tool_use_id === b.id && r.type.endsWith('_tool_result'));
  const words = describeWebCall(b.name, b.input, partialJson, done);
  if (words === null) return null;
  return wrapStyled(sanitizeModelText(words), width, { hard: true, trim: true })
    .split('\n')
    .map((l) => t.info(l));
}

/** The line of a web result: `↳ 10 results · accuweather.com, weather.com +3`, or its error in plain words; null for other results. */
export function webResultLine(m: AssistantMessage, index: number, width: number, t: Theme): string[] | null {
  const b = m.content[index];
  const line = b ? describeWebResult(b) : null;
  if (!line) return null;
  const style = line.problem ? t.warning : t.muted;
  return wrapStyled(`  ↳ ${sanitizeModelText(line.text)}`, width, { hard: true, trim: true })
    .split('\n')
    .map((l) => style(l));
}

/**
 * A reply's sources, numbered as its references: `[1] Title · domain` and the URL under it (a
 * hyperlink where the terminal takes them, markdown/links.ts). Empty when the reply cites nothing.
 */
export function sourcesLines(m: AssistantMessage, width: number, t: Theme): string[] {
  const { sources } = messageSources(m);
  if (sources.length === 0) return [];
  const out = [t.muted('Sources')];
  const pad = String(sources.length).length + 3;
  for (const s of sources) {
    const head = `[${s.n}]`.padEnd(pad);
    const title = sanitizeModelText(s.title).replace(/\s+/g, ' ');
    const label = s.domain && !title.includes(s.domain) ? `${title} · ${s.domain}` : title;
    const wrapped = wrapStyled(label, Math.max(1, width - pad), { hard: true, trim: true }).split('\n');
    for (const [i, l] of wrapped.entries()) out.push((i === 0 ? t.muted(head) : ' '.repeat(pad)) + l);
    if (s.url) {
      for (const l of linkText(s.url, Math.max(1, width - pad))) out.push(' '.repeat(pad) + t.muted(l));
    }
  }
  return out;
}
