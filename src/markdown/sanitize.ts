/**
 * Sanitising untrusted model text before it can reach the terminal.
 *
 * Model output is attacker-controllable (prompt injection, quoted web pages), so every terminal
 * control function is removed before the text is lexed, rendered or shown: ECMA-48 (ISO 6429)
 * control sequences (CSI, OSC, DCS, SOS, PM, APC and two-character ESC sequences), C0 and C1
 * control characters, DEL, and the Unicode BiDi embedding/override/isolate controls
 * (the "Trojan Source" set, CVE-2021-42574) plus invisible zero-width characters.
 *
 * The sanitiser is **line-local**: no sequence is ever considered to span a `\n`, so for any `a`
 * that ends in `\n`, `sanitizeModelText(a + b) === sanitizeModelText(a) + sanitizeModelText(b)`.
 * The streaming block splitter relies on that to sanitise each completed line exactly once.
 */

/** Shown instead of each removed ESC- or C1-introduced sequence (U+241B SYMBOL FOR ESCAPE). */
export const ESCAPE_PLACEHOLDER = '\u241B';

/** Shown instead of a removed DEL (U+2421 SYMBOL FOR DELETE). */
export const DELETE_PLACEHOLDER = '\u2421';

/**
 * The visible stand-in for a removed lone C0 control character: its Unicode Control Picture
 * (U+2400 + code, e.g. BEL U+0007 → ␇ U+2407). Throws RangeError for codes outside 0x00–0x1F.
 */
export function controlPicture(code: number): string {
  if (!Number.isInteger(code) || code < 0 || code > 0x1f) {
    throw new RangeError(`controlPicture: ${code} is not a C0 control code`);
  }
  return String.fromCharCode(0x2400 + code);
}

/** Fast pre-check: any character the sanitiser would touch. */
const NEEDS_WORK = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

const ESC = 0x1b;
const BEL = 0x07;
const LF = 0x0a;
const CR = 0x0d;
const DEL = 0x7f;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

/**
 * Remove every terminal control function from untrusted text, leaving visible placeholders.
 *
 * Input: any string (UTF-16). Output: a string containing no character in
 * U+0000–U+0008, U+000B–U+001F, U+007F–U+009F, no BiDi embedding/override/isolate control
 * (U+202A–U+202E, U+2066–U+2069) and no U+200B, U+2060 or U+FEFF. `\n` and `\t` are kept;
 * ZWNJ/ZWJ (U+200C/U+200D) are kept because emoji sequences and several scripts need them.
 *
 * Replacements (ECMA-48 5th ed. §5.3–5.6, §8.3.89 CSI, §8.3.27 DCS, §8.3.89 OSC, ST §8.3.143):
 * - CSI (`ESC [` or U+009B) parameter bytes 0x30–0x3F, intermediates 0x20–0x2F and the final byte
 *   0x40–0x7E → one `␛` ({@link ESCAPE_PLACEHOLDER}).
 * - Control strings OSC (`ESC ]`, U+009D; covers OSC 0/2 titles, OSC 8 hyperlinks, OSC 52
 *   clipboard), DCS (`ESC P`, U+0090), SOS (`ESC X`, U+0098), PM (`ESC ^`, U+009E), APC (`ESC _`,
 *   U+009F) → one `␛` together with their whole payload, up to and including the terminator BEL,
 *   `ESC \` or U+009C. A string ends early (terminator missing) at a newline or at the end of the
 *   text; the newline itself is kept. An ESC inside a string that is not `ESC \` also ends it.
 * - Other ESC sequences (`ESC 7`, `ESC c`, `ESC ( B`: intermediates 0x20–0x2F then a final byte
 *   0x30–0x7E) and a lone ESC → one `␛`. Any other C1 control (U+0080–U+009F) → `␛`.
 * - `\r\n` → `\n`; any other `\r` is dropped.
 * - Any other C0 control → its Control Picture (BEL → ␇, BS → ␈); DEL → `␡`.
 * - BiDi controls and U+200B/U+2060/U+FEFF are dropped silently.
 *
 * Never throws. Runs in O(length); returns the input itself when nothing needs changing.
 */
