import { chmodSync, mkdirSync } from 'node:fs';
import Conf from 'conf';
import * as z from 'zod/mini';

/** The settings inkwell keeps between runs (conf; each value validated with a zod/mini rule). */
export interface Settings {
  /** Model id for new conversations. */
  model: string;
  /** `max_tokens` for each reply, in tokens. */
  maxTokens: number;
  /** System prompt; '' for none. */
  system: string;
  /** Capture the mouse wheel for scrolling (Shift+drag still selects text in most terminals). */
  mouse: boolean;
  /** Retries of a failed request before its first byte (429, 5xx, 529, network). */
  retries: number;
  /** Continue a reply cut at max_tokens automatically up to this many times (0: off). */
  autoContinue: number;
  /** Models that answered "does not support assistant message prefill": remembered here. */
  noPrefillModels: string[];
  /** Colours: dark, light or mono (NO_COLOR forces mono). */
  theme: 'dark' | 'light' | 'mono';
  /** Extended thinking for new conversations. */
  thinking: 'on' | 'off';
  /** Thinking budget for budget-style models (≤ 4.5), in tokens. */
  thinkingBudget: number;
  /** Thinking effort for adaptive models; '' for the model's default. */
  effort: '' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  /** Prompt caching: the cache's time to live, `5m` or `1h`, or `off` for none (api/cache.ts). */
  promptCache: '5m' | '1h' | 'off';
  /** API base URLs that answered 400 to `cache_control`: requests to them carry none (remembered here). */
  noCacheBaseUrls: string[];
  /**
   * Warn before sending into an expired prompt cache when the conversation is at least this many
   * tokens (the first Enter shows the cold vs warm cost, a second sends); 0: never warn.
   */
  coldCacheWarnTokens: number;
  /** After the first reply of a new session, ask a small model for a title (off: no extra request). */
  autoTitle: boolean;
  /** The small model session titles are asked of. */
  titleModel: string;
  /** Named system prompts: `/preset <name>` in the chat, `--preset <name>` on the command line. */
  presets: Record<string, string>;
  /**
   * A ping when a reply ends while the terminal is not focused: `auto` posts a desktop
   * notification where the terminal takes one (else rings the bell), `bell` always rings, `off`.
   */
  notify: 'auto' | 'bell' | 'off';
  /**
   * Price overrides in USD per million tokens, by model id or prefix: {input, output, cacheWrite,
   * cacheRead}, and optionally cacheWrite1h (a 1-hour cache write; 2× input when absent) and
   * webSearch (USD per 1,000 web searches; domain/cost.ts's default when absent).
   */
  /** Offer web search and web fetch (server tools) on every request (`--web` for one run, /web in the chat). */
  webSearch: 'on' | 'off';
  /** `max_uses` of each web tool per request; 0 for the API's default (no cap). */
  webMaxUses: number;
  /** Search and fetch only these domains (none: any). Wins over webBlockedDomains. */
  webAllowedDomains: string[];
  /** Never search or fetch these domains. */
  webBlockedDomains: string[];
  /** Where you are, for local search results: {city, region, country (ISO 3166-1 alpha-2), timezone (IANA)}. */
  webUserLocation: { city?: string; region?: string; country?: string; timezone?: string };
  /** Paused web turns (`pause_turn`) resumed automatically in a row before inkwell stops and says so. */
  webPauseContinues: number;
  /** API base URLs that refused the web tools: requests to them offer none (remembered here). */
  noWebBaseUrls: string[];
  prices: Record<
    string,
    { input: number; output: number; cacheWrite: number; cacheRead: number; cacheWrite1h?: number; webSearch?: number }
  >;
  /** Where Claude is reached: anthropic, bedrock, vertex or foundry (api/providers.ts; `--provider` wins). */
  provider: 'anthropic' | 'bedrock' | 'vertex' | 'foundry';
  /** A shell command whose standard output is the API key (config/key-helper.ts); '' for none. */
  apiKeyHelper: string;
}

