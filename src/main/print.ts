import type { ConversationState } from '../domain/conversation.js';
import type { AssistantMessage, StreamEvent } from '../domain/types.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import type { ChatEngine } from '../chat/engine.js';
import { refMarks, replySources, sourceKey } from '../domain/web.js';

/**
 * Text for `out` as it should be written: untouched for a pipe or a file (byte-exact output), with
 * every terminal control sequence removed when `out` is a terminal (model and API text is
 * untrusted: an OSC 52 or a clear-screen must not reach the user's terminal).
 */
function forOutput(out: NodeJS.WritableStream): (text: string) => string {
  return (out as Partial<NodeJS.WriteStream>).isTTY === true ? sanitizeModelText : (text) => text;
}

/** How print mode writes the reply. */
export type OutputFormat = 'text' | 'json' | 'stream-json';

/** Inputs of one print-mode run. */
export interface PrintOptions {
  /** An engine built with `tap: printer.tap` (see {@link createPrinter}). */
  engine: ChatEngine;
  printer: Printer;
  prompt: string;
  /** `max_tokens`, in tokens, for the max_tokens notice. */
  maxTokens: number;
  /** Where errors and notices go (stderr). */
  err: NodeJS.WritableStream;
}

/** Writes stream events to stdout in one output format, as they arrive. */
export interface Printer {
  format: OutputFormat;
  /** Pass as the engine's `tap`: sees each event the moment it is parsed. */
  tap: (e: StreamEvent) => void;
  /** True when the text written so far ends with a newline (or nothing was written). */
  endsWithNewline(): boolean;
  /** Called once at the end with the final reply (json writes it then). */
  finish(reply: AssistantMessage | null): void;
}

/**
 * A printer for print mode: in `text` format each text delta is written the moment it is parsed,
 * nothing else; `stream-json` writes one wire event per line; `json` writes nothing until the end.
 * @param out stdout
 */
export function createPrinter(format: OutputFormat, out: NodeJS.WritableStream): Printer {
  let endsWithNewline = true;
  // Per delta: the sanitiser never lets a control character through, even from a sequence split
  // across deltas (its pieces show as placeholders or plain text).
  const clean = forOutput(out);
  // Text format: the sources cited so far (numbered in order of first citation, as the chat does)
  // and the citations of the text block streaming now, marked `[n]` when it stops.
  const sources: string[] = [];
  let cited: number[] = [];
  const write = (text: string): void => {
    out.write(clean(text));
    endsWithNewline = text.endsWith('\n');
  };
  return {
    format,
    endsWithNewline: () => endsWithNewline,
    finish: (reply) => {
      if (format === 'json' && reply) out.write(`${JSON.stringify(toApiShape(reply), null, 2)}\n`);
      if (format === 'text' && reply) {
        const list = sourcesText(reply);
        if (list) write(`${endsWithNewline ? '' : '\n'}\n${list}`);
      }
    },
    tap: (e) => {
      if (format === 'stream-json') {
        // The event exactly as it came off the wire, unknown types included.
        out.write(`${JSON.stringify(e.wire)}\n`);
      } else if (format === 'text' && e.type === 'content_block_delta' && e.delta.type === 'text_delta' && e.delta.text.length > 0) {
        write(e.delta.text);
      } else if (format === 'text' && e.type === 'content_block_delta' && e.delta.type === 'citations_delta') {
        const key = sourceKey(e.delta.citation);
        if (!sources.includes(key)) sources.push(key);
        const n = sources.indexOf(key) + 1;
        if (!cited.includes(n)) cited.push(n);
      } else if (format === 'text' && e.type === 'content_block_stop' && cited.length > 0) {
        write(refMarks(cited));
        cited = [];
      } else if (format === 'text' && e.type === 'message_start') {
        cited = [];
      }
    },
  };
}

/**
 * A reply's sources for text output, one per line: `[1] Title · domain` and its URL indented
 * under it (domain/web.ts numbers them as the chat does). "" when the reply cites nothing.
 */
export function sourcesText(reply: AssistantMessage): string {
  const { sources } = replySources(reply.content);
  if (sources.length === 0) return '';
  const lines = ['Sources:'];
  for (const s of sources) {
    const title = s.title.replace(/\s+/g, ' ');
    lines.push(`[${s.n}] ${title}${s.domain && !title.includes(s.domain) ? ` · ${s.domain}` : ''}`);
    if (s.url) lines.push(`    ${s.url}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The final message in the Messages API's own shape, for `--output-format json`: its content is
 * the wire blocks as sent (every field, unknown block types included).
 */
export function toApiShape(m: AssistantMessage): Record<string, unknown> {
  return {
    id: m.apiId,
    type: 'message',
    role: 'assistant',
    model: m.model,
    // The blocks exactly as the API sent them (a cut-off reply's last block as far as it came).
    content: m.content,
    stop_reason: m.stop_reason,
    stop_sequence: m.stop_sequence,
    ...(m.stop_details ? { stop_details: m.stop_details } : {}),
    usage: m.usage,
    request_id: m.requestId,
  };
}

function lastReply(state: ConversationState): AssistantMessage | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const m = state.messages[i]!;
    if (m.role === 'assistant') return m;
    if (m.role === 'user') return null;
  }
  return null;
}

/**
 * Print mode (`inkwell -p`): sends one prompt (after any resumed history) and streams the reply
 * through the printer. Errors go to `err` in plain words.
 * @returns the process exit code: 0 on a complete reply, 1 on any failure (the partial text
 *   already written stays written)
 * @throws never
 */
export async function runPrint(o: PrintOptions): Promise<number> {
  const { engine, printer } = o;
  const clean = forOutput(o.err);
  if (!engine.send(o.prompt)) {
    o.err.write('inkwell: nothing to send.\n');
    return 2;
  }
  const outcome = await engine.settled();
  const reply = lastReply(engine.getState());
  printer.finish(reply);
  const gap = printer.format === 'text' && !printer.endsWithNewline() ? '\n' : '';
  if (!outcome?.ok) {
    const message = outcome && !outcome.ok ? outcome.failure.message : 'the request did not run';
    o.err.write(`${gap}inkwell: ${clean(message)}\n`);
    return 1;
  }
  if (reply?.stop_reason === 'max_tokens') {
    o.err.write(`${gap}inkwell: the reply stopped at max_tokens (${o.maxTokens}); raise --max-tokens for a longer one.\n`);
  } else if (reply?.stop_reason === 'refusal') {
    o.err.write(
      `${gap}inkwell: Claude declined to answer${reply.stop_details?.explanation ? `: ${clean(reply.stop_details.explanation)}` : '.'}\n`,
    );
  }
  return 0;
}
