/**
 * The offline demo model: answers any prompt with a short markdown reply (heading, paragraph,
 * bullet list, TypeScript fence, GFM table, closing sentence), honouring `max_tokens`.
 */
import type { CacheUsage } from './cache.js';
import { sseForText } from './generate.js';
import { fnv1a, newMessageId } from './ids.js';
import { estimateInputTokens, lastUserText } from './tokens.js';
import type { MessagesRequest } from './validate.js';

/** Longest prompt excerpt shown in the heading, in code points (an ellipsis is added). */
const PROMPT_EXCERPT_CHARS = 40;

/**
 * Make a prompt safe to show inside a markdown heading: drops ANSI escapes, control and
 * format characters (bidi overrides; ZWJ is kept for emoji) and markdown punctuation
 * (`` ` * _ # < > [ ] | \ ~ ``), collapses whitespace and truncates to 40 code points plus `…`.
 *
 * @param prompt  raw user text.
 * @returns a single-line excerpt; `'your message'` if nothing is left.
 */
export function sanitizePrompt(prompt: string): string {
  const cleaned = prompt
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\p{Cc}|(?!\u200d)\p{Cf}/gu, ' ')
    .replace(/[`*_#<>[\]|\\~]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return 'your message';
  const chars = Array.from(cleaned);
  return chars.length > PROMPT_EXCERPT_CHARS ? chars.slice(0, PROMPT_EXCERPT_CHARS).join('').trimEnd() + '…' : cleaned;
}

interface Topic {
  name: string;
  paragraph: string;
  bullets: string[];
  code: string;
  table: string[][];
}

const TOPICS: readonly Topic[] = [
  {
    name: 'streaming',
    paragraph:
      'Replies arrive as a stream of small text deltas. A good client appends each delta to the ' +
      'current block, renders only what changed, and keeps the finished part of the reply frozen.',
    bullets: ['Coalesce deltas into one update per frame', 'Flush on stop, error or abort', 'Never treat `message_start` usage as final'],
    code: [
      'export function appendDelta(text: string, delta: string): string {',
      '  // Deltas can split words, lines and even markdown fences.',
      '  return text + delta;',
      '}',
    ].join('\n'),
    table: [
      ['Event', 'Carries'],
      ['`message_start`', 'id, model, initial usage'],
      ['`content_block_delta`', 'a few characters of text'],
      ['`message_delta`', 'stop reason, final usage'],
    ],
  },
  {
    name: 'caching',
    paragraph:
      'Rendering markdown is cheap once and expensive a thousand times. Cache every block that can ' +
      'no longer change, keyed by its text and the terminal width, and re-render only the live tail.',
    bullets: ['Key the cache by block text and width', 'Invalidate everything on resize', 'Keep the live region small'],
    code: [
      'const cache = new Map<string, string[]>();',
      '',
      'export function renderCached(block: string, width: number, render: (b: string) => string[]): string[] {',
      '  const key = `${width}:${block}`;',
      '  let lines = cache.get(key);',
      '  if (!lines) cache.set(key, (lines = render(block)));',
      '  return lines;',
      '}',
    ].join('\n'),
    table: [
      ['Part', 'Changes', 'Cached'],
      ['Finished blocks', 'never', 'yes'],
      ['Live block', 'every frame', 'no'],
      ['Status line', 'per second', 'no'],
    ],
  },
  {
    name: 'testing',
    paragraph:
      'Recorded streams make the best tests: they carry the padding, the odd event orders and the ' +
      'usage quirks of the real service. Replay them in small chunks so line reassembly gets exercised.',
    bullets: ['Replay fixtures byte for byte', 'Cut streams mid-way to test recovery', 'Assert on what the client sent'],
    code: [
      'import { expect, test } from "vitest";',
      '',
      'test("a cut stream keeps the partial text", async () => {',
      '  const text = await replay("18-error-overloaded-midstream.sse");',
      '  expect(text).toBe("- Captain");',
      '});',
    ].join('\n'),
    table: [
      ['Case', 'Expect'],
      ['`max_tokens`', 'a warning and a continue key'],
      ['in-stream error', 'partial text kept'],
      ['refusal', 'empty content, a notice'],
    ],
  },
  {
    name: 'layout',
    paragraph:
      'A terminal is a grid of cells, and wide characters take two of them. Measure with a ' +
      'grapheme-aware width function, wrap after styling, and never split an escape sequence.',
    bullets: ['Measure graphemes, not code units', 'Wrap styled text with an ANSI-aware wrapper', 'Leave a column for the scrollbar'],
    code: [
      'export function fit(line: string, width: number): string {',
      '  const chars = Array.from(line);',
      '  return chars.length <= width ? line : chars.slice(0, width - 1).join("") + "…";',
      '}',
    ].join('\n'),
    table: [
      ['Text', 'Code units', 'Cells'],
      ['`abc`', '3', '3'],
      ['`日本`', '2', '4'],
      ['`👍🏽`', '4', '2'],
    ],
  },
];

const OPENERS = ['Here is a short answer', 'A quick overview', 'Some notes', 'A brief tour'] as const;
const CLOSERS = [
  'That covers the essentials — ask a follow-up for more detail.',
  'Hope this helps; happy to go deeper on any part.',
  'Those are the main points, in a nutshell.',
] as const;

/**
 * The demo model's markdown reply to a prompt. Deterministic: the prompt's hash picks the
 * topic, opener and closer.
 *
 * @param prompt  the last user message text.
 * @returns markdown with a heading (containing the sanitised prompt), a paragraph, a bullet
 *   list, a ```typescript fence, a GFM table and a closing sentence.
 */
export function demoReply(prompt: string): string {
  const hash = fnv1a(prompt);
  const topic = TOPICS[hash % TOPICS.length]!;
  const opener = OPENERS[(hash >>> 8) % OPENERS.length]!;
  const closer = CLOSERS[(hash >>> 16) % CLOSERS.length]!;
  const [head, ...rows] = topic.table;
  const table = [head!, head!.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  return [
    `## ${opener}: “${sanitizePrompt(prompt)}”`,
    `You asked about **${sanitizePrompt(prompt)}**. This is the offline demo model, so here is a note on ${topic.name} instead. ${topic.paragraph}`,
    topic.bullets.map((b) => `- ${b}`).join('\n'),
    '```typescript\n' + topic.code + '\n```',
    table,
    closer,
  ].join('\n\n');
}

/**
 * The demo model's SSE stream for a validated request: {@link demoReply} to the last user
 * message, cut at the request's `max_tokens` (1 token per text delta), `model` echoed,
 * `input_tokens` ≈ request chars / 4, `output_tokens` = deltas sent. docs/PROTOCOL.md §2–§4.
 *
 * @param request  a validated Messages request.
 * @param cache  the usage split by the server's prompt cache (cache.ts); default none.
 * @returns the SSE body as a string.
 */
export function demoSse(request: MessagesRequest, cache?: CacheUsage): string {
  const cont = continuationOf(request.messages);
  let text = isTitleRequest(request) ? demoTitle(lastUserText(request)) : demoReply(lastUserText(request));
  if (cont) {
    const full = demoReply(cont.prompt);
    const partial = cont.prefill ? cont.partial.trimEnd() : cont.partial;
    if (full.startsWith(partial)) {
      // A user-turn continuation restates the last word, as real models often do, so the client's
      // seam cleaning shows; a prefill continuation carries straight on.
      const from = cont.prefill ? partial.length : Math.max(0, partial.search(/\S*$/));
      text = full.slice(from);
    } else {
      text = full;
    }
  }
  return sseForText(text, {
    model: request.model,
    maxTokens: request.max_tokens,
    inputTokens: estimateInputTokens(request),
    id: newMessageId(),
    ...(cache ? { cache } : {}),
  });
}

/** The start of inkwell's session-title instruction (chat/auto-title.ts `TITLE_SYSTEM`). */
const TITLE_MARK = 'You name chat sessions.';

/** A request for a session title: inkwell's title instruction as the system prompt. */
function isTitleRequest(request: MessagesRequest): boolean {
  return typeof request.system === 'string' && request.system.startsWith(TITLE_MARK);
}

/**
 * The demo model's session title: "Notes on <topic>: <first words of the prompt>", from the
 * `<prompt>` part of the title request (at most 5 words of it).
 */
export function demoTitle(requestText: string): string {
  const prompt = /<prompt>\n([\s\S]*?)\n<\/prompt>/.exec(requestText)?.[1] ?? requestText;
  const topic = TOPICS[fnv1a(prompt) % TOPICS.length]!;
  const words = sanitizePrompt(prompt).replace(/…$/, '').split(' ').slice(0, 5).join(' ');
  return `Notes on ${topic.name}: ${words}`;
}

/** inkwell's own continuation instruction starts with this (domain/continuation.ts). */
const CONTINUE_MARK = 'Your previous response was cut off';

function plainText(message: unknown): string {
  if (typeof message !== 'object' || message === null) return '';
  const content = (message as { content?: unknown }).content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b) =>
      typeof b === 'object' && b !== null && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : '',
    )
    .join('');
}

function roleOf(message: unknown): string {
  return typeof message === 'object' && message !== null ? String((message as { role?: unknown }).role) : '';
}

/**
 * Recognises a request to continue a demo reply: assistant prefill (the last message is the
 * partial reply), or inkwell's user-turn strategy (partial, then the continue instruction).
 * @returns the original prompt and the partial reply, or null for an ordinary request
 */
function continuationOf(messages: readonly unknown[]): { prompt: string; partial: string; prefill: boolean } | null {
  const n = messages.length;
  const last = messages[n - 1];
  if (roleOf(last) === 'assistant' && roleOf(messages[n - 2]) === 'user') {
    return { prompt: plainText(messages[n - 2]), partial: plainText(last), prefill: true };
  }
  if (
    roleOf(last) === 'user' &&
    plainText(last).startsWith(CONTINUE_MARK) &&
    roleOf(messages[n - 2]) === 'assistant' &&
    roleOf(messages[n - 3]) === 'user'
  ) {
    return { prompt: plainText(messages[n - 3]), partial: plainText(messages[n - 2]), prefill: false };
  }
  return null;
}
