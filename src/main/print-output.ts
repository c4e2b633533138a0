import type { ApiFailure } from '../api/errors.js';

/**
 * Text helpers of print mode (`inkwell -p`): JSON that cannot hide characters from a reader, and
 * failure messages whose hints fit a command line rather than the chat.
 */

/**
 * Characters JSON.stringify leaves raw that a terminal or a reader of the output may not show, or
 * shows reordered: DEL and the C1 controls (U+007F–U+009F; U+009B is a one-byte CSI), the bidi
 * marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E,
 * U+2066–U+2069; the "Trojan Source" characters, CVE-2021-42574), zero-width characters
 * (U+200B–U+200D, U+2060–U+2064, U+FEFF) and the line and paragraph separators (U+2028, U+2029).
 */
const HIDDEN = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * JSON.stringify, with the characters of {@link HIDDEN} written as `\uXXXX` escapes (RFC 8259 §7
 * allows any character escaped): the same JSON value, but nothing invisible or direction-changing
 * in the bytes. Those characters occur only inside strings (JSON's own syntax is ASCII), so the
 * replacement is always inside a string.
 * @param space indentation as for JSON.stringify
 */
export function stringifyVisible(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The chat's hints (slash commands) in a failure message, as a command-line user acts on them.
 * Each chat phrase of api/errors.ts has its print-mode wording; a sentence with any other chat
 * command is left out.
 */
const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    / Anything that arrived is kept: \/continue carries it on, \/retry asks again\./,
    ' What arrived is printed and saved (`inkwell -c` opens it); run the command again to retry.',
  ],
  [/ None of the reply had arrived: \/retry asks again\./, ' None of the reply had arrived: run the command again.'],
  [/ \/retry asks again\./, ' Run the command again to retry.'],
  [/ Start a new conversation with \/new\./, ' Start a new session: run it without -c / -r.'],
];

/** A failure message with print-mode hints (see {@link HINTS}). */
export function printMessage(message: string): string {
  let out = message;
  for (const [from, to] of HINTS) out = out.replace(from, to);
  return out.replace(/\s*[^.]*\s\/(retry|continue|new)\b[^.]*\./g, '');
}

/**
 * A failure as one JSON object, shaped like the Messages API's error body (`type: "error"`,
 * `error: { type, message }`, `request_id`) with inkwell's kind as `error.type`, the HTTP status
 * (null for network and in-stream failures), and the partial reply when any arrived.
 */
export function failureJson(f: ApiFailure, partial: Record<string, unknown> | null): Record<string, unknown> {
  return {
    type: 'error',
    error: { type: f.kind, status: f.status, message: printMessage(f.message) },
    request_id: f.requestId,
    partial,
  };
}
