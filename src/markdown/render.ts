/**
 * Markdown → terminal lines.
 *
 * Each top-level block (see {@link MarkdownStream}) is rendered on its own by marked (CommonMark +
 * GFM) with marked-terminal as renderer, then turned into lines that are each at most `width`
 * terminal columns wide (string-width), carry only SGR escape sequences, and are self-contained
 * (no style stays open across a line break). Blocks are joined with exactly one blank line.
 */
import { Marked, type MarkedExtension, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { wrapStyled } from '../text/wrap.js';
import { MarkdownStream } from './blocks.js';
import { sanitizeModelText } from './sanitize.js';
import { clearHighlightCache, fenceLanguage, highlightCode } from './highlight.js';
import { balanceLines, SGR_RESET, sgrLengthAt, splitSgr, stripSgr } from '../text/sgr.js';
import { colorMarkdownTheme, isBlankLine, scrubRendered, visibleWidth, type MarkdownTheme } from './style.js';
import { layoutTable, type TableAlign } from './table.js';
import { imageText, renderHtml } from './html.js';
import { plainReason, type PlainReason } from './limits.js';
import { PlainLines, plainBlockLines } from './plain.js';

/** Indent of code blocks, blockquotes and nested lists, in columns. */
const TAB = 2;
/** Rendered (source, width) pairs kept by {@link renderBlock}. */
const MAX_CACHED_BLOCKS = 2000;
/** `Marked` instances kept, one per (theme, width). */
const MAX_INSTANCES = 8;

const blockCache = new Map<string, readonly string[]>();
const instances = new Map<string, Marked>();

/** Drop every cached rendering, marked instance and highlighted segment (e.g. for benchmarks). Never throws. */
export function clearRenderCache(): void {
  blockCache.clear();
  instances.clear();
  clearHighlightCache();
}

/** Columns as a whole number ≥ 1 (a 1-column terminal must not crash the screen). */
function checkWidth(width: number): number {
  if (!Number.isFinite(width)) {
    throw new RangeError(`markdown width must be a finite number of columns, got ${width}`);
  }
  return Math.max(1, Math.floor(width));
}

/** One marked instance per (theme, width): marked-terminal with the theme's styles and our overrides. */
function markedFor(width: number, theme: MarkdownTheme): Marked {
  const key = `${theme.key}\u0000${width}`;
  const hit = instances.get(key);
  if (hit !== undefined) {
    instances.delete(key);
    instances.set(key, hit);
    return hit;
  }
  const md = theme.markdown;
  const instance = new Marked({ gfm: true, breaks: false, pedantic: false, async: false, silent: false });
  instance.use(
    markedTerminal(
      {
        // Styles: the theme's (SGR), not marked-terminal's bundled chalk.
        code: md.code,
        blockquote: md.blockquote,
        html: md.html,
        heading: md.headings[1],
        firstHeading: md.headings[0],
        hr: md.hr,
        table: (text) => text,
        paragraph: (text) => text,
        strong: md.strong,
        em: md.em,
        codespan: md.codespan,
        del: md.del,
        link: md.link,
        href: md.href,
        text: (text) => text,
        unescape: true,
        emoji: false,
        width,
        // Wrapping is done afterwards with string-width and hanging indents (see fitLine):
        // reflowText counts UTF-16 units, not columns, and wraps before lists/quotes indent.
        reflowText: false,
        showSectionPrefix: false,
        tab: TAB,
      },
      {},
    ),
  );
  instance.use(overrides(width, theme));
  instances.set(key, instance);
  if (instances.size > MAX_INSTANCES) instances.delete(instances.keys().next().value as string);
  return instance;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
function unescapeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '');
}

