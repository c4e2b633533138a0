/**
 * A block shown as plain text (limits.ts): one muted line saying why, then its source lines as
 * they are, each wrapped to the width. Lines are independent of each other, so a growing plain
 * block is drawn incrementally (see {@link PlainLines}), and the work is O(characters) for any
 * line, however long (a 20 MB line included): no markdown, no SGR parsing.
 */
import stringWidth from '../text/width.js';
import { plainNote, type PlainReason } from './limits.js';
import type { MarkdownTheme } from './style.js';

/** Most columns of leading indentation a plain line keeps. */
const MAX_INDENT = 32;

/** Printable ASCII only: one column per character. */
const ASCII = /^[\x20-\x7e]*$/;

const widths = new Map<string, number>();
function charWidth(ch: string): number {
  let w = widths.get(ch);
  if (w === undefined) {
    w = stringWidth(ch);
    if (widths.size < 4096) widths.set(ch, w);
  }
  return w;
}

/**
 * Wrap one line of sanitised text (no escape sequences, no `\n`) to `width` columns: at the
 * last space that fits, else hard. O(length). Tabs become four spaces; leading indentation is
 * kept up to {@link MAX_INDENT} columns or half the width, whichever is less.
 * @returns at least one line; each at most `width` columns (a character wider than the width alone on its line)
 */
export function wrapPlainLine(line: string, width: number): string[] {
  let text = line.includes('\t') ? line.replaceAll('\t', '    ') : line;
  // Deep indentation (a thousand nested lists) is flattened: at most half the width, 32 at most.
  const indent = text.length - text.trimStart().length;
  const most = Math.min(MAX_INDENT, Math.floor(width / 2));
  if (indent > most) text = ' '.repeat(most) + text.slice(indent);
  if (text.length <= width && ASCII.test(text)) return [text];
  const out: string[] = [];
  if (ASCII.test(text)) {
    let pos = 0;
    while (text.length - pos > width) {
      const space = text.lastIndexOf(' ', pos + width);
      if (space > pos) {
        out.push(text.slice(pos, space));
        pos = space + 1;
      } else {
        out.push(text.slice(pos, pos + width));
        pos += width;
      }
    }
    out.push(text.slice(pos));
    return out;
  }
  let current = '';
  let used = 0;
  let lastSpace = -1; // index in `current` of the last space, and the columns before it
  let beforeSpace = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width && current !== '') {
      if (lastSpace > 0 && ch !== ' ') {
        out.push(current.slice(0, lastSpace));
        current = current.slice(lastSpace + 1);
        used -= beforeSpace + 1;
      } else {
        out.push(current);
        current = '';
        used = 0;
      }
      lastSpace = -1;
      if (ch === ' ' && current === '') continue;
    }
    if (ch === ' ') {
      lastSpace = current.length;
      beforeSpace = used;
    }
    current += ch;
    used += w;
  }
  out.push(current);
  return out;
}

/** The note line above a plain block, fitted to `width`. */
export function plainHeader(reason: PlainReason, width: number, theme: MarkdownTheme): string {
  const note = plainNote(reason);
  return theme.markdown.muted(note.length > width ? `${note.slice(0, Math.max(0, width - 1))}…` : note);
}

/**
 * The lines of a plain block: the note, then every source line wrapped (leading and trailing
 * blank lines left out, as for a rendered block). `source` is sanitised markdown source.
 */
export function plainBlockLines(source: string, reason: PlainReason, width: number, theme: MarkdownTheme): string[] {
  const lines = new PlainLines(reason, width, theme);
  lines.append(source.replace(/\n+$/, ''));
  return lines.lines;
}

/**
 * A plain block drawn as it grows: {@link append} wraps only the lines it is given. The result
 * equals {@link plainBlockLines} of everything appended so far.
 */
export class PlainLines {
  readonly lines: string[];
  #started = false;
  /** Blank source lines seen after the last non-blank one (shown only if more text follows). */
  #blanks = 0;

  constructor(
    readonly reason: PlainReason,
    readonly width: number,
    readonly theme: MarkdownTheme,
  ) {
    this.lines = [plainHeader(reason, width, theme)];
  }

  /** Add complete source lines (joined by `\n`; a trailing `\n` is ignored). */
  append(source: string): void {
    if (source === '') return;
    const text = source.endsWith('\n') ? source.slice(0, -1) : source;
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      const line = nl < 0 ? text.slice(at) : text.slice(at, nl);
      if (line.trim() === '') {
        if (this.#started) this.#blanks++;
      } else {
        for (; this.#blanks > 0; this.#blanks--) this.lines.push('');
        this.#started = true;
        for (const piece of wrapPlainLine(line, this.width)) this.lines.push(piece);
      }
      if (nl < 0) break;
      at = nl + 1;
    }
  }
}
