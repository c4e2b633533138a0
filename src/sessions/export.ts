import { blockViews, type BlockView } from '../domain/blocks.js';
import { describeWebCall, describeWebResult, refMarks, replySources } from '../domain/web.js';
import type { AssistantMessage, NoticeMessage } from '../domain/types.js';
import type { LoadedSession } from './load.js';
import { NO_SECRETS, type Redactor } from './redact.js';
import { FORMAT_VERSION } from './schema.js';

/** Options of the exports. */
export interface ExportOptions {
  /** Hides what must not appear in the export (the API key) behind "[redacted]" (default: nothing hidden). */
  redactor?: Redactor;
}

/** "2026-01-02T03:04:05.000Z" → "2026-01-02 03:04 UTC"; anything unparseable is shown as given. */
function formatDate(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '>' : `> ${l}`))
    .join('\n');
}

/** One block's markdown, from its view (domain/blocks.ts): the wire block itself is not changed. */
function blockMarkdown(b: BlockView): string | null {
  switch (b.type) {
    case 'text': {
      const sources = [...new Map(b.citations.filter((c) => c.url).map((c) => [c.url!, c.title || c.url!])).entries()];
      const text = b.text.trim() === '' ? null : b.text.replace(/\s+$/, '');
      if (sources.length === 0) return text;
      const list = sources.map(([url, title]) => `- [${title}](${url})`).join('\n');
      return `${text ?? ''}${text ? '\n\n' : ''}Sources:\n\n${list}`;
    }
    case 'thinking':
      return b.thinking.trim() === '' ? null : `<details><summary>Thinking</summary>\n\n${b.thinking.replace(/\s+$/, '')}\n\n</details>`;
    case 'redacted_thinking':
      return '*(thinking redacted by the API)*';
    case 'tool_use':
    case 'server_tool_use': {
      const input = b.input && typeof b.input === 'object' && Object.keys(b.input).length > 0 ? b.input : null;
      return input === null
        ? `*Used the tool \`${b.name}\`.*`
        : `*Used the tool \`${b.name}\`:*\n\n\`\`\`json\n${JSON.stringify(input, null, 2)}\n\`\`\``;
    }
    case 'tool_result':
      return `*Tool result (${b.wireType}): ${b.summary}*`;
    case 'unknown':
      return `*(\`${b.wireType}\` block: ${b.summary})*`;
    default: {
      const never: never = b;
      return never;
    }
  }
}

/**
 * A reply's parts: a web reply's cited text blocks joined into prose with their numbered
 * references (`\[1\]`), each search or fetch in words, and one numbered list of sources at the
 * end (domain/web.ts numbers them as the chat does); other blocks as {@link blockMarkdown}.
 */
function replyParts(m: AssistantMessage): string[] {
  const { sources, refs } = replySources(m.content);
  if (sources.length === 0 && !m.content.some((b) => b.type === 'server_tool_use')) {
    return blockViews(m)
      .map(blockMarkdown)
      .filter((p): p is string => p !== null);
  }
  const parts: string[] = [];
  let prose: string | null = null;
  blockViews(m).forEach((b, i) => {
    if (b.type === 'text') {
      const ns = refs.get(i);
      prose = (prose ?? '') + b.text + (ns ? refMarks(ns).replace(/\[/g, '\\[').replace(/\]/g, '\\]') : '');
      return;
    }
    if (prose !== null && prose.trim() !== '') parts.push(prose.trim());
    prose = null;
    const block = m.content[i]!;
    const web =
      b.type === 'server_tool_use'
        ? describeWebCall(b.name, b.input, b.partialJson, true)
        : b.type === 'tool_result'
          ? describeWebResult(block)?.text
          : null;
    const part = web ? `*${web}*` : blockMarkdown(b);
    if (part !== null) parts.push(part);
  });
  if (prose !== null && (prose as string).trim() !== '') parts.push((prose as string).trim());
  if (sources.length > 0) {
    parts.push(
      `Sources:\n\n${sources.map((s) => `${s.n}. ${s.url ? `[${s.title.replace(/[[\]]/g, '')}](${s.url})` : s.title}${s.domain ? ` · ${s.domain}` : ''}`).join('\n')}`,
    );
  }
  return parts;
}

function assistantMarkdown(m: AssistantMessage): string {
  const parts = replyParts(m);
  if (m.status === 'interrupted') parts.push(`*(interrupted: ${m.interruption?.reason ?? 'the reply ended early'})*`);
  else if (m.stop_reason === 'max_tokens') parts.push('*(the reply was cut off at the max_tokens limit)*');
  else if (m.stop_reason === 'model_context_window_exceeded') parts.push('*(the reply stopped: the context window is full)*');
  else if (m.stop_reason === 'refusal') {
    const why = m.stop_details?.explanation;
    parts.push(`*(Claude declined to continue${why ? `: ${why}` : ''})*`);
  }
  return `## Claude\n\n${parts.join('\n\n')}`;
}

function noticeMarkdown(m: NoticeMessage): string {
  return quote(`${m.level === 'info' ? 'ℹ' : '⚠'} ${m.text}`);
}

/**
 * The conversation as Markdown: `# title`, a metadata line (model, creation time in UTC, session
 * id), the system prompt folded in `<details>` when there is one, then a `## You` / `## Claude`
 * section per message with the raw markdown text as the model wrote it. Thinking is folded in
 * `<details><summary>Thinking</summary>`; an interrupted reply ends with `*(interrupted: reason)*`;
 * a max_tokens, context-window or refusal stop is noted; notices are `> ⚠ …` (`> ℹ …` for info).
 * Pure; ends with one newline.
 */
export function exportMarkdown(session: LoadedSession, opts: ExportOptions = {}): string {
  const { header } = session;
  const out: string[] = [`# ${session.title}`, `*${header.model} · ${formatDate(header.created)} · session ${session.id}*`];
  if (session.system) out.push(`<details><summary>System prompt</summary>\n\n${session.system.replace(/\s+$/, '')}\n\n</details>`);
  if (session.damaged) out.push(quote(`⚠ This session file is damaged; this is what could be read.`));
  for (const m of session.messages) {
    switch (m.role) {
      case 'user':
        out.push(`## You\n\n${m.text.replace(/\s+$/, '')}${m.unsent ? '\n\n*(not sent: its request failed before any reply)*' : ''}`);
        break;
      case 'assistant':
        out.push(assistantMarkdown(m));
        break;
      case 'notice':
        out.push(noticeMarkdown(m));
        break;
      default: {
        const never: never = m;
        return never;
      }
    }
  }
  const text = out.join('\n\n') + '\n';
  return (opts.redactor ?? NO_SECRETS).redact(text);
}

/**
 * The session as one JSON document (2-space indent): `format: "inkwell-session"`, `version`,
 * id, title, created, model, system, totals (tokens), damaged, problems and every message in its
 * final state (the domain `Message` shapes). Pure; ends with one newline.
 */
export function exportJson(session: LoadedSession, opts: ExportOptions = {}): string {
  const doc = {
    format: 'inkwell-session',
    version: FORMAT_VERSION,
    id: session.id,
    title: session.title,
    created: session.header.created,
    model: session.header.model,
    system: session.system,
    totals: session.totals,
    damaged: session.damaged,
    problems: session.problems,
    messages: session.messages,
  };
  return (opts.redactor ?? NO_SECRETS).stringify(doc, 2) + '\n';
}