/** Defaults, used for anything unset. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  model: 'claude-sonnet-5-5',
  maxTokens: 8192,
  system: '',
  mouse: true,
  retries: 4,
  autoContinue: 0,
  noPrefillModels: [],
  theme: 'dark',
  thinking: 'off',
  thinkingBudget: 4096,
  effort: '',
  promptCache: '5m',
  noCacheBaseUrls: [],
  coldCacheWarnTokens: 20_000,
  notify: 'auto',
  webSearch: 'off',
  webMaxUses: 0,
  webAllowedDomains: [],
  webBlockedDomains: [],
  webUserLocation: {},
  webPauseContinues: 5,
  noWebBaseUrls: [],
  autoTitle: true,
  titleModel: 'claude-haiku-4-5',
  presets: {},
  prices: {},
  provider: 'anthropic',
  apiKeyHelper: '',
});

const wholeNumber = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));
const usd = z.number().check(z.nonnegative());

/**
 * What each setting may hold: a zod/mini schema, and the same rule in words for messages. Checked
 * here rather than by conf's JSON `schema` option, which would compile a schema with ajv at every
 * start (~45 ms); a key missing from the file is the default, a key inkwell does not know is kept.
 */
const RULES = {
  model: { schema: z.string().check(z.minLength(1)), words: 'a model id (not empty)' },
  maxTokens: { schema: wholeNumber(1, 1_000_000), words: 'a whole number from 1 to 1,000,000' },
  system: { schema: z.string(), words: 'text' },
  mouse: { schema: z.boolean(), words: 'true or false' },
  retries: { schema: wholeNumber(0, 10), words: 'a whole number from 0 to 10' },
  autoContinue: { schema: wholeNumber(0, 10), words: 'a whole number from 0 to 10' },
  noPrefillModels: { schema: z.array(z.string()), words: 'a list of model ids' },
  theme: { schema: z.enum(['dark', 'light', 'mono']), words: 'dark, light or mono' },
  thinking: { schema: z.enum(['on', 'off']), words: 'on or off' },
  thinkingBudget: { schema: wholeNumber(1024, 1_000_000), words: 'a whole number from 1,024 to 1,000,000' },
  effort: {
    schema: z.enum(['', 'low', 'medium', 'high', 'xhigh', 'max']),
    words: 'low, medium, high, xhigh, max or "" (the model\'s default)',
  },
  promptCache: { schema: z.enum(['5m', '1h', 'off']), words: '5m, 1h or off' },
  noCacheBaseUrls: { schema: z.array(z.string()), words: 'a list of API base URLs' },
  coldCacheWarnTokens: { schema: wholeNumber(0, 10_000_000), words: 'a whole number of tokens from 0 (never warn) to 10,000,000' },
  notify: { schema: z.enum(['auto', 'bell', 'off']), words: 'auto, bell or off' },
  webSearch: { schema: z.enum(['on', 'off']), words: 'on or off' },
  webMaxUses: { schema: wholeNumber(0, 1000), words: 'a whole number from 0 (no cap) to 1,000' },
  webAllowedDomains: { schema: z.array(z.string().check(z.minLength(1))), words: 'a list of domains, e.g. ["example.com"]' },
  webBlockedDomains: { schema: z.array(z.string().check(z.minLength(1))), words: 'a list of domains, e.g. ["example.com"]' },
  webUserLocation: {
    schema: z.object({
      city: z.optional(z.string()),
      region: z.optional(z.string()),
      country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
      timezone: z.optional(z.string()),
    }),
    words:
      'an object {"city","region","country","timezone"} (country a two-letter code such as "US", timezone such as "America/Los_Angeles")',
  },
  webPauseContinues: { schema: wholeNumber(0, 20), words: 'a whole number from 0 to 20' },
  noWebBaseUrls: { schema: z.array(z.string()), words: 'a list of API base URLs' },
  autoTitle: { schema: z.boolean(), words: 'true or false' },
  titleModel: { schema: z.string().check(z.minLength(1)), words: 'a model id (not empty)' },
  presets: { schema: z.record(z.string(), z.string()), words: 'an object of preset name to system prompt text' },
  prices: {
    schema: z.record(
      z.string(),
      z.object({
        input: usd,
        output: usd,
        cacheWrite: usd,
        cacheRead: usd,
        cacheWrite1h: z.optional(usd),
        webSearch: z.optional(usd),
      }),
    ),
    words:
      'an object of model id (or prefix) to {"input","output","cacheWrite","cacheRead"} in USD per million tokens (optionally "cacheWrite1h", and "webSearch" in USD per 1,000 searches), each at least 0',
  },
  provider: { schema: z.enum(['anthropic', 'bedrock', 'vertex', 'foundry']), words: 'anthropic, bedrock, vertex or foundry' },
  apiKeyHelper: { schema: z.string(), words: 'a shell command that prints the API key, or "" for none' },
} satisfies { [K in keyof Settings]: { schema: z.ZodMiniType<Settings[K]>; words: string } };

