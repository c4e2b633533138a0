/**
 * Incremental top-level block splitting of a growing markdown reply.
 *
 * A reply streams in as deltas. Re-rendering the whole reply for every delta is quadratic, so the
 * text is cut into top-level markdown blocks (CommonMark/GFM as implemented by `marked`): blocks
 * that can no longer change are "finished" and rendered once; only the last block stays "live".
 */
import { Lexer, Marked, type Token } from 'marked';
import { closesFence, countLines, fenceOpener, firstHazard, MAX_BLOCK_CHARS, MAX_BLOCK_LINES, type PlainReason } from './limits.js';
import { sanitizeModelText } from './sanitize.js';

/**
 * The options of the lexer used for splitting: fixed (never the global `marked` options), GFM on,
 * as in {@link renderBlock}.
 */
const SPLIT_OPTIONS = new Marked({ gfm: true, breaks: false, pedantic: false, async: false }).defaults;

/**
 * Lex markdown source into top-level tokens with the splitter's fixed options (GFM): block level
 * only (`Lexer.blockTokens`, what `lex` runs before its inline pass). Splitting needs each block's
 * type and raw source, never the inline tokens inside it, and the inline pass was most of the
 * lexing time (it runs on every completed line of the live region).
 */
export function lexBlocks(source: string): Token[] {
  return new Lexer(SPLIT_OPTIONS).blockTokens(source.replace(/\r\n?/g, '\n'), []);
}

/** A top-level token's identity for comparing two lexings: type and source, trailing blanks trimmed. */
function signature(type: string, raw: string): string {
  return `${type}\u0000${raw.trimEnd()}`;
}

/** Signatures of the non-space top-level tokens of `source` lexed on its own. */
function signaturesOf(source: string): string[] {
  return lexBlocks(source)
    .filter((token) => token.type !== 'space')
    .map((token) => signature(token.type, token.raw));
}

/**
 * Where a (sanitised) region may be cut into top-level blocks.
 *
 * Returns `spans`, the region's non-space top-level tokens (offset and type), and `cuts`: offsets (UTF-16 code units into `region`, each > 0, increasing) at which a block
 * starts; a block runs to the next cut (or the end), so blank lines belong to the block before
 * them and leading blank lines of the region to the first block.
 *
 * A cut is only made where lexing each side on its own gives the same top-level tokens as
 * lexing the region:
 * - at the start of a non-space token;
 * - not right after a paragraph (marked's tokenizers look at the previous token: an HTML block
 *   of CommonMark type 7 cannot interrupt a paragraph, indented code and link definitions merge
 *   into it, and so do paragraph lines after a failed table interruption). A blank line in
 *   between clears that, so a paragraph and a block glued to it stay one block;
 * - not after a token whose `raw` is not the source text at its offset (marked rewrites a few
 *   raws, e.g. an empty last list item `1. ` gets raw `1.\n`);
 * - only if the block before the cut, lexed alone, gives the same tokens as in the region (a
 *   line can end a paragraph because of the line after it: GFM's table interruption looks one
 *   line ahead, so `x\n3) y` is one paragraph but `x\n3) y\n---` is paragraph, list, rule).
 * Committing later is always safe; committing wrongly is not.
 */
function safeCuts(region: string): { cuts: number[]; spans: { start: number; type: string }[] } {
  const candidates: number[] = [];
  const spans: { start: number; signature: string; type: string }[] = [];
  let offset = 0;
  let previous: string | undefined; // type of the previous token, space tokens included
  for (const token of lexBlocks(region)) {
    const trusted = region.startsWith(token.raw, offset);
    const cuttable = offset > 0 && previous !== 'paragraph' && previous !== 'text';
    if ((token.type !== 'space' || !trusted) && cuttable) candidates.push(offset);
    if (!trusted) break;
    if (token.type !== 'space') spans.push({ start: offset, signature: signature(token.type, token.raw), type: token.type });
    previous = token.type;
    offset += token.raw.length;
  }
  // An all-blank first block (leading blank lines) is merged into the next one.
  if (candidates.length > 0 && region.slice(0, candidates[0]).trim() === '') candidates.shift();
  const cuts: number[] = [];
  let from = 0;
  let first = 0; // index into spans of the first token at or after `from`
  for (const cut of candidates) {
    let end = first;
    while (end < spans.length && (spans[end] as { start: number }).start < cut) end++;
    const alone = signaturesOf(region.slice(from, cut));
    const same = alone.length === end - first && alone.every((sig, i) => sig === spans[first + i]?.signature);
    if (same) {
      cuts.push(cut);
      from = cut;
      first = end;
    }
  }
  return { cuts, spans };
}

/** How much already-consumed raw text is re-compared on each update to detect a text that does not extend the previous one, in UTF-16 units. */
const CHECK_WINDOW = 256;