/** Renderers replacing marked-terminal's where it would break our guarantees. */
function overrides(width: number, theme: MarkdownTheme): MarkedExtension {
  const md = theme.markdown;
  let listDepth = 0;
  return {
    renderer: {
      // marked-terminal renumbers ordered lists from 1 by regex over its own output, which also
      // numbers nested bullets, and prints task checkboxes twice with marked ≥ 15.
      list(token: Tokens.List): string {
        listDepth++;
        try {
          const start = token.ordered && typeof token.start === 'number' ? token.start : 1;
          const markers = token.items.map((_, i) => (token.ordered ? `${start + i}.` : '*'));
          const markerWidth = Math.max(...markers.map((m) => m.length));
          const lines: string[] = [];
          token.items.forEach((item, i) => {
            const parts: string[] = [];
            for (const child of item.tokens) {
              if (child.type === 'checkbox' || child.type === 'space') continue;
              let out = this.parser.parse([child]);
              if (child.type === 'text') out = unescapeEntities(out);
              out = out.replace(/^\n+|\n+$/g, '');
              if (out !== '') parts.push(out);
            }
            const checkbox = item.task ? (item.checked === true ? '[x] ' : '[ ] ') : '';
            const body = (checkbox + parts.join(item.loose ? '\n\n' : '\n')).split('\n');
            const marker = (markers[i] as string).padStart(markerWidth) + ' ';
            const pad = ' '.repeat(marker.length);
            if (i > 0 && token.loose) lines.push('');
            for (const [k, line] of body.entries()) lines.push(k === 0 ? marker + line : line === '' ? '' : pad + line);
          });
          const indent = listDepth === 1 ? ' '.repeat(TAB) : '';
          return lines.map((line) => (line === '' ? '' : indent + line)).join('\n') + '\n\n';
        } finally {
          listDepth--;
        }
      },
      // marked-terminal's text renderer drops the inline tokens of tight list items' text
      // (so `- **bold**` showed the asterisks); render them. Inline text is sanitised again:
      // marked decodes numeric character references, so `&#27;[2J` arrives here as ESC [ 2 J.
      text(token: Tokens.Text | Tokens.Escape): string {
        return 'tokens' in token && token.tokens !== undefined ? this.parser.parseInline(token.tokens) : sanitizeModelText(token.text);
      },
      // marked-terminal trims the quote (losing the first line's indentation, e.g. of a list)
      // and marks it only by colour; a bar keeps quotes visible without colour.
      blockquote(token: Tokens.Blockquote): string {
        const inner = this.parser.parse(token.tokens).replace(/^\n+|\n+$/g, '');
        const bar = md.quoteBar('│') + ' ';
        return (
          inner
            .split('\n')
            .map((line) => bar + md.blockquote(line))
            .join('\n') + '\n\n'
        );
      },
      // marked-terminal: hljs auto-detection for unlabelled code (slow), console.error for unknown
      // languages, and colour gated on its private chalk's level.
      code(token: Tokens.Code): string {
        const text = token.text.replace(/\n$/, '');
        const body = highlightCode(text, fenceLanguage(token.lang), theme);
        const pad = ' '.repeat(TAB);
        return (
          body
            .split('\n')
            .map((line) => pad + line)
            .join('\n') + '\n\n'
        );
      },
      // marked-terminal emits OSC 8 hyperlinks when supports-hyperlinks says so: never here.
      link(token: Tokens.Link): string {
        const text = this.parser.parseInline(token.tokens);
        const href = token.href;
        const label = stripSgr(text);
        if (label === '' || label === href || `mailto:${label}` === href) return md.href(label || href);
        return md.link(`${text} (${md.href(href)})`);
      },
      // marked-terminal styles levels 2–6 alike.
      heading(token: Tokens.Heading): string {
        const level = Math.min(6, Math.max(1, token.depth));
        return `${md.headings[level - 1]!(unescapeEntities(this.parser.parseInline(token.tokens)))}\n\n`;
      },
      // marked-terminal swaps `:` for a placeholder (for its emoji pass, off here) that leaks out
      // of list items and table cells, which skip its restoring transform.
      codespan(token: Tokens.Codespan): string {
        return md.codespan(unescapeEntities(sanitizeModelText(token.text)));
      },
      // marked-terminal prints images as the markdown source.
      image(token: Tokens.Image): string {
        return imageText(stripSgr(this.parser.parseInline(token.tokens ?? [])), token.href, md);
      },
      // marked-terminal prints HTML as it came; the common tags are rendered, the rest kept.
      html(token: Tokens.HTML | Tokens.Tag): string {
        const text = renderHtml(token.text, md, token.block === true);
        return token.block === true && text !== '' ? `${text}\n\n` : text;
      },
      // marked-terminal's rule uses process.stdout.columns when reflowText is off.
      hr(): string {
        return md.hr('─'.repeat(width)) + '\n\n';
      },
      // cli-table3 cannot be given a total width; our layout wraps cells to fit.
      table(token: Tokens.Table): string {
        const cell = (c: Tokens.TableCell): string => unescapeEntities(this.parser.parseInline(c.tokens));
        const head = token.header.map(cell);
        const rows = token.rows.map((row) => row.map(cell));
        return layoutTable(head, rows, token.align as TableAlign[], width, md).join('\n') + '\n\n';
      },
    },
  };
}

