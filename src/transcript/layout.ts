import { wrapStyled } from '../text/wrap.js';
import { MarkdownStream } from '../markdown/blocks.js';
import { heldBlocks, renderHeldBlocks, renderStream } from '../markdown/render.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import { wrapPlainLine } from '../markdown/plain.js';
import { describeStop } from '../domain/stops.js';
import { visibleWidth } from '../markdown/style.js';
import { blockViews, type BlockView } from '../domain/blocks.js';
import type { AssistantMessage, Message, NoticeMessage, UserMessage } from '../domain/types.js';
import type { Theme } from '../theme.js';
import { linkifyLines } from '../markdown/links.js';
import { runStart, sourcesLines, textRuns, webCallLine, webResultLine } from './web.js';

/** The line under a prompt that was not sent (its request failed or was stopped before any reply). */
export const UNSENT_MARK = '✗ not sent';

/**
 * Lays out the transcript as terminal lines: each message becomes an array of ANSI-styled lines at
 * most `width` columns wide, cached per (message object, width, thinking expansion), so finished
 * messages cost nothing per frame and only the streaming reply is laid out again.
 * pi-tui's model (docs/STYLE.md): every piece is `render(width) → string[]`, and the viewport slices.
 */

/** Columns of the gutter in front of every message line ("› " or two spaces). */
export const GUTTER = 2;

/** The mark at the end of a streaming reply that shows it is still alive. */
export const CURSOR_MARK = '▍';

/** How to lay out. */
export interface LayoutOptions {
  /** Total columns available (the gutter included). */
  width: number;
  /** Show thinking blocks in full. */
  expandThinking: boolean;
  theme: Theme;
}

interface CacheEntry {
  message: Message;
  width: number;
  expand: boolean;
  theme: Theme;
  /** For a reply: what its lines depend on (see `replyKey`), to reuse them across deltas. */
  key: string | null;
  lines: readonly string[];
  /** Some of its markdown blocks are not rendered yet (see {@link TranscriptLayout.followTail}). */
  held: boolean;
  /** The window height its lines were laid out for (when `held`). */
  tailRows: number | undefined;
}

/**
 * Wraps text to `width` columns: each hard line keeps its own indentation, and soft-wrapped
 * continuation lines start without the space the break fell on.
 */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '  ');
    const room = Math.max(1, width - indent.length);
    const body = line.trimStart();
    if (body === '') {
      out.push('');
      continue;
    }
    for (const piece of wrapStyled(body, room, { hard: true, trim: true }).split('\n'))
      out.push(indent.length < width ? indent + piece : piece);
  }
  return out;
}