/**
 * A character that is visible once sanitised: not whitespace `trim()` removes, not one the
 * sanitiser drops (controls, `\v` and `\f` included, become visible pictures). Global: searched
 * from `lastIndex`.
 */
const VISIBLE = /[^ \t\n\r\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\u2060\u202a-\u202e\u2066-\u2069]/g;

/**
 * The block being shown as plain text (see limits.ts), from the start of the live region: it
 * ends before the first non-blank line after a blank line, or, for a fenced code block, after its
 * closing fence (and any blank lines after it).
 */
interface PlainBlock {
  reason: PlainReason;
  /** The opening fence when the block is fenced code, else null. */
  fence: string | null;
  /** The fence closed, or a blank line was seen: the next non-blank line starts a new block. */
  ended: boolean;
  /** Offset (from the block's start) up to which lines have been looked at. */
  scanned: number;
}

/** Tracks one growing markdown text (a text content block of an assistant message). */
export class MarkdownStream {
  /** Length of the raw text seen so far. */
  #length = 0;
  /** The raw text from `#tailStart` on (at most 2 × CHECK_WINDOW units): compared again on the next update. */
  #tail = '';
  #tailStart = 0;
  /** Index in the raw text just after the last `\n` whose line has been sanitised. */
  #rawLineEnd = 0;
  /** Sanitised complete lines not yet committed: the live region. */
  #region = '';
  readonly #finished: string[] = [];
  #live = '';
  /** The raw text last fed; the partial line is `#text.slice(#rawLineEnd)`, sanitised on demand. */
  #text = '';
  #partial: string | null = '';
  #final = false;
  #liveTypes: readonly string[] = [];
  #plain: PlainBlock | null = null;

