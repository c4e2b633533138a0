/**
 * Minimal validation of a `POST /v1/messages` body for the scenarios that read it (the demo
 * model). Messages mimic the real API's `invalid_request_error` wording ("field: problem").
 */
import { isRecord } from './tokens.js';

/** The fields of a Messages request the demo model needs. */
export interface MessagesRequest {
  model: string;
  /** Output token cap, ≥ 1. */
  max_tokens: number;
  messages: unknown[];
  stream?: boolean;
  system?: unknown;
}

/**
 * Check a parsed request body.
 *
 * @param body  the parsed JSON body (or a raw string if it was not JSON).
 * @returns `{ok: true, request}` or `{ok: false, message}` where `message` is the
 *   `error.message` for a 400 `invalid_request_error` (docs/PROTOCOL.md §5.2).
 */
export function validateMessagesRequest(body: unknown): { ok: true; request: MessagesRequest } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'There was an issue with your request body: expected a JSON object' };
  if (typeof body.model !== 'string') return { ok: false, message: 'model: Field required' };
  if (body.max_tokens === undefined) return { ok: false, message: 'max_tokens: Field required' };
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
    return { ok: false, message: 'max_tokens: Input should be a valid integer' };
  }
  if (body.max_tokens < 1) return { ok: false, message: 'max_tokens: Input should be greater than or equal to 1' };
  if (!Array.isArray(body.messages)) return { ok: false, message: 'messages: Field required' };
  return { ok: true, request: body as unknown as MessagesRequest };
}

/**
 * Check a parsed `POST /v1/messages/count_tokens` body: like a message request but without
 * `max_tokens` (docs/PROTOCOL.md §11).
 *
 * @param body  the parsed JSON body (or a raw string if it was not JSON).
 * @returns `{ok: true}` or `{ok: false, message}` with the 400 `invalid_request_error` message.
 */
export function validateCountTokensRequest(body: unknown): { ok: true } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'There was an issue with your request body: expected a JSON object' };
  if (typeof body.model !== 'string') return { ok: false, message: 'model: Field required' };
  if (!Array.isArray(body.messages)) return { ok: false, message: 'messages: Field required' };
  return { ok: true };
}
