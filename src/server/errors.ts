/**
 * Error bodies in the real API's shape:
 * `{"type":"error","error":{"type":…,"message":…},"request_id":"req_…"}` (docs/PROTOCOL.md §5.2).
 */

/** API error types and their HTTP statuses (docs/PROTOCOL.md §5.2 table). */
export const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * The 401 body served for a missing or wrong key, verbatim from
 * `test/fixtures/anthropic/http/401-authentication.json` (constructed fixture; the real
 * message for Bearer auth may differ — clients should match on `error.type`).
 */
export const AUTHENTICATION_ERROR_BODY =
  '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CAUTH0000000000000000"}';

/**
 * Build an error body string.
 *
 * @param type  the `error.type`, e.g. `not_found_error`.
 * @param message  the human-readable `error.message`, e.g. `model: claude-x`.
 * @param requestId  the `request_id` (also sent as the `request-id` header).
 * @returns compact JSON, key order as in real bodies (`type`, `error`, `request_id`).
 */
export function errorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/**
 * The HTTP status for an API error type; unknown types map to 500.
 *
 * @param type  an `error.type` string.
 * @returns an HTTP status code.
 */
export function statusForErrorType(type: string | undefined): number {
  return (type !== undefined ? STATUS_BY_ERROR_TYPE[type] : undefined) ?? 500;
}
