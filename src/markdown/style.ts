/**
 * SGR (ECMA-48 §8.3.117 "Select Graphic Rendition") styling for rendered markdown, and the
 * line-level ANSI utilities the renderer needs.
 *
 * The markdown module emits only SGR sequences (`ESC [ params m`), built here rather than with
 * chalk: marked-terminal and cli-highlight each bundle their own chalk copy whose colour level is
 * decided by the environment at import time, which would make output depend on the TTY. One
 * module-level switch ({@link setColorEnabled}) decides whether any colour is produced.
 */
import stringWidth from '../text/width.js';
import { sanitizeModelText } from './sanitize.js';

/** A text style: wraps text in SGR open/close codes (identity when colour is off). */
export type Style = (text: string) => string;

let colorEnabled = detectColor();
const listeners = new Set<() => void>();

/**
 * The default colour decision: off when `NO_COLOR` is set and non-empty (https://no-color.org),
 * on/off per `FORCE_COLOR` when set (`0`/`false` = off), otherwise on only when stdout is a TTY
 * that reports colours (`tty.WriteStream#hasColors`, which also honours `TERM=dumb`).
 */
export function detectColor(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const out = process.stdout;
  return out.isTTY === true && typeof out.hasColors === 'function' && out.hasColors();
}

/**
 * Turn SGR colour/attribute output of the markdown renderer on or off (off: rendered lines
 * contain no escape sequence at all). Clears the render caches when the value changes.
 * Never throws.
 */
export function setColorEnabled(enabled: boolean): void {
  if (colorEnabled === enabled) return;
  colorEnabled = enabled;
  for (const listener of listeners) listener();
}

/** Whether the markdown renderer currently emits SGR sequences. */
export function isColorEnabled(): boolean {
  return colorEnabled;
}

/** Register a callback run whenever {@link setColorEnabled} changes the setting (cache resets). */
export function onColorChange(listener: () => void): void {
  listeners.add(listener);
}

/**
 * A style from SGR open codes and the close code that undoes them. Like chalk, an inner close
 * code is followed by the open code again so nesting (bold inside bold) keeps the outer style.
 */
export function sgrStyle(open: readonly number[], close: number): Style {
  const openSeq = open.map((code) => `\x1b[${code}m`).join('');
  const closeSeq = `\x1b[${close}m`;
  return (text) => {
    if (!colorEnabled || text === '') return text;
    return openSeq + text.replaceAll(closeSeq, closeSeq + openSeq) + closeSeq;
  };
}

/** Apply styles right to left, like function composition: `combine(a, b)(t) === a(b(t))`. */
export function combine(...styles: Style[]): Style {
  return (text) => styles.reduceRight((acc, style) => style(acc), text);
}

/** The identity style. */
export const plain: Style = (text) => text;

/** Semantic styles for markdown elements (basic 16-colour SGR codes only). */
export const md = {
  heading: combine(sgrStyle([1], 22), sgrStyle([32], 39)),
  firstHeading: combine(sgrStyle([1], 22), sgrStyle([4], 24), sgrStyle([35], 39)),
  strong: sgrStyle([1], 22),
  em: sgrStyle([3], 23),
  del: combine(sgrStyle([2], 22), sgrStyle([9], 29)),
  codespan: sgrStyle([33], 39),
  code: sgrStyle([33], 39),
  blockquote: combine(sgrStyle([90], 39), sgrStyle([3], 23)),
  quoteBar: sgrStyle([90], 39),
  html: sgrStyle([90], 39),
  link: sgrStyle([34], 39),
  href: combine(sgrStyle([34], 39), sgrStyle([4], 24)),
  hr: sgrStyle([90], 39),
  tableHead: sgrStyle([1], 22),
  tableBorder: sgrStyle([90], 39),
  muted: sgrStyle([90], 39),
} satisfies Record<string, Style>;

// ---------------------------------------------------------------------------------------------
// Line utilities

/** Any SGR sequence. */
const SGR_GLOBAL = /\x1b\[[0-9;:]*m/g;

/** Remove every SGR sequence. */
export function stripSgr(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR_GLOBAL, '') : text;
}

