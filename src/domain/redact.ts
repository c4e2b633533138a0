/**
 * Keeping credentials out of text: the one Redactor every writer, log and error message uses.
 * Built once at start-up from the credentials in use (main/run-chat.tsx, cli.tsx) and passed
 * down as an object, never as a raw list of secrets. Pure.
 *
 * The rules, in one place:
 * - every secret given is replaced by "[redacted]" wherever it occurs; longer secrets first, so a
 *   secret containing another is hidden whole; empty and missing ones are ignored;
 * - text for a person or a log (errors, diagnostics, the debug log) is also cleared of anything
 *   shaped like a credential (`sk-…`, `Bearer …`, a URL's `user:pass@`, the value of a URL query
 *   parameter named like a credential: `?token=…`, `&api_key=…`), whoever's it is; there, secrets
 *   shorter than 4 characters are not matched exactly (they would blank ordinary words);
 * - conversation data kept as it was (session files, exports) gets the exact secrets only, so a
 *   reply that talks about "sk-…" keys is saved as written.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Credentials recognised by shape: Anthropic-style keys and bearer tokens. */
const KEY_PATTERN = /\b(sk-[A-Za-z0-9_-]{4,}|Bearer\s+\S+)/g;

/** A URL's user information (`user:pass@`, RFC 3986 §3.2.1), after its scheme. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>\\]+@/gi;

/** Query parameter names that carry credentials (matched anywhere in the name: `access_token`, `x-api-key`). */
const SECRET_PARAM = /token|key|secret|passw|pwd|auth|sig|credential|session|code/i;

/** `?name=value` / `&name=value` in text (URLs quoted in logs and errors); no quote or backslash, so JSON stays valid. */
const QUERY_PARAM = /([?&])([^=&#\s"'<>\\]+)=([^&#\s"'<>\\]*)/g;

/** Characters an exact secret needs to be matched in text for a person or a log. */
const MIN_SCRUBBED_LENGTH = 4;

/** Hides the secrets it was built with. Build one with {@link createRedactor}. */
export interface Redactor {
  /** How many distinct secrets it hides (0: `redact` and `stringify` change nothing). */
  readonly size: number;
  /**
   * Hides one more secret from now on (a key an `apiKeyHelper` printed mid-run): every holder of
   * this redactor sees it at once. null, undefined, "" and known secrets change nothing.
   * @throws Error on {@link NO_SECRETS}, which is shared and stays empty
   */
  add(secret: string | null | undefined): void;
  /** The text with every secret replaced by "[redacted]"; the same string when it holds none. For conversation data. */
  redact(text: string): string;
  /** For errors, logs and diagnostics: the secrets (4 characters and up) and anything shaped like a key replaced. */
  scrub(text: string): string;
  /**
   * JSON.stringify with every string value (not key) redacted, so the output is valid JSON with no
   * secret in it whatever characters the secret holds.
   * @param space indentation as for JSON.stringify
   */
  stringify(value: unknown, space?: number): string;
  /**
   * For text written in pieces (a streaming reply checkpointed record by record, each piece
   * redacted on its own): how many leading UTF-16 code units of `text` can be written now so that
   * no secret is ever cut between two pieces. The cut never falls inside a secret, and the last
   * `longest secret - 1` code units are held back (they may be the start of a secret still
   * arriving). `text.length` when there are no secrets.
   * @param text the whole text so far (it only grows)
   * @param written code units already written: the result is never below it
   */
  safePrefix(text: string, written?: number): number;
}

/** Hides URL credentials in `text`: the `user:pass@` part and credential-named query values. */
function scrubUrls(text: string): string {
  if (!text.includes('@') && !text.includes('=')) return text;
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(QUERY_PARAM, (all, sep: string, name: string, value: string) =>
      value !== '' && SECRET_PARAM.test(name) ? `${sep}${name}=${REDACTED}` : all,
    );
}

/**
 * The secrets a base URL carries, to add to a redactor's exact list: the password (and user) of
 * its `user:pass@` part and the values of its credential-named query parameters, decoded and as
 * written. Never throws: an unparseable URL gives none.
 */
export function urlSecrets(url: string | null | undefined): string[] {
  if (!url) return [];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  const both = (s: string) => {
    if (s === '') return;
    out.push(s);
    try {
      out.push(decodeURIComponent(s));
    } catch {
      // as written only
    }
  };
  both(u.password);
  if (u.password !== '') both(u.username);
  for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name)) both(value);
  for (const m of u.search.matchAll(QUERY_PARAM)) if (SECRET_PARAM.test(m[2]!)) both(m[3]!);
  return out;
}

/** Replaces each of `list` (longest first) in `text`. */
function replaceEach(text: string, list: readonly string[]): string {
  let out = text;
  for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** See {@link Redactor.safePrefix}. @param exact the secrets, longest first */
function safePrefixOf(exact: readonly string[], text: string, written: number): number {
  if (exact.length === 0) return text.length;
  let cut = Math.max(written, text.length - (exact[0]!.length - 1));
  // Move the cut back to the start of any secret it falls inside (secrets may overlap: repeat).
  for (let moved = true; moved && cut > written; ) {
    moved = false;
    for (const secret of exact) {
      const from = Math.max(0, cut - secret.length + 1);
      const at = text.indexOf(secret, from);
      if (at !== -1 && at < cut && at + secret.length > cut && at >= written) {
        cut = at;
        moved = true;
      }
    }
  }
  return cut;
}

/**
 * Builds the redactor for the credentials in use (API key, auth token).
 * @param secrets exact strings to hide; null, undefined and "" are skipped, duplicates count once
 */
export function createRedactor(secrets: readonly (string | null | undefined)[] = []): Redactor {
  let exact: string[] = [];
  let scrubbed: string[] = [];
  const learn = (list: readonly (string | null | undefined)[]): void => {
    exact = [...new Set([...exact, ...list.filter((s): s is string => typeof s === 'string' && s.length > 0)])].sort(
      (a, b) => b.length - a.length,
    );
    scrubbed = exact.filter((s) => s.length >= MIN_SCRUBBED_LENGTH);
  };
  learn(secrets);
  const redact = (text: string): string => (exact.length === 0 ? text : replaceEach(text, exact));
  const replacer = (_key: string, v: unknown): unknown => (typeof v === 'string' ? redact(v) : v);
  return {
    get size() {
      return exact.length;
    },
    add: (secret) => learn([secret]),
    redact,
    scrub: (text) => scrubUrls(replaceEach(text, scrubbed)).replace(KEY_PATTERN, REDACTED),
    safePrefix: (text, written = 0) => safePrefixOf(exact, text, Math.min(written, text.length)),
    stringify: (value, space) => (exact.length === 0 ? JSON.stringify(value, null, space) : JSON.stringify(value, replacer, space)),
  };
}

/** The redactor with no secrets: `redact` is the identity; `scrub` still hides key-shaped text. */
export const NO_SECRETS: Redactor = {
  ...createRedactor(),
  size: 0,
  add: () => {
    throw new Error('NO_SECRETS is shared and holds no secrets: build a redactor with createRedactor');
  },
};
