import type { Redactor } from '../domain/redact.js';

export { makeRedactor, REDACTED, type Redactor } from '../domain/redact.js';

/**
 * JSON.stringify with every string value (not key) passed through the redactor, so the output is
 * valid JSON with no secret in it whatever characters the secret holds.
 * @param space indentation as for JSON.stringify
 */
export function stringifyRedacted(value: unknown, redact: Redactor | null, space?: number): string {
  if (!redact) return JSON.stringify(value, null, space);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v), space);
}
