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
