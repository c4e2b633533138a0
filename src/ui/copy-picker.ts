import cliTruncate from 'cli-truncate';
import { replyText } from '../domain/blocks.js';
import type { AssistantMessage, Message } from '../domain/types.js';
import { citationsOf, isTextBlock } from '../domain/wire.js';
import { type CopyBlock, type CopyKind, copyableBlocks, sourcesBlock } from '../markdown/copyable.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import terminalWidth from '../text/width.js';

/**
 * What `/copy`'s picker offers: for each of the last replies, the whole reply and then each of its
 * blocks (markdown/copyable.ts) and its sources. Pure; the picker (CopyPicker.tsx) shows them.
 */

/** Replies the picker offers blocks of, counted from the last. */
export const COPY_REPLIES = 3;

/** One row of the picker. */
export interface CopyItem {
  /** 1 for the last reply, 2 for the one before, … */
  reply: number;
  kind: CopyKind | 'reply';
  /** Markdown source and plain text of what is copied. */
  block: Pick<CopyBlock, 'markdown' | 'plain' | 'language'>;
}

/** A reply's whole text, and each block of it. */
function itemsOf(m: AssistantMessage, reply: number): CopyItem[] {
  const text = replyText(m);
  const blocks = copyableBlocks(text);
  const citations = m.content.flatMap((b) => (isTextBlock(b) ? citationsOf(b) : []));
  const sources = sourcesBlock(citations);
  if (sources) blocks.push(sources);
  const whole = {
    // The reply exactly as the model wrote it, as /copy <n> copies it.
    markdown: text,
    plain: blocks
      .filter((b) => b.kind !== 'sources')
      .map((b) => b.plain)
      .join('\n\n'),
    language: '',
  };
  return [{ reply, kind: 'reply', block: whole }, ...blocks.map((block) => ({ reply, kind: block.kind, block }))];
}

/**
 * The picker's rows for a conversation: the last {@link COPY_REPLIES} replies that have text, in
 * transcript order.
 * @returns [] when no reply has text
 */
export function copyItems(messages: readonly Message[], replies = COPY_REPLIES): CopyItem[] {
  const withText = messages.filter((m): m is AssistantMessage => m.role === 'assistant' && replyText(m).trim() !== '');
  const shown = withText.slice(-replies);
  return shown.flatMap((m, i) => itemsOf(m, shown.length - i));
}

/** The row's label: which reply, what kind (`code · ts`), e.g. `#1 code · ts`. */
export function itemLabel(item: CopyItem): string {
  const kind =
    item.kind === 'reply' ? 'whole reply' : item.kind === 'code' && item.block.language ? `code · ${item.block.language}` : item.kind;
  return `#${item.reply} ${kind}`;
}

/** Columns the label takes in a row (labels are padded to it). */
const LABEL_COLUMNS = 18;

/**
 * One row of the picker: the label, then the start of the block's plain text on one line (model
 * text sanitised: no control sequence reaches the screen), cut to `width` columns.
 */
export function itemRow(item: CopyItem, width: number): string {
  const label = itemLabel(item);
  const pad = ' '.repeat(Math.max(1, LABEL_COLUMNS - terminalWidth(label)));
  const preview = sanitizeModelText(item.block.plain).replace(/\s+/g, ' ').trim();
  return cliTruncate(`${label}${pad}${preview}`, Math.max(1, width), { position: 'end' });
}

/**
 * The raw view's text: the last reply that has text, as its logical lines (the markdown source,
 * sanitised: control sequences shown as pictures, never sent), or null when no reply has text.
 */
export function rawReplyText(messages: readonly Message[]): string | null {
  const last = messages.findLast((m): m is AssistantMessage => m.role === 'assistant' && replyText(m).trim() !== '');
  return last ? sanitizeModelText(replyText(last).replace(/\s+$/, '')) : null;
}