/**
 * Render one top-level markdown block to terminal lines.
 *
 * Input: `source` — sanitised markdown (see `sanitizeModelText`), normally one entry of
 * `MarkdownStream.finished`; `width` — terminal columns (floored; below 1 counts as 1).
 * Output: lines without `\n`, each at most `width` columns wide (string-width of the visible
 * text), styled by `theme` (default: colour), containing no escape sequence other than SGR and
 * none at all when the theme has `escapes: false`; every line closes the styles it opens.
 * Leading and trailing blank lines are removed; a block that renders to nothing gives `[]`.
 *
 * Rendering follows CommonMark + GFM as implemented by marked (lexed with this block alone, so
 * reference-style link definitions in other blocks are not seen) with marked-terminal 7 as the
 * renderer. Cached per (source, width, theme key) in a bounded LRU ({@link MAX_CACHED_BLOCKS} entries);
 * never uses marked's global options: one `new Marked()` per width, created lazily, cached.
 * The returned array is frozen and shared. Throws RangeError for a width that is not finite.
 */
export function renderBlock(source: string, width: number, theme: MarkdownTheme = colorMarkdownTheme): readonly string[] {
  const w = checkWidth(width);
  const key = `${theme.key}\u0000${w}\u0000${source}`;
  const hit = blockCache.get(key);
  if (hit !== undefined) {
    blockCache.delete(key);
    blockCache.set(key, hit);
    return hit;
  }
  const plain = plainReason(source);
  const lines = Object.freeze(plain === null ? renderSource(source, w, theme) : escapesOf(plainBlockLines(source, plain, w, theme), theme));
  blockCache.set(key, lines);
  if (blockCache.size > MAX_CACHED_BLOCKS) blockCache.delete(blockCache.keys().next().value as string);
  return lines;
}

/** `lines` as the theme allows: without any SGR when it has no escapes. */
function escapesOf(lines: string[], theme: MarkdownTheme): string[] {
  return theme.escapes ? lines : lines.map(stripSgr);
}

/**
 * The live block drawn as plain text (see {@link MarkdownStream.livePlain}): only the lines added
 * since the last call are wrapped, so a growing block of any size costs O(its new lines) a frame.
 */
function livePlainLines(memo: StreamMemo, stream: MarkdownStream, reason: PlainReason): string[] {
  const live = stream.live;
  const head = live.slice(0, 64);
  let plain = memo.plain;
  if (
    plain === null ||
    plain.finished !== stream.finished.length ||
    plain.lines.reason !== reason ||
    live.length < plain.length ||
    !live.startsWith(plain.head)
  ) {
    plain = { lines: new PlainLines(reason, memo.width, memo.theme), length: 0, head, finished: stream.finished.length };
    memo.plain = plain;
  }
  plain.lines.append(live.slice(plain.length));
  plain.length = live.length;
  return memo.theme.escapes ? plain.lines.lines : plain.lines.lines.map(stripSgr);
}

