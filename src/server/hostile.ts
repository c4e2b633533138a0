/**
 * Hostile or huge replies for the robustness tests and the bench (issue 22): deep nesting, one
 * very long block, a very long line, a huge table and one enormous event. Each ends with a last
 * paragraph naming it (`hostile <name> done`), so a client can tell the reply is on screen.
 */
import { encodeEvent, messageStartEvent, PING_FRAME } from './sse.js';

/** One hostile reply: its text and how big its `text_delta` events are. */
export interface HostileReply {
  /** Short name, e.g. `quote-1k`. */
  name: string;
  /** What it stands for, in a few words. */
  what: string;
  /** The reply's text (ends with `\n\nhostile <name> done\n`). */
  text: string;
  /** UTF-16 code units per `text_delta` event; 0: the whole text in one event. */
  deltaChars: number;
}

/** The marker line a hostile reply ends with. */
export function hostileDone(name: string): string {
  return `hostile ${name} done`;
}

function reply(name: string, what: string, body: string, deltaChars: number): HostileReply {
  return { name, what, text: `${body}\n\n${hostileDone(name)}\n`, deltaChars };
}

/** `depth` block quotes nested on one line (`>>>> deep`). */
export function nestedQuotes(depth: number): string {
  return `${'>'.repeat(depth)} deep\n`;
}

/** `depth` bullet lists, each nested in the previous item (two more spaces a level). */
export function nestedLists(depth: number): string {
  let out = '';
  for (let i = 0; i < depth; i++) out += `${'  '.repeat(i)}- level ${i + 1}\n`;
  return out;
}

/** One paragraph of `lines` lines (no blank line anywhere). */
export function longParagraph(lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) out += `line ${i + 1} of one long paragraph that goes on\n`;
  return out;
}

/** One line of about `chars` characters (words, no newline until the end). */
export function longLine(chars: number): string {
  const word = 'lorem ipsum dolor sit amet ';
  return `${word.repeat(Math.ceil(chars / word.length)).slice(0, chars)}\n`;
}

/** A GFM table of `rows` body rows and three columns. */
export function bigTable(rows: number): string {
  let out = '| # | name | value |\n|---|---|---|\n';
  for (let i = 0; i < rows; i++) out += `| ${i + 1} | row ${i + 1} | ${(i * 7919) % 10007} |\n`;
  return out;
}

/**
 * The hostile replies of issue 22, at the sizes it reported. Sizes in characters (UTF-16).
 */
export function hostileReplies(): HostileReply[] {
  return [
    reply('quote-1k', '1,000 nested block quotes', nestedQuotes(1000), 16),
    reply('quote-10k', '10,000 nested block quotes', nestedQuotes(10_000), 64),
    reply('list-1k', '1,000 nested lists', nestedLists(1000), 64),
    reply('para-16k', 'one paragraph of 16,000 lines', longParagraph(16_000), 64),
    reply('line-5m', 'one 5 MB line', longLine(5_000_000), 4096),
    reply('table-10k', 'a table of 10,000 rows', bigTable(10_000), 64),
    reply('event-20m', 'one 20 MB text_delta', longLine(20_000_000), 0),
  ];
}

/**
 * A complete Messages API stream (SSE) for `text` in `text_delta` events of `deltaChars` code
 * units (0: one event), ending with `end_turn`. `output_tokens` is a rough count (4 chars a token).
 */
export function sseForDeltas(text: string, deltaChars: number, model: string): string {
  const frames: string[] = [
    encodeEvent(messageStartEvent({ model, id: 'msg_hostile000000000000001', inputTokens: 10 })),
    encodeEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    PING_FRAME,
  ];
  const step = deltaChars > 0 ? deltaChars : text.length;
  for (let i = 0; i < text.length; i += step) {
    frames.push(encodeEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: text.slice(i, i + step) } }));
  }
  frames.push(encodeEvent({ type: 'content_block_stop', index: 0 }));
  frames.push(
    encodeEvent({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: Math.max(1, Math.ceil(text.length / 4)) },
    }),
  );
  frames.push(encodeEvent({ type: 'message_stop' }));
  return frames.join('');
}