  /**
   * Feed the whole accumulated text so far (raw, unsanitised model text; each call's text must
   * extend the previous one). `final = true` when the block is complete (the stream ended): the
   * last partial line is taken as a line and every block becomes finished.
   *
   * Work per call, in characters: newly completed lines (sanitised once), and — only when a line
   * was completed — lexing the live region (never committed text), which is bounded by the
   * limits of limits.ts: beyond them the live block is plain text and only its new lines are
   * looked at. The partial last line is neither copied nor sanitised until asked for
   * ({@link partialLine}), and only the {@link CHECK_WINDOW} characters around the last line end
   * are compared with the previous text, so a long reply, or one very long line, costs no
   * quadratic work.
   *
   * Throws TypeError if `text` is not a string; Error if `text` is shorter than the previous text
   * or differs from it in the compared window, or if the stream is already final and `text` is
   * not the same text (a repeated final call with the same text is a no-op).
   */
  update(text: string, final = false): void {
    if (typeof text !== 'string') throw new TypeError('MarkdownStream.update: text must be a string');
    const extends_ = text.length >= this.#length && text.startsWith(this.#tail, this.#tailStart);
    if (this.#final) {
      if (extends_ && text.length === this.#length) return;
      throw new Error('MarkdownStream.update: the stream is already final');
    }
    if (!extends_) throw new Error('MarkdownStream.update: text does not extend the previous text');
    const previous = this.#length;
    this.#length = text.length;
    this.#text = text;
    const lineEnd = final ? text.length : lastLineEnd(text, Math.max(previous, this.#rawLineEnd), this.#rawLineEnd);
    let grew = false;
    if (lineEnd > this.#rawLineEnd) {
      this.#region += sanitizeModelText(text.slice(this.#rawLineEnd, lineEnd));
      this.#rawLineEnd = lineEnd;
      grew = true;
    }
    this.#tailStart = Math.max(0, this.#rawLineEnd - CHECK_WINDOW);
    this.#tail = text.slice(this.#tailStart, Math.min(text.length, this.#rawLineEnd + CHECK_WINDOW));
    this.#partial = final ? '' : null;
    if (final) {
      this.#final = true;
      this.#commit(true);
    } else if (grew) {
      this.#commit(false);
    }
  }

  /** Sanitised sources of finished top-level blocks, in order; entries never change once here. */
  get finished(): readonly string[] {
    return this.#finished;
  }

  /** The still-changing last block: complete lines only (sanitised); '' if none or when final. */
  get live(): string {
    return this.#live;
  }

  /**
   * The marked token types of the live block's top-level tokens (space left out), e.g.
   * `['table']`; `['plain']` when the live block is shown as plain text (see {@link livePlain});
   * empty when there is no live block.
   */
  get liveTypes(): readonly string[] {
    return this.#liveTypes;
  }

  /** Why the live block is shown as plain text (limits.ts), or null when it is markdown. */
  get livePlain(): PlainReason | null {
    return this.#final ? null : (this.#plain?.reason ?? null);
  }

  /** The held-back partial last line (sanitised); '' when the text ends in `\n` or when final. */
  get partialLine(): string {
    if (this.#partial === null) this.#partial = sanitizeModelText(this.#text.slice(this.#rawLineEnd));
    return this.#partial;
  }

  /**
   * Whether the partial last line has anything visible (the same as `partialLine.trim() !== ''`
   * without sanitising it): O(1) for a line that starts with a visible character.
   */
  get hasPartialLine(): boolean {
    if (this.#final || this.#rawLineEnd >= this.#text.length) return false;
    if (this.#partial !== null) return this.#partial.trim() !== '';
    VISIBLE.lastIndex = this.#rawLineEnd;
    return VISIBLE.test(this.#text);
  }

  /** True once `update(text, true)` has been called. */
  get isFinal(): boolean {
    return this.#final;
  }

  /**
   * Commit every block of the live region followed by another block (all of them when final).
   * Lines nested too deep or too long are never lexed (marked recurses per level); a live block
   * that grows past the size limits becomes plain text until it ends (see {@link PlainBlock}).
   */
  #commit(final: boolean): void {
    const region = this.#region;
    let from = 0;
    let spans: { start: number; type: string }[] = [];
    for (;;) {
      if (this.#plain !== null) {
        const end = plainEnd(this.#plain, region, from);
        if (end < 0) {
          if (final) {
            this.#finished.push(region.slice(from));
            from = region.length;
            this.#plain = null;
          }
          break;
        }
        this.#finished.push(region.slice(from, end));
        from = end;
        this.#plain = null;
        continue;
      }
      const rest = from === 0 ? region : region.slice(from);
      const hazard = firstHazard(rest);
      const lexable = hazard === null ? rest : rest.slice(0, hazard.at);
      const found = lexable.trim() === '' ? { cuts: [], spans: [] } : safeCuts(lexable);
      let last = 0;
      for (const cut of found.cuts) {
        if (cut <= last) continue;
        this.#finished.push(rest.slice(last, cut));
        last = cut;
      }
      spans = found.spans.filter((span) => span.start >= last).map((span) => ({ start: span.start, type: span.type }));
      if (hazard !== null) {
        // The markdown before the hazard ends there; blank lines alone go with the plain block.
        if (hazard.at > last && rest.slice(last, hazard.at).trim() !== '') {
          this.#finished.push(rest.slice(last, hazard.at));
          last = hazard.at;
        }
        from += last;
        this.#plain = startPlain(region, from, hazard.reason);
        continue;
      }
      const liveLength = rest.length - last;
      if (!final && (liveLength > MAX_BLOCK_CHARS || countLines(rest.slice(last), MAX_BLOCK_LINES) > MAX_BLOCK_LINES)) {
        from += last;
        this.#plain = startPlain(region, from, 'big');
        continue;
      }
      if (final && last < rest.length) {
        this.#finished.push(rest.slice(last));
        last = rest.length;
      }
      from += last;
      break;
    }
    this.#region = from === 0 ? region : region.slice(from);
    this.#live = final ? '' : this.#region;
    this.#liveTypes = final || this.#region === '' ? [] : this.#plain !== null ? ['plain'] : spans.map((span) => span.type);
  }
}

/**
 * The offset just after the last `\n` of `text` at or after `from`, else `otherwise`: only the
 * new characters are searched (`lastIndexOf` would scan a megabyte-long line back to its start).
 */
function lastLineEnd(text: string, from: number, otherwise: number): number {
  for (let i = text.length - 1; i >= from; i--) if (text.charCodeAt(i) === 0x0a) return i + 1;
  return otherwise;
}

/** A plain block starting at `start` of `region` (its first line decides whether it is fenced code). */
function startPlain(region: string, start: number, reason: PlainReason): PlainBlock {
  let at = start;
  // Leading blank lines belong to the block; its first non-blank line says what it is.
  while (at < region.length) {
    const nl = region.indexOf('\n', at);
    const end = nl < 0 ? region.length : nl;
    if (region.slice(at, end).trim() !== '') {
      const line = region.slice(at, Math.min(end, at + 64));
      return { reason, fence: fenceOpener(line), ended: false, scanned: end + 1 - start };
    }
    if (nl < 0) break;
    at = nl + 1;
  }
  return { reason, fence: null, ended: false, scanned: 0 };
}

/**
 * Where the plain block starting at `from` of `region` ends (the offset of the next block's first
 * line), or -1 when it goes on. Looks only at lines not looked at before (`block.scanned`).
 */
function plainEnd(block: PlainBlock, region: string, from: number): number {
  let at = from + block.scanned;
  while (at < region.length) {
    const nl = region.indexOf('\n', at);
    if (nl < 0) break; // an incomplete line (only when final): it belongs to the block
    const blank = isBlank(region, at, nl);
    if (!blank && block.ended) return at;
    if (block.fence !== null) {
      if (!block.ended && closesFence(region.slice(at, Math.min(nl, at + 64)), block.fence)) block.ended = true;
    } else if (blank) block.ended = true;
    at = nl + 1;
    block.scanned = at - from;
  }
  return -1;
}

/** Whether `text[start, end)` is whitespace only. */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