/** Uncached rendering of one block (see {@link renderBlock}). */
function renderSource(source: string, width: number, theme: MarkdownTheme): string[] {
  let rendered: string;
  try {
    rendered = markedFor(width, theme).parse(source) as string;
  } catch {
    rendered = source; // a renderer bug must not take the screen down: show the source
  }
  let lines = balanceLines(scrubRendered(rendered, 4).split('\n'));
  let start = 0;
  let end = lines.length;
  while (start < end && isBlankLine(lines[start] as string)) start++;
  while (end > start && isBlankLine(lines[end - 1] as string)) end--;
  lines = lines.slice(start, end).flatMap((line) => fitLine(line, width));
  lines = balanceLines(lines);
  return theme.escapes ? lines : lines.map(stripSgr);
}

/** Leading indentation and quote bars, then a list bullet, measured on the visible text. */
const HANGING = /^([ │]*)((?:[*•-]|\d{1,9}[.)]) +)?/;

/**
 * Wrap one rendered line to `width` columns (text/wrap.ts: word wrap, words longer than a line are
 * broken, styles re-opened per line). Continuation lines repeat the line's indentation and quote
 * bars and hang under the text after a list bullet, unless that prefix is wider than half the
 * width (then they start at column 0).
 */
function fitLine(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const match = HANGING.exec(stripSgr(line));
  const indent = match === null ? 0 : (match[0] as string).length;
  if (indent === 0 || indent > Math.floor(width / 2)) {
    // trim only when there is no indentation to keep
    return wrapStyled(line, width, { hard: true, trim: indent === 0 })
      .split('\n')
      .map((l) => fitHard(l, width));
  }
  const [head, body] = splitAtColumn(line, indent);
  // The same prefix without the bullet: bars and SGR codes stay, bullet characters become spaces.
  const hanging = splitSgr(head)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[^│ ]/g, ' ')))
    .join('');
  const pieces = wrapStyled(body, width - indent, { hard: true }).split('\n');
  return pieces.map((piece, i) => fitHard((i === 0 ? head : hanging) + piece, width));
}

/** Last resort: a line the wrapper could not bring under `width` is cut to it. */
function fitHard(line: string, width: number): string {
  if (visibleWidth(line) <= width) return line;
  let out = '';
  let used = 0;
  for (const [i, part] of splitSgr(line).entries()) {
    if (i % 2 === 1) {
      out += part;
      continue;
    }
    for (const ch of part) {
      const w = visibleWidth(ch);
      if (used + w > width) return out + SGR_RESET;
      out += ch;
      used += w;
    }
  }
  return out;
}

/** Split after `columns` visible single-width characters; SGR codes at the cut go right. */
function splitAtColumn(line: string, columns: number): [string, string] {
  let seen = 0;
  let i = 0;
  while (i < line.length && seen < columns) {
    const sgr = sgrLengthAt(line, i);
    if (sgr > 0) {
      i += sgr;
      continue;
    }
    seen++;
    i++;
  }
  return [line.slice(0, i), line.slice(i)];
}

/** Append a block's lines, separated from earlier blocks by exactly one blank line. */
function appendBlock(out: string[], lines: readonly string[]): void {
  if (lines.length === 0) return;
  if (out.length > 0) out.push('');
  for (const line of lines) out.push(line);
}

/**
 * Render a whole markdown text at once: the reference a streamed render must equal.
 *
 * Input: raw (unsanitised) model text, a width in columns and a theme (as for {@link renderBlock}). The
 * text is sanitised, split into top-level blocks exactly as a {@link MarkdownStream} would split
 * it when final, each block rendered with {@link renderBlock}, and blocks joined with one blank
 * line between them (no leading or trailing blank lines). Output lines follow {@link renderBlock}'s rules.
 * Throws RangeError for a width that is not finite.
 */
export function renderMarkdown(text: string, width: number, theme: MarkdownTheme = colorMarkdownTheme): string[] {
  const w = checkWidth(width);
  const stream = new MarkdownStream();
  stream.update(text, true);
  const out: string[] = [];
  for (const block of stream.finished) appendBlock(out, renderBlock(block, w, theme));
  return out;
}