function indent(lines: readonly string[], first: string, rest: string): string[] {
  return lines.map((l, i) => (i === 0 ? first : rest) + l);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

/** Keeps the per-block markdown streams of replies and the per-message line caches. */
export class TranscriptLayout {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly streams = new Map<string, MarkdownStream>();
  /** The text each stream was last fed, to detect text that no longer extends it. */
  private readonly fed = new Map<string, string>();
  /** Rows the view shows when it follows the tail; undefined: every row may be shown. */
  private tailRows: number | undefined;
  /** Keys of the markdown streams with held blocks. */
  private readonly holding = new Set<string>();

  /**
   * Tells the layout how much of each message can be seen. Following the tail (`rows`: the
   * window's height), a reply's markdown blocks that arrive faster than they can be drawn are
   * rendered newest first until they fill the window, and the older ones are held, taking no
   * rows, until {@link catchUp} renders them (a fast stream scrolls them past unseen anyway).
   * `undefined` (scrolled up, or about to scroll): every line is laid out, held blocks included.
   */
  followTail(rows: number | undefined): void {
    this.tailRows = rows;
  }

  /**
   * Renders held blocks (see {@link followTail}) for about `budgetMs` of wall time, at least one
   * block; the messages they belong to are laid out again on their next {@link linesFor}.
   * @returns how many blocks are still held
   */
  catchUp(budgetMs: number): number {
    const until = performance.now() + budgetMs;
    let left = 0;
    let first = true;
    for (const key of [...this.holding]) {
      const stream = this.streams.get(key);
      const remaining = until - performance.now();
      // Every call makes progress: the first stream renders at least one block.
      const work = stream !== undefined && (first || remaining > 0);
      const held = stream === undefined ? 0 : work ? renderHeldBlocks(stream, Math.max(0, remaining)) : heldBlocks(stream);
      if (work) first = false;
      if (held === 0) this.holding.delete(key);
      left += held;
      // Only a stream that rendered something needs its message laid out again.
      if (work) this.cache.delete(key.slice(0, key.lastIndexOf(':')));
    }
    return left;
  }

  /** True when some laid-out reply has blocks not rendered yet (see {@link followTail}). */
  get holds(): boolean {
    return this.holding.size > 0;
  }

  /**
   * The lines of one message (cached: the same message object at the same width is free).
   * @returns lines, each at most `opts.width` columns
   */
  linesFor(message: Message, opts: LayoutOptions): readonly string[] {
    const hit = this.cache.get(message.id);
    const same =
      hit !== undefined &&
      hit.width === opts.width &&
      hit.expand === opts.expandThinking &&
      hit.theme === opts.theme &&
      // Held lines serve only a window no taller than the one they were laid out for.
      (!hit.held || (this.tailRows !== undefined && hit.tailRows !== undefined && this.tailRows <= hit.tailRows));
    if (same && hit.message === message) return hit.lines;
    let lines: readonly string[];
    let key: string | null = null;
    let held = false;
    switch (message.role) {
      case 'user':
        lines = this.userLines(message, opts);
        break;
      case 'assistant':
        // A delta that completes no line (most of them: the partial line is held back) changes
        // nothing on screen: the reply's lines are reused instead of joined and indented again.
        key = this.replyKey(message, opts);
        if (same && hit.key === key) lines = hit.lines;
        else {
          lines = this.safeAssistantLines(message, opts);
          // Rendering may have held blocks back, or drawn held ones: key what was drawn.
          key = this.replyKey(message, opts);
        }
        message.content.forEach((b, i) => {
          const k = `${message.id}:${i}`;
          if (b.type !== 'text') return;
          const stream = this.streams.get(k);
          if (stream !== undefined && heldBlocks(stream) > 0) {
            this.holding.add(k);
            held = true;
          } else this.holding.delete(k);
        });
        break;
      case 'notice':
        lines = this.noticeLines(message, opts);
        break;
    }
    this.cache.set(message.id, {
      message,
      width: opts.width,
      expand: opts.expandThinking,
      theme: opts.theme,
      key,
      lines,
      held,
      tailRows: this.tailRows,
    });
    return lines;
  }

  /**
   * Everything a reply's lines depend on, as a string: its status and stop, and per content block
   * what is visible of it (for text: the markdown stream's finished blocks, live region and
   * whether a partial line is pending — the stream is fed the block's text here).
   */
  private replyKey(m: AssistantMessage, o: LayoutOptions): string {
    let key = `${m.status}|${describeStop(m)?.text ?? ''}|${m.content.length}`;
    const runs = textRuns(m);
    blockViews(m).forEach((block, i) => {
      switch (block.type) {
        case 'text': {
          const run = runs.get(i);
          if (!run) break;
          if (!/\S/.test(run.text)) {
            key += '|e';
            break;
          }
          const stream = this.markdownStream(m, i, run.text);
          key += `|t${this.generation.get(stream)}:${stream.finished.length}:${heldBlocks(stream)}:${stream.live.length}:${stream.hasPartialLine ? 1 : 0}:${run.sources}`;
          break;
        }
        case 'thinking':
          key += `|h${block.thinking.length}:${block.endedAt}:${o.expandThinking}`;
          break;
        case 'tool_use':
        case 'server_tool_use':
          key += `|u${block.name}:${block.partialJson.length}:${block.input === undefined ? 0 : 1}:${m.content.length}`;
          break;
        case 'tool_result':
          key += `|x${block.summary.length}:${m.content.length}`;
          break;
        default:
          key += `|${block.type}`;
      }
    });
    return key;
  }

  /** A number per markdown stream, so a restarted stream never matches an old key. */
  private readonly generation = new WeakMap<MarkdownStream, number>();
  private generations = 0;

  private retainedCount = 0;
  private retainedFirst: string | undefined;

  /**
   * Forgets messages that are gone (after /clear, /new, /retry or a resume). Cheap when nothing
   * was removed: messages only ever get appended otherwise.
   */
  retain(messages: readonly Message[]): void {
    const first = messages[0]?.id;
    if (messages.length >= this.retainedCount && first === this.retainedFirst && this.cache.size <= messages.length) {
      this.retainedCount = messages.length;
      return;
    }
    this.retainedCount = messages.length;
    this.retainedFirst = first;
    const ids = new Set(messages.map((m) => m.id));
    for (const id of this.cache.keys()) if (!ids.has(id)) this.cache.delete(id);
    for (const key of this.streams.keys()) {
      if (!ids.has(key.slice(0, key.lastIndexOf(':')))) {
        this.streams.delete(key);
        this.fed.delete(key);
        this.holding.delete(key);
      }
    }
  }

  private userLines(m: UserMessage, o: LayoutOptions): string[] {
    if (m.unsent) {
      // A prompt whose request brought nothing back: dimmed, and said so under it.
      const body = wrap(sanitizeModelText(m.text), o.width - GUTTER).map((l) => o.theme.muted(l));
      return [...indent(body, o.theme.muted('› '), '  '), `  ${o.theme.warning(UNSENT_MARK)}`];
    }
    const body = wrap(sanitizeModelText(m.text), o.width - GUTTER).map((l) => o.theme.user(l));
    return indent(body, o.theme.userMark('› '), '  ');
  }

  private noticeLines(m: NoticeMessage, o: LayoutOptions): string[] {
    const mark = m.level === 'error' ? '✖ ' : m.level === 'warning' ? '⚠ ' : '· ';
    const style = m.level === 'error' ? o.theme.error : m.level === 'warning' ? o.theme.warning : o.theme.info;
    return indent(wrap(sanitizeModelText(m.text), o.width - GUTTER).map(style), style(mark), '  ');
  }

  private markdownStream(m: AssistantMessage, index: number, text: string): MarkdownStream {
    const key = `${m.id}:${index}`;
    const final = m.status === 'complete' || m.status === 'interrupted';
    let s = this.streams.get(key);
    // Fed this very text already (the reply's key was just computed from it): nothing to do.
    if (s && this.fed.get(key) === text && s.isFinal === final) return s;
    // A reply being continued grows again after it was final, and a stitched seam or a retry can
    // replace text: start that block's stream afresh (its finished blocks stay cached by source).
    if (!s || (s.isFinal && !final) || !text.startsWith(this.fed.get(key) ?? '')) {
      s = new MarkdownStream();
      this.generation.set(s, ++this.generations);
      this.streams.set(key, s);
    }
    s.update(text, final);
    this.fed.set(key, text);
    return s;
  }

  private blockLines(m: AssistantMessage, block: BlockView, index: number, o: LayoutOptions): string[] {
    const w = o.width - GUTTER;
    const t = o.theme;
    switch (block.type) {
      case 'text': {
        // A run of text blocks (a cited answer arrives as many) is one markdown text.
        const run = textRuns(m).get(index);
        if (!run) return [];
        const lines = renderStream(
          this.markdownStream(m, index, run.text),
          w,
          this.tailRows === undefined ? { theme: t } : { tailRows: this.tailRows, theme: t },
        );
        return linkifyLines(lines, w);
      }
      case 'thinking': {
        const done = block.endedAt !== null;
        const took = done ? ` for ${seconds(block.endedAt! - block.startedAt)}` : '';
        const text = sanitizeModelText(block.thinking);
        if (!text.trim()) {
          return [t.muted(oneLine(done ? `✻ Thought${took} (the API sent no thinking text)` : '✻ Thinking…', w))];
        }
        if (o.expandThinking) {
          return [t.muted(`✻ ${done ? `Thought${took}` : 'Thinking…'}`), ...wrap(text, w).map((l) => t.muted(l))];
        }
        const head = done ? `✻ Thought${took} (Tab expands) · ` : '✻ Thinking… (Tab expands) · ';
        const gist = done ? text : (text.trimEnd().split('\n').pop() ?? '');
        return [t.muted(oneLine(head + gist, w))];
      }
      case 'redacted_thinking':
        return [t.muted(oneLine('✻ Redacted thinking (encrypted by the API, not shown)', w))];
      case 'tool_use':
      case 'server_tool_use': {
        const web = block.type === 'server_tool_use' ? webCallLine(m, index, block.partialJson, w, t) : null;
        if (web) return web;
        const input = block.partialJson || JSON.stringify(block.input ?? {});
        const who = block.type === 'server_tool_use' ? 'server tool' : 'tool';
        const note = block.type === 'tool_use' ? ' — inkwell runs no tools' : '';
        return wrap(t.info(`⚙ ${who} ${sanitizeModelText(block.name)} ${oneLine(sanitizeModelText(input), 200)}${note}`), w);
      }
      case 'tool_result':
        return webResultLine(m, index, w, t) ?? wrap(t.info(`↳ ${block.wireType}: ${sanitizeModelText(block.summary)}`), w);
      case 'unknown':
        return [t.muted(oneLine(`↳ ${sanitizeModelText(block.wireType)}: ${block.summary}`, w))];
    }
  }

  /**
   * A reply's lines; if laying it out throws (a renderer bug, a stack or memory limit on a
   * hostile reply), its text shown as plain wrapped lines under a note instead: a saved reply
   * that cannot be rendered must still open (issue 22).
   */
  private safeAssistantLines(m: AssistantMessage, o: LayoutOptions): string[] {
    try {
      return this.assistantLines(m, o);
    } catch {
      const w = Math.max(1, o.width - GUTTER);
      const lines = [o.theme.muted(oneLine('┄ this reply could not be rendered: shown as plain text', w))];
      for (const block of blockViews(m)) {
        if (block.type !== 'text') continue;
        for (const line of sanitizeModelText(block.text).split('\n')) for (const piece of wrapPlainLine(line, w)) lines.push(piece);
      }
      return indent(lines, o.theme.assistant('● '), '  ');
    }
  }

  private assistantLines(m: AssistantMessage, o: LayoutOptions): string[] {
    const t = o.theme;
    const parts: { lines: string[]; web: boolean }[] = [];
    const runs = textRuns(m);
    blockViews(m).forEach((block, i) => {
      // A reply may open with a whitespace-only text block (fixture 07): nothing to show. The
      // blocks after the first of a text run are laid out with it.
      if (block.type === 'text' && !/\S/.test(runs.get(i)?.text ?? '')) return;
      const lines = this.blockLines(m, block, i, o);
      const web =
        (block.type === 'server_tool_use' || block.type === 'tool_result') &&
        /^web_(search|fetch)/.test(block.type === 'tool_result' ? block.wireType : block.name);
      if (lines.length > 0) parts.push({ lines, web });
    });
    const lines: string[] = [];
    parts.forEach((p, i) => {
      // A search and its result, and searches in a row, stay together.
      if (lines.length > 0 && !(p.web && parts[i - 1]?.web)) lines.push('');
      // One by one: spreading a block of 100,000+ lines into push() overflows the stack.
      for (const line of p.lines) lines.push(line);
    });
    const streamingNow = m.status === 'streaming' || m.status === 'waiting';
    const sources = streamingNow ? [] : sourcesLines(m, o.width - GUTTER, t);
    if (sources.length > 0) lines.push('', ...sources);
    const streaming = m.status === 'streaming' || m.status === 'waiting';
    // The partial last line is held back until its newline arrives; the mark shows it is coming,
    // on a line of its own where that line will appear.
    if (streaming) {
      const lastBlock = m.content.length - 1;
      const pending =
        m.content[lastBlock]?.type === 'text' && (this.streams.get(`${m.id}:${runStart(m, lastBlock)}`)?.hasPartialLine ?? false);
      // After the last line only if it has a free column: a full line would push the mark into
      // the terminal's next row (where nothing erases it).
      if (lines.length === 0 || pending || visibleWidth(lines[lines.length - 1]!) >= o.width - GUTTER) lines.push(CURSOR_MARK);
      else lines[lines.length - 1] += CURSOR_MARK;
    }
    const stop = describeStop(m);
    if (stop) {
      if (lines.length > 0) lines.push('');
      const style = stop.level === 'warning' ? t.warning : t.muted;
      // The words can come from the server (a refusal's stop_details, an unknown stop_reason): untrusted.
      for (const line of wrap(style(`${stop.level === 'warning' ? '⚠' : '·'} ${sanitizeModelText(stop.text)}`), o.width - GUTTER))
        lines.push(line);
    }
    return indent(lines, t.assistant('● '), '  ');
  }
}
