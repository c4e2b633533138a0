import Conf, { type Schema } from 'conf';

/** The settings inkwell keeps between runs (conf, JSON-schema validated). */
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
  /** Price overrides in USD per million tokens, by model id or prefix: {input, output, cacheWrite, cacheRead}. */
  prices: Record<string, { input: number; output: number; cacheWrite: number; cacheRead: number }>;
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
  prices: {},
});

const schema: Schema<Settings> = {
  model: { type: 'string', minLength: 1, default: DEFAULT_SETTINGS.model },
  maxTokens: { type: 'integer', minimum: 1, maximum: 1_000_000, default: DEFAULT_SETTINGS.maxTokens },
  system: { type: 'string', default: DEFAULT_SETTINGS.system },
  mouse: { type: 'boolean', default: DEFAULT_SETTINGS.mouse },
  retries: { type: 'integer', minimum: 0, maximum: 10, default: DEFAULT_SETTINGS.retries },
  autoContinue: { type: 'integer', minimum: 0, maximum: 10, default: DEFAULT_SETTINGS.autoContinue },
  noPrefillModels: { type: 'array', items: { type: 'string' }, default: [] },
  theme: { type: 'string', enum: ['dark', 'light', 'mono'], default: 'dark' },
  thinking: { type: 'string', enum: ['on', 'off'], default: 'off' },
  thinkingBudget: { type: 'integer', minimum: 1024, maximum: 1_000_000, default: 4096 },
  effort: { type: 'string', enum: ['', 'low', 'medium', 'high', 'xhigh', 'max'], default: '' },
  prices: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: {
        input: { type: 'number', minimum: 0 },
        output: { type: 'number', minimum: 0 },
        cacheWrite: { type: 'number', minimum: 0 },
        cacheRead: { type: 'number', minimum: 0 },
      },
      required: ['input', 'output', 'cacheWrite', 'cacheRead'],
    },
    default: {},
  },
};

/** Settings as loaded, and a plain-words problem when the file could not be used. */
export interface LoadedSettings {
  settings: Settings;
  /** Null, or why the defaults were used (a damaged or invalid settings file is left untouched). */
  problem: string | null;
  /** The settings file's path. */
  path: string | null;
  /**
   * Saves one setting (validated by the schema).
   * @returns null when saved, or why not in plain words (never throws)
   */
  set<K extends keyof Settings>(key: K, value: Settings[K]): string | null;
}

/**
 * Loads settings with conf from `<configDir>/config.json`. A damaged or invalid file never stops
 * the app and is never rewritten here: the defaults are used and the problem is reported.
 * @throws never
 */
export function loadSettings(configDir: string): LoadedSettings {
  try {
    const store = new Conf<Settings>({ projectName: 'inkwell', cwd: configDir, schema, projectSuffix: '' });
    const set = <K extends keyof Settings>(key: K, value: Settings[K]): string | null => {
      try {
        store.set({ [key]: value } as Partial<Settings>);
        return null;
      } catch (e) {
        return e instanceof Error ? e.message.split('\n')[0]! : String(e);
      }
    };
    return { settings: { ...DEFAULT_SETTINGS, ...store.store }, problem: null, path: store.path, set };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {
      settings: { ...DEFAULT_SETTINGS },
      problem: `The settings file in ${configDir} could not be read (${why}); using defaults. The file was left as it is.`,
      path: null,
      set: () => 'the settings file could not be read, so nothing is saved to it',
    };
  }
}