interface StreamMemo {
  width: number;
  theme: MarkdownTheme;
  /** How many finished blocks are accounted for: joined in `lines`, or in `held`. */
  count: number;
  /** Joined lines of finished blocks `0..count - held.length - 1`. */
  lines: string[];
  /**
   * Finished blocks `count - held.length .. count - 1` when some of them are not rendered yet
   * (null): blocks a fast stream scrolled past before they were drawn (see `tailRows`).
   */
  held: (readonly string[] | null)[];
  /** How many entries of `held` are null. */
  unrendered: number;
  liveSource: string;
  liveLines: readonly string[];
  /** The live block drawn as plain text so far (limits.ts): its lines, source length and place. */
  plain: { lines: PlainLines; length: number; head: string; finished: number } | null;
}

const memos = new WeakMap<MarkdownStream, StreamMemo>();

/** The memo of `stream` at width `w`, fresh when the width or the theme changed or the stream restarted. */
function memoFor(stream: MarkdownStream, w: number, theme: MarkdownTheme): StreamMemo {
  let memo = memos.get(stream);
  if (memo === undefined || memo.width !== w || memo.theme.key !== theme.key || memo.count > stream.finished.length) {
    memo = { width: w, theme, count: 0, lines: [], held: [], unrendered: 0, liveSource: '', liveLines: [], plain: null };
    memos.set(stream, memo);
  }
  return memo;
}

/** Moves the rendered blocks at the front of `memo.held` into `memo.lines`. */
function settleHeld(memo: StreamMemo): void {
  let n = 0;
  while (n < memo.held.length && memo.held[n] !== null) appendBlock(memo.lines, memo.held[n++]!);
  if (n > 0) memo.held.splice(0, n);
}

/**
 * Renders finished blocks of `stream` that an earlier {@link renderStream} call with `tailRows`
 * left unrendered, oldest first, until `budgetMs` of wall time is spent (at least one block).
 * @param stream a stream already drawn by renderStream (rendered at the width and theme it was drawn with)
 * @param budgetMs wall-clock ms to spend; Infinity renders them all
 * @returns how many blocks are still unrendered (0: the stream's lines are complete)
 */
export function renderHeldBlocks(stream: MarkdownStream, budgetMs = Infinity): number {
  const memo = memos.get(stream);
  if (memo === undefined) return 0;
  const first = memo.count - memo.held.length;
  const until = performance.now() + budgetMs;
  for (let i = 0; i < memo.held.length && memo.unrendered > 0; i++) {
    if (memo.held[i] !== null) continue;
    memo.held[i] = renderBlock(stream.finished[first + i] as string, memo.width, memo.theme);
    memo.unrendered--;
    if (performance.now() >= until) break;
  }
  settleHeld(memo);
  return memo.unrendered;
}

/** How many finished blocks of `stream` are not rendered yet (see {@link renderHeldBlocks}). */
export function heldBlocks(stream: MarkdownStream): number {
  const memo = memos.get(stream);
  return memo === undefined ? 0 : memo.unrendered;
}

/** How {@link renderStream} treats the held-back partial last line. */
export interface RenderStreamOptions {
  /**
   * 'hide' (default): a partial line is held back until its newline arrives — it is not markdown
   * yet, and showing it raw would flash `**`, `|` and list markers that change once it completes;
   * the caller shows a cursor mark instead. 'show': append it as plain wrapped text.
   */
  partialLine?: 'hide' | 'show';
  /**
   * Only the last `tailRows` rows need to be drawn (a view following the tail of a fast stream):
   * when one call brings more finished blocks than that, the newest are rendered until they fill
   * `tailRows` and the older new ones are left out (no rows at all) until
   * {@link renderHeldBlocks} renders them. Omitted: every block is rendered, held ones included.
   */
  tailRows?: number;
  /** The styles (default: colour). */
  theme?: MarkdownTheme;
}

/**
 * What shows for a table that is still streaming: its column widths depend on every row, so it
 * is laid out once, when complete (drawing it per row re-lays out, and rewrites, the whole table
 * each time). Until then, one muted line counts the rows so far (see {@link rowsSoFar}).
 * @param source the live block's source (header, delimiter row, body rows so far)
 */
function heldTable(source: string, width: number, theme: MarkdownTheme): string[] {
  const rows = Math.max(0, source.split('\n').filter((line) => line.trim() !== '').length - 2);
  return [fitHard(theme.markdown.muted(`┄ table, ${rowsSoFar(rows)} so far`), width)];
}