export function sanitizeModelText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  let runStart = 0; // start of the pending run of ordinary characters
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isSpecial(c)) {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    if (c === ESC) {
      i = skipEscape(text, i);
      out += ESCAPE_PLACEHOLDER;
    } else if (c >= 0x80 && c <= 0x9f) {
      i = skipC1(text, i);
      out += ESCAPE_PLACEHOLDER;
    } else if (c === CR) {
      i++; // `\r\n` keeps the `\n` (not special); a lone `\r` is dropped.
    } else if (c === DEL) {
      out += DELETE_PLACEHOLDER;
      i++;
    } else if (c < 0x20) {
      out += controlPicture(c);
      i++;
    } else {
      i++; // BiDi control or zero-width character: dropped silently.
    }
    runStart = i;
  }
  return out + text.slice(runStart);
}

function isSpecial(c: number): boolean {
  if (c < 0x20) return c !== LF && c !== 0x09;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  if (c < 0x200b) return false;
  return c === 0x200b || (c >= 0x202a && c <= 0x202e) || c === 0x2060 || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
}

/** `i` is at an ESC; returns the index just after the sequence it introduces. */
function skipEscape(text: string, i: number): number {
  const next = text.charCodeAt(i + 1); // NaN at the end of the text
  switch (next) {
    case 0x5b: // '[' CSI
      return skipCsiBody(text, i + 2);
    case 0x5d: // ']' OSC
    case 0x50: // 'P' DCS
    case 0x58: // 'X' SOS
    case 0x5e: // '^' PM
    case 0x5f: // '_' APC
      return skipControlString(text, i + 2);
    default:
      break;
  }
  // nF / Fp / Fe / Fs: zero or more intermediates 0x20–0x2F, then a final byte 0x30–0x7E.
  let j = i + 1;
  while (j < text.length && isIntermediate(text.charCodeAt(j))) j++;
  if (j < text.length && isEscFinal(text.charCodeAt(j))) return j + 1;
  return j; // lone ESC (or ESC + dangling intermediates)
}

/** `i` is at a C1 control; returns the index just after it and whatever it introduces. */
function skipC1(text: string, i: number): number {
  switch (text.charCodeAt(i)) {
    case C1_CSI:
      return skipCsiBody(text, i + 1);
    case C1_OSC:
    case C1_DCS:
    case C1_SOS:
    case C1_PM:
    case C1_APC:
      return skipControlString(text, i + 1);
    default:
      return i + 1;
  }
}

/** After a CSI introducer: parameter bytes, intermediate bytes, then one final byte if present. */
function skipCsiBody(text: string, j: number): number {
  const n = text.length;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c >= 0x30 && c <= 0x3f) j++;
    else break;
  }
  while (j < n && isIntermediate(text.charCodeAt(j))) j++;
  if (j < n) {
    const c = text.charCodeAt(j);
    if (c >= 0x40 && c <= 0x7e) return j + 1;
  }
  return j; // truncated or malformed: stop before the offending character
}

/** After an OSC/DCS/SOS/PM/APC introducer: the payload and its terminator, never past a `\n`. */
function skipControlString(text: string, j: number): number {
  const n = text.length;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === LF) return j; // line-local: the newline survives
    if (c === BEL || c === C1_ST) return j + 1;
    if (c === ESC) return text.charCodeAt(j + 1) === 0x5c ? j + 2 : j; // ESC \ is ST
    j++;
  }
  return j;
}

function isIntermediate(c: number): boolean {
  return c >= 0x20 && c <= 0x2f;
}

function isEscFinal(c: number): boolean {
  return c >= 0x30 && c <= 0x7e;
}
