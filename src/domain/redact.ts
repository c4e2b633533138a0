/** Keeping credentials out of text: the one exact-string redactor every writer uses. Pure. */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Replaces every secret in a string; identity when there is nothing to hide. */
export type Redactor = (s: string) => string;

/**
 * Builds a redactor for the given secrets (API keys, tokens). Empty strings are ignored; longer
 * secrets are replaced first so a secret containing another is hidden whole.
 * @param secrets exact strings to hide wherever they occur
 * @returns null when there is nothing to hide (callers skip the per-string walk)
 */
export function makeRedactor(secrets: readonly (string | null | undefined)[] | undefined): Redactor | null {
  const list = [...new Set((secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  if (list.length === 0) return null;
  return (s) => {
    let out = s;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
}