/**
 * The held table's row count as shown: exact below 10, then rounded down to its leading digit
 * ("10+ rows", "20+ rows", "100+ rows"), so the line changes (and is written to the terminal
 * again, ~30-45 bytes) about 10 times per order of magnitude instead of on every row: a 250-row
 * table cost 0.5 bytes per byte of reply in counter updates alone (issue 14).
 */
function rowsSoFar(rows: number): string {
  if (rows < 10) return `${rows} row${rows === 1 ? '' : 's'}`;
  const step = 10 ** Math.floor(Math.log10(rows));
  return `${Math.floor(rows / step) * step}+ rows`;
}

/**
 * Render the current state of a {@link MarkdownStream} to lines at most `width` columns wide.
 *
 * Finished blocks are rendered once per width (cached, and appended incrementally per stream),
 * the live block is rendered again only when it changed (a live table is held: one muted line
 * counts its rows until it is complete), and the partial last line is shown as
 * plain (already sanitised) text, not yet markdown-rendered, wrapped to the width: directly
 * under the live block, or after one blank line when the live block ends with a blank line.
 * Blocks are joined as in {@link renderMarkdown}; when the stream is final the result equals
 * `renderMarkdown(wholeText, width)` whatever the chunking. Returns a fresh array each call.
 * Throws RangeError for a width that is not finite.
 */
export function renderStream(stream: MarkdownStream, width: number, options: RenderStreamOptions = {}): string[] {
  const w = checkWidth(width);
  const theme = options.theme ?? colorMarkdownTheme;
  const memo = memoFor(stream, w, theme);
  const finished = stream.finished;
  const live = stream.live;
  if (live !== '' && memo.liveSource !== live) {
    memo.liveSource = live;
    const plain = stream.livePlain;
    memo.liveLines =
      plain !== null
        ? livePlainLines(memo, stream, plain)
        : stream.liveTypes.includes('table')
          ? heldTable(live, w, theme)
          : renderSource(live, w, theme);
  } else if (live === '') memo.plain = null;
  const fresh = finished.length - memo.count;
  if (options.tailRows === undefined) {
    renderHeldBlocks(stream);
    for (; memo.count < finished.length; memo.count++) appendBlock(memo.lines, renderBlock(finished[memo.count] as string, w, theme));
  } else {
    // Following the tail: new blocks wait (no rows) unless they are among the newest ones that
    // fill the window. The rendered rows at the end must exceed `tailRows` by one, so that the
    // message's first line (with its mark) never lands in the window in place of a middle one,
    // and again each call: the window may have grown since blocks were held.
    if (fresh > 0) {
      for (let i = 0; i < fresh; i++) memo.held.push(null);
      memo.unrendered += fresh;
      memo.count = finished.length;
    }
    const first = memo.count - memo.held.length;
    let rows = live !== '' ? memo.liveLines.length : 0;
    for (let i = memo.held.length - 1; i >= 0 && rows <= options.tailRows; i--) {
      let lines = memo.held[i]!;
      if (lines === null) {
        lines = renderBlock(finished[first + i] as string, w, theme);
        memo.held[i] = lines;
        memo.unrendered--;
      }
      // The blank row between two blocks counts only once the older one is drawn.
      if (lines.length > 0) rows += lines.length + (rows > 0 ? 1 : 0);
    }
    settleHeld(memo);
  }
  const out = memo.lines.slice();
  for (const block of memo.held) if (block !== null) appendBlock(out, block);
  if (live !== '') appendBlock(out, memo.liveLines);
  const partial = options.partialLine === 'show' ? stream.partialLine : '';
  if (partial.trim() !== '') {
    if (out.length > 0 && (live === '' || /\n[ \t]*\n$/.test(live) || /^[ \t]*\n$/.test(live))) out.push('');
    for (const line of wrapStyled(partial.replaceAll('\t', '    '), w, { hard: true, trim: false }).split('\n')) {
      out.push(fitHard(line, w));
    }
  }
  return out;
}