/**
 * Neutralise every control character and escape sequence except SGR, the way
 * `sanitizeModelText` does (a placeholder per sequence), and expand tabs to spaces (tab stops
 * every `tabSize` columns, counted in UTF-16 units of the visible text). `\n` is kept. A last
 * line of defence after rendering: nothing but SGR can come out of a third-party renderer (no
 * OSC 8 hyperlink, no cursor movement), whatever path a control character took to get there.
 */
export function scrubRendered(text: string, tabSize = 4): string {
  let out = text;
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]/.test(out)) {
    out = out
      .split(/(\x1b\[[0-9;:]*m)/)
      .map((part, i) => (i % 2 === 1 ? part : sanitizeModelText(part)))
      .join('');
  }
  if (out.includes('\t')) out = out.split('\n').map((line) => expandTabs(line, tabSize)).join('\n');
  return out;
}

function expandTabs(line: string, tabSize: number): string {
  let column = 0;
  let result = '';
  for (const part of line.split(/(\x1b\[[0-9;:]*m|\t)/)) {
    if (part === '\t') {
      const pad = tabSize - (column % tabSize);
      result += ' '.repeat(pad);
      column += pad;
    } else {
      result += part;
      if (!part.startsWith('\x1b[')) column += part.length;
    }
  }
  return result;
}

/** Visible width of a line in terminal columns (string-width; SGR sequences count 0). */
export function visibleWidth(line: string): number {
  return stringWidth(line);
}

/** True when a line has no visible character other than whitespace. */
export function isBlankLine(line: string): boolean {
  return stripSgr(line).trim() === '';
}

type SgrState = Map<string, string>;

/** Apply one SGR parameter list to the state (category → the codes that set it). */
function applySgr(state: SgrState, params: string): void {
  const parts = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    const code = Number.parseInt(p, 10);
    if (code === 0 || Number.isNaN(code)) {
      state.clear();
    } else if (code === 1 || code === 2) {
      state.set(code === 1 ? 'bold' : 'dim', String(code));
    } else if (code === 22) {
      state.delete('bold');
      state.delete('dim');
    } else if (code >= 3 && code <= 9) {
      state.set(`attr${code === 6 ? 5 : code}`, p);
    } else if (code >= 23 && code <= 29) {
      state.delete(`attr${code - 20}`);
    } else if (code === 38 || code === 48 || code === 58) {
      const key = code === 38 ? 'fg' : code === 48 ? 'bg' : 'ul';
      const mode = parts[i + 1];
      const take = mode === '5' ? 2 : mode === '2' ? 4 : 0;
      state.set(key, parts.slice(i, i + 1 + take).join(';'));
      i += take;
    } else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
      state.set('fg', p);
    } else if (code === 39) {
      state.delete('fg');
    } else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
      state.set('bg', p);
    } else if (code === 49) {
      state.delete('bg');
    } else if (code === 59) {
      state.delete('ul');
    } else if (code === 53) {
      state.set('overline', p);
    } else if (code === 55) {
      state.delete('overline');
    }
  }
}

function openState(state: SgrState): string {
  return state.size === 0 ? '' : `\x1b[${[...state.values()].join(';')}m`;
}

/**
 * Make every line self-contained: a style still open at the end of a line is closed there
 * (`ESC[0m`) and re-opened at the start of the next line, so any slice of lines renders
 * correctly on its own and no colour leaks into the next row. Lines without visible text lose
 * their codes. Input lines may contain only SGR sequences (see {@link scrubRendered}).
 */
export function balanceLines(lines: readonly string[]): string[] {
  const state: SgrState = new Map();
  const out: string[] = [];
  for (const line of lines) {
    const prefix = openState(state);
    if (!line.includes('\x1b')) {
      out.push(state.size === 0 || line.trim() === '' ? line : prefix + line + '\x1b[0m');
      continue;
    }
    for (const match of line.matchAll(SGR_GLOBAL)) applySgr(state, match[0].slice(2, -1));
    if (isBlankLine(line)) {
      out.push(stripSgr(line));
      continue;
    }
    out.push(prefix + line + (state.size === 0 ? '' : '\x1b[0m'));
  }
  return out;
}
