/**
 * SGR (ECMA-48 §8.3.117 "Select Graphic Rendition": `ESC [ params m`) in one place: the pattern,
 * stripping and splitting styled text, building styles, and the attributes still on at a point.
 * Every styled string inkwell draws carries SGR sequences only (anything else is neutralised
 * before it is styled: markdown/sanitize.ts), so these are all the escape handling the rendering
 * code needs. Pure functions; nothing here reads the terminal or the environment.
 */
import { ansiCodesToString, reduceAnsiCodes, tokenize, type AnsiCode } from '@alcalzone/ansi-tokenize';

/**
 * One SGR sequence, global. Parameters are digits, `;` and `:` (ISO 8613-6 sub-parameters such
 * as `38:2::255:0:0`). Use it with `replace`, `split`, `match` and `matchAll` only: `test` and
 * `exec` on a shared global regex keep `lastIndex` between calls.
 */
export const SGR_PATTERN = /\x1b\[[0-9;:]*m/g;

/** Turns every attribute off. */
export const SGR_RESET = '\x1b[0m';

/** The same sequence, anchored at the start of the text (`SGR_AT_START.exec(s.slice(i))`). */
export const SGR_AT_START = /^\x1b\[[0-9;:]*m/;

/** Splits text at its SGR sequences, keeping them: odd indices of the result are sequences. */
const SGR_SPLIT = /(\x1b\[[0-9;:]*m)/;

/**
 * Text without its SGR sequences (other escapes are kept).
 * @param text styled text
 * @returns the visible characters
 */
export function stripSgr(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR_PATTERN, '') : text;
}

/**
 * Styled text cut into runs: `[text, sgr, text, sgr, …, text]`, odd indices the SGR sequences,
 * even indices the text between them (possibly '').
 * @param text styled text
 */
export function splitSgr(text: string): string[] {
  return text.includes('\x1b') ? text.split(SGR_SPLIT) : [text];
}

/**
 * The length of the SGR sequence starting at `index` of `text`, or 0 when none starts there.
 * @param text styled text
 * @param index a UTF-16 offset into it
 */
export function sgrLengthAt(text: string, index: number): number {
  if (text.charCodeAt(index) !== 0x1b || text.charCodeAt(index + 1) !== 0x5b) return 0;
  let i = index + 2;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x6d) return i + 1 - index; // 'm'
    if (!((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a)) return 0;
  }
  return 0;
}

/** A text style: `(text) => styled text` (the identity when styling is off). */
export type Style = (text: string) => string;

/** The identity style. */
export const plain: Style = (text) => text;

/**
 * A style from SGR open codes and the code that closes them. Like chalk, a close code already
 * inside the text is followed by the open codes again, so nesting (bold inside bold, a link in a
 * coloured heading) keeps the outer style after the inner one ends. '' stays ''.
 * @param open SGR parameters that turn the style on (e.g. `[1]` bold, `[36]` cyan)
 * @param close the SGR parameter that turns it off (22 bold/dim, 39 foreground, …)
 */
export function sgrStyle(open: readonly number[], close: number): Style {
  const openSeq = open.map((code) => `\x1b[${code}m`).join('');
  const closeSeq = `\x1b[${close}m`;
  return (text) => (text === '' ? text : openSeq + text.replaceAll(closeSeq, closeSeq + openSeq) + closeSeq);
}

/** Styles applied right to left, like function composition: `combine(a, b)(t) === a(b(t))`. */
export function combine(...styles: Style[]): Style {
  return (text) => styles.reduceRight((acc, style) => style(acc), text);
}

/**
 * The SGR sequence that turns on the attributes still active at the end of `text` (after every
 * open and close in it), or '' when none is: what to write before continuing a row from there.
 * Reduced to the attributes that are on (via @alcalzone/ansi-tokenize), never a replay of every
 * open and close.
 * @param text styled text
 */
export function activeStyles(text: string): string {
  const sgr = text.match(SGR_PATTERN);
  if (!sgr) return '';
  const codes = tokenize(sgr.join('')).filter((t): t is AnsiCode => t.type === 'ansi');
  return ansiCodesToString(reduceAnsiCodes(codes));
}

/** Attribute category → the SGR parameters that set it (see {@link applySgr}). */
type SgrState = Map<string, string>;

/** Apply one SGR parameter list to the state. */
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
 * Makes every line self-contained: a style still open at the end of a line is closed there
 * (`ESC[0m`) and opened again at the start of the next line (one combined sequence), so any slice
 * of lines renders correctly on its own and no colour leaks into the next row. Lines without
 * visible text lose their codes.
 * @param lines lines that contain no escape sequence other than SGR
 * @returns as many lines
 */
export function balanceLines(lines: readonly string[]): string[] {
  const state: SgrState = new Map();
  const out: string[] = [];
  for (const line of lines) {
    const prefix = openState(state);
    if (!line.includes('\x1b')) {
      out.push(state.size === 0 || line.trim() === '' ? line : prefix + line + SGR_RESET);
      continue;
    }
    for (const match of line.matchAll(SGR_PATTERN)) applySgr(state, match[0].slice(2, -1));
    const visible = stripSgr(line);
    if (visible.trim() === '') {
      out.push(visible);
      continue;
    }
    out.push(prefix + line + (state.size === 0 ? '' : SGR_RESET));
  }
  return out;
}
