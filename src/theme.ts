import chalk from 'chalk';

/**
 * Semantic colours: every styled string in inkwell goes through one of these names, never a
 * literal colour at the call site. Each is `(text) => ANSI-styled text`.
 */
export interface Theme {
  /** The user's prompts. */
  user: (s: string) => string;
  /** The "›" marker in front of a prompt. */
  userMark: (s: string) => string;
  /** Assistant-side chrome: the reply marker, the cursor mark. */
  assistant: (s: string) => string;
  /** Thinking lines and other secondary text. */
  muted: (s: string) => string;
  /** Stops that need attention: max_tokens, a full context window, an interruption. */
  warning: (s: string) => string;
  /** Errors in plain words. */
  error: (s: string) => string;
  /** Informational notices, tool notices. */
  info: (s: string) => string;
  /** Status bar text. */
  status: (s: string) => string;
  /** Emphasis inside the status bar (the model name). */
  accent: (s: string) => string;
}

/** The dark-terminal theme (default). Honours the chalk colour level set by `setColorLevel`. */
export const darkTheme: Theme = {
  user: (s) => chalk.bold(s),
  userMark: (s) => chalk.cyan.bold(s),
  assistant: (s) => chalk.magenta(s),
  muted: (s) => chalk.dim(s),
  warning: (s) => chalk.yellow(s),
  error: (s) => chalk.red(s),
  info: (s) => chalk.blue(s),
  status: (s) => chalk.dim(s),
  accent: (s) => chalk.cyan(s),
};

/** The light-terminal theme: darker hues that stay readable on a white background. */
export const lightTheme: Theme = {
  user: (s) => chalk.bold(s),
  userMark: (s) => chalk.blue.bold(s),
  assistant: (s) => chalk.magenta(s),
  muted: (s) => chalk.gray(s),
  warning: (s) => chalk.hex('#9a6700')(s),
  error: (s) => chalk.red.bold(s),
  info: (s) => chalk.blue(s),
  status: (s) => chalk.gray(s),
  accent: (s) => chalk.blue(s),
};

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const bold = sgr(1, 22);
const dim = sgr(2, 22);
const underline = sgr(4, 24);
const plain = (s: string) => s;

/**
 * No colour at all, only weight (bold, dim, underline): for NO_COLOR (https://no-color.org asks
 * for no colour, not for no emphasis) and for terminals whose colours are unknown.
 */
export const monochromeTheme: Theme = {
  user: bold,
  userMark: bold,
  assistant: plain,
  muted: dim,
  warning: bold,
  error: (s) => bold(underline(s)),
  info: plain,
  status: dim,
  accent: bold,
};

/** A theme by its settings name. */
export type ThemeName = 'dark' | 'light' | 'mono';

/**
 * The theme to use: monochrome under NO_COLOR or TERM=dumb (TERM=dumb gets no escapes at all:
 * plain text), else the one named in settings.
 */
export function themeFor(name: ThemeName, env: NodeJS.ProcessEnv): Theme {
  if (env.TERM === 'dumb') return { user: plain, userMark: plain, assistant: plain, muted: plain, warning: plain, error: plain, info: plain, status: plain, accent: plain };
  if ((env.NO_COLOR !== undefined && env.NO_COLOR !== '') || name === 'mono') return monochromeTheme;
  return name === 'light' ? lightTheme : darkTheme;
}

/**
 * Sets the colour level for everything inkwell styles: 0 = no colour at all (NO_COLOR, TERM=dumb),
 * 1 = 16 colours, 2 = 256, 3 = truecolor.
 */
export function setColorLevel(level: 0 | 1 | 2 | 3): void {
  chalk.level = level;
}

/**
 * The colour level for an environment: 0 under `NO_COLOR` (https://no-color.org) or `TERM=dumb`,
 * otherwise what chalk detected (at least 1 when `FORCE_COLOR` is set).
 */
export function colorLevelFor(env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.TERM === 'dumb') return 0;
  return chalk.level;
}