// The rules must describe Settings exactly, both ways: a setting added to or changed in Settings
// without its rule following fails the type check here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
/** Compile-time proof that {@link RULES} and {@link Settings} agree (fails the type check otherwise). */
export type RulesMatchSettings = Check<Same<{ [K in keyof Settings]: z.infer<(typeof RULES)[K]['schema']> }, Settings>>;

/**
 * Why `value` cannot be stored as setting `key`, in plain words, e.g. `theme must be dark, light
 * or mono, not "purple"`.
 * @param key a setting name (one of {@link Settings}' keys)
 * @param value anything (a value read from the file or about to be saved)
 * @returns null when the value is valid for that setting
 * @throws never
 */
export function settingProblem<K extends keyof Settings>(key: K, value: unknown): string | null {
  const rule: { schema: z.ZodMiniType; words: string } = RULES[key];
  if (rule.schema.safeParse(value).success) return null;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  return `${key} must be ${rule.words}, not ${shown}`;
}

/** Problems with the known settings a store holds, in the order of {@link DEFAULT_SETTINGS}. */
function storeProblems(store: object): string[] {
  const out: string[] = [];
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    if (!Object.hasOwn(store, key)) continue;
    const problem = settingProblem(key, (store as Record<string, unknown>)[key]);
    if (problem !== null) out.push(problem);
  }
  return out;
}

/** Settings as loaded, and a plain-words problem when the file could not be used. */
export interface LoadedSettings {
  settings: Settings;
  /** Null, or why the defaults were used (a damaged or invalid settings file is left untouched). */
  problem: string | null;
  /** The settings file's path. */
  path: string | null;
  /**
   * Saves one setting (validated against its rule, and only into a file whose values are all valid).
   * @returns null when saved, or why not in plain words (never throws)
   */
  set<K extends keyof Settings>(key: K, value: Settings[K]): string | null;
}

/**
 * Loads settings with conf from `<configDir>/config.json`. A damaged or invalid file never stops
 * the app and is never rewritten here: the defaults are used and the problem is reported. Nothing
 * is written when the file is missing or valid (a setting not in the file is its default).
 * @param configDir the config directory (config/paths.ts)
 * @returns the settings, a plain-words problem or null, the file's path, and a validating `set`
 * @throws never
 */
export function loadSettings(configDir: string): LoadedSettings {
  const unusable = (why: string, verb: 'read' | 'used'): LoadedSettings => ({
    settings: { ...DEFAULT_SETTINGS },
    problem: `The settings file in ${configDir} could not be ${verb} (${why}); using defaults. The file was left as it is.`,
    path: null,
    set: () => `the settings file could not be ${verb}, so nothing is saved to it`,
  });
  let store: Conf<Settings>;
  let stored: Partial<Settings>;
  try {
    // No `schema` option: conf would compile it with ajv (see RULES). The values are checked here.
    // Private: the folder 0700 and the file 0600, like every file inkwell writes.
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    try {
      chmodSync(configDir, 0o700);
    } catch {
      // not ours to change (the file itself is still 0600)
    }
    store = new Conf<Settings>({ projectName: 'inkwell', cwd: configDir, projectSuffix: '', configFileMode: 0o600 });
    stored = store.store;
  } catch (err) {
    return unusable(err instanceof Error ? err.message.split('\n')[0]! : String(err), 'read');
  }
  const problems = storeProblems(stored);
  if (problems.length > 0) return unusable(problems.join('; '), 'used');
  const set = <K extends keyof Settings>(key: K, value: Settings[K]): string | null => {
    const problem = settingProblem(key, value);
    if (problem !== null) return problem;
    try {
      // The file is read again by conf here: refuse to write into one that went bad since the load.
      const now = storeProblems(store.store);
      if (now.length > 0) return `the settings file has values inkwell cannot use (${now.join('; ')}), so nothing is saved to it`;
      store.set({ [key]: value } as Partial<Settings>);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message.split('\n')[0]! : String(e);
    }
  };
  return { settings: { ...DEFAULT_SETTINGS, ...stored }, problem: null, path: store.path, set };
}
