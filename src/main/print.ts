import { MAX_BLOCKS, type ConversationState } from '../domain/conversation.js';
import type { AssistantMessage, StreamEvent } from '../domain/types.js';
import { sanitizeModelText } from '../markdown/sanitize.js';
import type { ChatEngine } from '../chat/engine.js';
import { failureJson, printMessage, stringifyVisible } from './print-output.js';
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
  /** Writes a failure: one JSON object (json) or line (stream-json); nothing for text. */
  fail(json: Record<string, unknown>): void;
  /** Ends text output with a newline when it does not end with one. */
  endLine(): void;
  /** True once the reader of stdout went away (EPIPE: `| head` had enough); nothing more is written. */
  closed(): boolean;
  /** Calls `listener` once, when the reader goes away. */
  onClosed(listener: () => void): void;
}

/**
 * A printer for print mode: in `text` format each text delta is written the moment it is parsed,
 * nothing else; `stream-json` writes one wire event per line; `json` writes nothing until the end.
 * JSON escapes invisible and direction-changing characters (print-output.ts). A reader that goes
 * away (EPIPE) is not an error: writing stops and `onClosed` listeners are told.
 * @param out stdout
 */
export function createPrinter(format: OutputFormat, out: NodeJS.WritableStream): Printer {
  let endsWithNewline = true;
  let closed = false;
  const blockTypes: string[] = [];
  const closedListeners: Array<() => void> = [];
  // Per delta: the sanitiser never lets a control character through, even from a sequence split
  // across deltas (its pieces show as placeholders or plain text).
  const clean = forOutput(out);
  // Text format: the sources cited so far (numbered in order of first citation, as the chat does)
  // and the citations of the text block streaming now, marked `[n]` when it stops.
  const sources: string[] = [];
  let cited: number[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    for (const l of closedListeners.splice(0)) l();
  };
  // EPIPE (the reader went away) or any other write error: nothing more can reach the reader.
  out.on?.('error', close);
  const write = (text: string) => {
    if (!closed) out.write(text);
  };
  /** Model text (or text around it): sanitised, and remembered for the final newline. */
  const writeText = (text: string) => {
    write(clean(text));
    endsWithNewline = text.endsWith('\n');
  };
  return {
    format,
    endsWithNewline: () => endsWithNewline,
    closed: () => closed,
    onClosed: (l) => {
      if (closed) l();
      else closedListeners.push(l);
    },
    finish: (reply) => {
      if (format === 'json' && reply) write(`${stringifyVisible(toApiShape(reply), 2)}\n`);
      if (format === 'text' && reply) {
        const list = sourcesText(reply);
        if (list) writeText(`${endsWithNewline ? '' : '\n'}\n${list}`);
      }
    },
    fail: (json) => {
      if (format === 'json') write(`${stringifyVisible(json, 2)}\n`);
      else if (format === 'stream-json') write(`${stringifyVisible(json)}\n`);
    },
    endLine: () => {
      if (format === 'text' && !endsWithNewline) {
        write('\n');
        endsWithNewline = true;
      }
    },
    tap: (e) => {
      // The blocks as the reducer keeps them (domain/conversation.ts: a start lands only at the
      // next index; a delta applies only to a block of its kind), so the text printed is the
      // text saved even when a stream is malformed.
      if (e.type === 'message_start') blockTypes.length = 0;
      else if (e.type === 'content_block_start' && e.index <= blockTypes.length && e.index < MAX_BLOCKS)
        blockTypes[e.index] = e.content_block.type;
      if (format === 'stream-json') {
        // The event exactly as it came off the wire, unknown types included.
        write(`${stringifyVisible(e.wire)}\n`);
      } else if (
        format === 'text' &&
        e.type === 'content_block_delta' &&
        e.delta.type === 'text_delta' &&
        e.delta.text.length > 0 &&
        blockTypes[e.index] === 'text'
      ) {
        writeText(e.delta.text);
      } else if (format === 'text' && e.type === 'content_block_delta' && e.delta.type === 'citations_delta') {
        const key = sourceKey(e.delta.citation);
        if (!sources.includes(key)) sources.push(key);
        const n = sources.indexOf(key) + 1;
        if (!cited.includes(n)) cited.push(n);
      } else if (format === 'text' && e.type === 'content_block_stop' && cited.length > 0) {
        writeText(refMarks(cited));
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

/** Exit codes of a run ended by a signal: 128 + the signal's number, as a shell reports it. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** A retry wait from this long on is said on stderr (ms). */
const SAY_RETRY_FROM_MS = 1000;

/**
 * Print mode (`inkwell -p`): sends one prompt (after any resumed history) and streams the reply
 * through the printer. Errors go to `err` in plain words, with hints for the command line; with
 * `--output-format json` / `stream-json` a failure is also one JSON object on stdout. Text output
 * ends with a newline. A retry wait of a second or more is said on `err`. SIGINT, SIGTERM and
 * SIGHUP stop the reply (kept and saved, marked interrupted) and exit 130, 143 and 129. A reader
 * that goes away (`| head`) stops the reply quietly: exit 0, the reply saved as interrupted.
 * @returns the process exit code: 0 on a complete reply (or a reader that had enough), 1 on any
 *   failure (the partial text already written stays written), 128 + n after signal n
 * @throws never
 */
export async function runPrint(o: PrintOptions): Promise<number> {
  const { engine, printer } = o;
  const clean = forOutput(o.err);
  let signalled: number | null = null;
  const onSignal = (name: NodeJS.Signals) => {
    if (signalled === null) o.err.write(`\ninkwell: stopped by ${name}; what arrived is saved.\n`);
    signalled ??= SIGNAL_EXIT[name] ?? 1;
    engine.abort(`interrupted (${name})`);
  };
  const signals = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];
  for (const sig of signals) process.on(sig, onSignal);
  printer.onClosed(() => engine.abort('the reader of the output closed it'));
  let saidRetry: number | null = null;
  const offRetry = engine.subscribe(() => {
    const w = engine.getState().retryWait;
    if (!w || w.until === saidRetry) return;
    saidRetry = w.until;
    const ms = w.until - Date.now();
    if (ms >= SAY_RETRY_FROM_MS)
      o.err.write(`inkwell: ${w.reason}; retrying in ${Math.round(ms / 1000)} s (attempt ${w.attempt} of ${w.of}).\n`);
  });
  try {
    if (!engine.send(o.prompt)) {
      o.err.write('inkwell: nothing to send.\n');
      return 2;
    }
    const outcome = await engine.settled();
    const reply = lastReply(engine.getState());
    if (printer.closed()) return signalled ?? 0;
    if (!outcome?.ok) {
      printer.endLine();
      if (outcome && !outcome.ok) printer.fail(failureJson(outcome.failure, reply ? toApiShape(reply) : null));
      const message = outcome && !outcome.ok ? printMessage(outcome.failure.message) : 'the request did not run';
      if (signalled === null) o.err.write(`inkwell: ${clean(message)}\n`);
      return signalled ?? 1;
    }
    printer.finish(reply);
    printer.endLine();
    if (reply?.stop_reason === 'max_tokens') {
      o.err.write(`inkwell: the reply stopped at max_tokens (${o.maxTokens}); raise --max-tokens for a longer one.\n`);
    } else if (reply?.stop_reason === 'refusal') {
      o.err.write(
        `inkwell: Claude declined to answer${reply.stop_details?.explanation ? `: ${clean(reply.stop_details.explanation)}` : '.'}\n`,
      );
    }
    return signalled ?? 0;
  } finally {
    offRetry();
    for (const sig of signals) process.off(sig, onSignal);
  }
}
