/**
 * Incremental top-level block splitting of a growing markdown reply.
 *
 * A reply streams in as deltas. Re-rendering the whole reply for every delta is quadratic, so the
 * text is cut into top-level markdown blocks (CommonMark/GFM as implemented by `marked`): blocks
 * that can no longer change are "finished" and rendered once; only the last block stays "live".
 */
import { Lexer, Marked, type Token } from 'marked';
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

/** Tracks one growing markdown text (a text content block of an assistant message). */
export class MarkdownStream {
  /** Length of the raw text seen so far. */
  #length = 0;
  /** The raw text from `#tailStart` on: compared again on the next update. */
  #tail = '';
  #tailStart = 0;
  /** Index in the raw text just after the last `\n` whose line has been sanitised. */
  #rawLineEnd = 0;
  /** Sanitised complete lines not yet committed: the live region. */
  #region = '';
  readonly #finished: string[] = [];
  #live = '';
  #partial = '';
  #final = false;
  #liveTypes: readonly string[] = [];

  /**
   * Feed the whole accumulated text so far (raw, unsanitised model text; each call's text must
   * extend the previous one). `final = true` when the block is complete (the stream ended): the
   * last partial line is taken as a line and every block becomes finished.
   *
   * Work per call, in characters: the partial last line and newly completed lines (sanitised
   * once), and — only when a line was completed — lexing the live region (never committed text).
   * So that a long reply costs no quadratic work, only the last line and the
   * {@link CHECK_WINDOW} characters before it are compared with the previous text.
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
    this.#length = text.length;
    const lineEnd = final ? text.length : text.lastIndexOf('\n') + 1;
    let grew = false;
    if (lineEnd > this.#rawLineEnd) {
      this.#region += sanitizeModelText(text.slice(this.#rawLineEnd, lineEnd));
      this.#rawLineEnd = lineEnd;
      grew = true;
    }
    this.#tailStart = Math.max(0, this.#rawLineEnd - CHECK_WINDOW);
    this.#tail = text.slice(this.#tailStart);
    this.#partial = final ? '' : sanitizeModelText(text.slice(this.#rawLineEnd));
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
   * `['table']`; empty when there is no live block.
   */
  get liveTypes(): readonly string[] {
    return this.#liveTypes;
  }

  /** The held-back partial last line (sanitised); '' when the text ends in `\n` or when final. */
  get partialLine(): string {
    return this.#partial;
  }

  /** True once `update(text, true)` has been called. */
  get isFinal(): boolean {
    return this.#final;
  }

  /** Commit every block of the live region followed by another block (all of them when final). */
  #commit(final: boolean): void {
    const region = this.#region;
    const { cuts, spans } = safeCuts(region);
    if (final) cuts.push(region.length);
    let from = 0;
    for (const cut of cuts) {
      if (cut <= from) continue;
      this.#finished.push(region.slice(from, cut));
      from = cut;
    }
    this.#region = region.slice(from);
    this.#live = final ? '' : this.#region;
    this.#liveTypes = final ? [] : spans.filter((span) => span.start >= from).map((span) => span.type);
  }
}
