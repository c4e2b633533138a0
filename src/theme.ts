import { Chalk } from 'chalk';
import {
  colorMarkdown,
  colorSyntax,
  monoMarkdown,
  plainMarkdown,
  type MarkdownStyles,
  type MarkdownTheme,
  type SyntaxStyles,
} from './markdown/style.js';
import { combine, plain, sgrStyle, type Style } from './text/sgr.js';

/**
 * The one theme of inkwell: semantic styles for the chrome (status bar, picker, editor,
 * notices) and for rendered markdown (headings, code, links, tables: `markdown` and `syntax`,
 * see markdown/style.ts). Every styled string goes through one of these roles, never a literal
 * colour at the call site. Each role is `(text) => text with SGR sequences` (text/sgr.ts).
 *
 * The colour decision is made once at start-up ({@link themeFromEnvironment}) and the theme is
 * passed down: the pure rooms (markdown/, transcript/, domain/) read no terminal state.
 */
export interface Theme extends MarkdownTheme {
  /** Which palette: a settings name, or 'plain' (no escapes at all). */
  readonly name: ThemeName | 'plain';
  /** Colours the chrome may use: 0 none, 1 = 16 colours, 2 = 256, 3 = truecolor. */
  readonly level: ColorLevel;
  /** The user's prompts. */
  readonly user: Style;
  /** The "›" marker in front of a prompt. */
  readonly userMark: Style;
  /** Assistant-side chrome: the reply marker, the cursor mark. */
  readonly assistant: Style;
  /** Thinking lines and other secondary text. */
  readonly muted: Style;
  /** Stops that need attention: max_tokens, a full context window, an interruption. */
  readonly warning: Style;
  /** Errors in plain words. */
  readonly error: Style;
  /** Informational notices, tool notices. */
  readonly info: Style;
  /** Status bar text. */
  readonly status: Style;
  /** Emphasis inside the status bar (the model name), the selected picker row. */
  readonly accent: Style;
  /** Reverse video: the editor's cursor cell. */
  readonly inverse: Style;
}

/** A theme by its settings name. */
export type ThemeName = 'dark' | 'light' | 'mono';

/** Colour depth: 0 none, 1 = 16 colours, 2 = 256, 3 = truecolor (chalk's levels). */
export type ColorLevel = 0 | 1 | 2 | 3;

/** Built themes by key: the same inputs give the same object (layout caches compare themes by identity). */
const built = new Map<string, Theme>();

function once(key: string, build: () => Theme): Theme {
  let theme = built.get(key);
  if (theme === undefined) {
    theme = build();
    built.set(key, theme);
  }
  return theme;
}

/** The dark or light palette with colours at `level`, through a chalk instance of that level. */
function chalkTheme(name: 'dark' | 'light', level: 1 | 2 | 3): Theme {
  const c = new Chalk({ level });
  const dark = name === 'dark';
  return {
    key: `${name}/${level}`,
    name,
    level,
    escapes: true,
    markdown: colorMarkdown,
    syntax: colorSyntax,
    user: (s) => c.bold(s),
    userMark: dark ? (s) => c.cyan.bold(s) : (s) => c.blue.bold(s),
    assistant: (s) => c.magenta(s),
    muted: dark ? (s) => c.dim(s) : (s) => c.gray(s),
    warning: dark ? (s) => c.yellow(s) : (s) => c.hex('#9a6700')(s),
    error: dark ? (s) => c.red(s) : (s) => c.red.bold(s),
    info: (s) => c.blue(s),
    status: dark ? (s) => c.dim(s) : (s) => c.gray(s),
    accent: dark ? (s) => c.cyan(s) : (s) => c.blue(s),
    inverse: (s) => c.inverse(s),
  };
}

/**
 * The palette `name` at colour `level`. 'mono', or level 0, gives {@link monochromeTheme}.
 * @returns the same object for the same arguments
 */
export function themeNamed(name: ThemeName, level: ColorLevel): Theme {
  if (name === 'mono' || level === 0) return monochromeTheme;
  return once(`${name}/${level}`, () => chalkTheme(name, level));
}

const bold = sgrStyle([1], 22);
const dim = sgrStyle([2], 22);
const underline = sgrStyle([4], 24);

/**
 * No colour at all, only weight (bold, dim, italic, underline, reverse), in the chrome and in
 * markdown: for NO_COLOR (https://no-color.org asks for no colour, not for no emphasis) and the
 * "mono" setting. Code is not highlighted.
 */
