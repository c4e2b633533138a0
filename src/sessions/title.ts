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

/** What a session file says about its title, in the order the rule below weighs it. */
export interface TitleState {
  /** The last title the user gave (a `title` record without `auto`), or null. */
  renamed: string | null;
  /** The header's title (given at creation: a user's), or null. */
  headerTitle: string | null;
  /** The last title a model wrote (a `title` record with `auto`), or null. */
  autoTitle: string | null;
  /** The text of the first prompt, or null. */
  firstPrompt: string | null;
}

/**
 * The title a session shows: the user's rename, else the header's title, else the model's title,
 * else the first prompt's {@link defaultTitle}, else {@link UNTITLED}. A user's title always wins
 * over a model's, whichever was written last.
 */
export function sessionTitle(s: TitleState): string {
  return s.renamed ?? s.headerTitle ?? s.autoTitle ?? (s.firstPrompt !== null ? defaultTitle(s.firstPrompt) : null) ?? UNTITLED;
}

/** Longest title a model may give, in characters (UTF-16 code units) before the ellipsis. */
export const AUTO_TITLE_MAX = 50;

/**
 * A model's title made safe to store and show (model output is untrusted): the first non-blank
 * line only, escape sequences and control and format characters removed, surrounding quotes,
 * markdown emphasis and heading marks and a trailing full stop dropped, whitespace collapsed, cut
 * to {@link AUTO_TITLE_MAX} characters with "…".
 * @returns null when nothing usable is left
 */
export function sanitizeAutoTitle(raw: string): string | null {
  const noEscapes = raw.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b./g, '');
  const line = noEscapes.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
  let t = line
    .replace(/\p{Cc}|\p{Cf}/gu, ' ')
    .replace(/^\s*(?:#+\s*)?(?:title\s*:\s*)?/i, '')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  t = t.replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '').trim();
  t = t.replace(/\.+$/, '').trim();
  if (t === '') return null;
  return t.length > AUTO_TITLE_MAX ? `${t.slice(0, AUTO_TITLE_MAX).trimEnd()}…` : t;
}
