/** Longest default title, in characters (UTF-16 code units) before the ellipsis. */
export const TITLE_MAX = 60;

/** Title of a session that has no title and no prompt yet. */
export const UNTITLED = 'Untitled';

/**
 * The title a session gets from its first prompt: whitespace (newlines included) collapsed to
 * single spaces, trimmed, cut to {@link TITLE_MAX} characters with "…".
 * @returns null when the text is blank
 */
export function defaultTitle(prompt: string): string | null {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  if (flat === '') return null;
  return flat.length > TITLE_MAX ? `${flat.slice(0, TITLE_MAX).trimEnd()}…` : flat;
}

/**
 * Cleans a title the user typed for a rename: whitespace collapsed and trimmed, not cut.
 * @returns null when blank (a blank rename is refused by the callers)
 */
export function cleanTitle(title: string): string | null {
  const flat = title.replace(/\s+/g, ' ').trim();
  return flat === '' ? null : flat;
}
