/** What a secret is replaced with in a session file or an export. */
export const REDACTED = '[redacted]';

/** Replaces every secret in a string; identity when there is nothing to hide. */
export type Redactor = (s: string) => string;

/**
 * Builds a redactor for the given secrets (API keys, tokens). Empty strings are ignored; longer
 * secrets are replaced first so a secret containing another is hidden whole.
 * @param secrets exact strings to hide wherever they occur
 * @returns null when there is nothing to hide (callers skip the per-string walk)
 */
export function makeRedactor(secrets: readonly string[] | undefined): Redactor | null {
  const list = [...new Set((secrets ?? []).filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return null;
  return (s) => {
    let out = s;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/**
 * JSON.stringify with every string value (not key) passed through the redactor, so the output is
 * valid JSON with no secret in it whatever characters the secret holds.
 * @param space indentation as for JSON.stringify
 */
export function stringifyRedacted(value: unknown, redact: Redactor | null, space?: number): string {
  if (!redact) return JSON.stringify(value, null, space);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v), space);
}