export const monochromeTheme: Theme = {
  key: 'mono',
  name: 'mono',
  level: 0,
  escapes: true,
  markdown: monoMarkdown,
  syntax: null,
  user: bold,
  userMark: bold,
  assistant: plain,
  muted: dim,
  warning: bold,
  error: combine(bold, underline),
  info: plain,
  status: dim,
  accent: bold,
  inverse: sgrStyle([7], 27),
};

/** No escape sequence at all, plain text (TERM=dumb, output that is not a terminal). */
export const plainTheme: Theme = {
  key: 'plain',
  name: 'plain',
  level: 0,
  escapes: false,
  markdown: plainMarkdown,
  syntax: null,
  user: plain,
  userMark: plain,
  assistant: plain,
  muted: plain,
  warning: plain,
  error: plain,
  info: plain,
  status: plain,
  accent: plain,
  inverse: plain,
};

/** The dark-terminal theme (the default) in 16 colours: what component tests and tools use. */
export const darkTheme: Theme = themeNamed('dark', 1);

/** The light-terminal theme (darker hues that stay readable on a white background), truecolor. */
export const lightTheme: Theme = themeNamed('light', 3);

/** What the terminal and the environment allow (see {@link decideColor}). */
export interface ColorDecision {
  /** Colour depth. */
  level: ColorLevel;
  /** Whether any escape sequence may be written at all (weights such as bold included). */
  escapes: boolean;
}

const isSet = (v: string | undefined): boolean => v !== undefined && v !== '';

/**
 * The colour decision, from the environment and whether the output is a terminal, in this order:
 * 1. `NO_COLOR` set and non-empty (https://no-color.org) wins: no colour (weights still, on a
 *    terminal that is not `TERM=dumb`), whatever `FORCE_COLOR` says;
 * 2. `FORCE_COLOR` forces: `0`/`false` no colour, `2` 256 colours, `3` truecolor, anything else
 *    (`1`, `true`, '') 16 colours, written even when the output is not a terminal;
 * 3. not a terminal, or `TERM=dumb`: no escape at all;
 * 4. otherwise the depth the terminal announces: truecolor for `COLORTERM=truecolor|24bit` (and
 *    kitty, ghostty, WezTerm, iTerm), 256 for a `TERM` ending in `-256color` (and Apple
 *    Terminal), else 16.
 * Pure: reads only its arguments.
 * @param env the environment (`process.env` at start-up)
 * @param isTTY whether the output (stdout) is a terminal
 */
export function decideColor(env: NodeJS.ProcessEnv, isTTY: boolean): ColorDecision {
  const drawsEscapes = isTTY && env.TERM !== 'dumb';
  if (isSet(env.NO_COLOR)) return { level: 0, escapes: drawsEscapes };
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return { level: 0, escapes: drawsEscapes };
    return { level: force === '2' ? 2 : force === '3' ? 3 : 1, escapes: true };
  }
  if (!drawsEscapes) return { level: 0, escapes: false };
  const term = env.TERM ?? '';
  const program = env.TERM_PROGRAM ?? '';
  if (/^(truecolor|24bit)$/i.test(env.COLORTERM ?? '') || /^xterm-(kitty|ghostty)$|^wezterm$/.test(term) || program === 'iTerm.app') {
    return { level: 3, escapes: true };
  }
  if (/-256(colou?r)?$/i.test(term) || program === 'Apple_Terminal') return { level: 2, escapes: true };
  return { level: 1, escapes: true };
}

/**
 * The theme for this run, decided once at start-up: {@link plainTheme} when no escape may be
 * written, {@link monochromeTheme} when no colour may be (or the setting says "mono"), else the
 * setting's palette at the terminal's colour depth (see {@link decideColor}).
 * @param env the environment (`process.env`)
 * @param isTTY whether stdout is a terminal (`process.stdout.isTTY === true`)
 * @param setting the theme named in settings
 * @returns the theme (its `level` is the colour decision); the same object for the same inputs
 */
export function themeFromEnvironment(env: NodeJS.ProcessEnv, isTTY: boolean, setting: ThemeName = 'dark'): Theme {
  const decision = decideColor(env, isTTY);
  if (!decision.escapes) return plainTheme;
  return themeNamed(setting, decision.level);
}

export type { MarkdownStyles, SyntaxStyles, Style };
