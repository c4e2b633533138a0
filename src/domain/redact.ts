/**
 * Keeping credentials out of text: the one Redactor every writer, log and error message uses.
 * Built once at start-up from the credentials in use (main/run-chat.tsx, cli.tsx) and passed
 * down as an object, never as a raw list of secrets. Pure.
 *
 * The rules, in one place:
 * - every secret given is replaced by "[redacted]" wherever it occurs; longer secrets first, so a
 *   secret containing another is hidden whole; empty and missing ones are ignored;
 * - text for a person or a log (errors, diagnostics, the debug log) is also cleared of anything
 *   shaped like a credential (`sk-…`, `Bearer …`), whoever's it is; there, secrets shorter than 4
 *   characters are not matched exactly (they would blank ordinary words);
 * - conversation data kept as it was (session files, exports) gets the exact secrets only, so a
 *   reply that talks about "sk-…" keys is saved as written.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Credentials recognised by shape: Anthropic-style keys and bearer tokens. */
const KEY_PATTERN = /\b(sk-[A-Za-z0-9_-]{4,}|Bearer\s+\S+)/g;

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
}

/** Replaces each of `list` (longest first) in `text`. */
function replaceEach(text: string, list: readonly string[]): string {
  let out = text;
  for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
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
    scrub: (text) => replaceEach(text, scrubbed).replace(KEY_PATTERN, REDACTED),
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
