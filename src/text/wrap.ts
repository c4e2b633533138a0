import { wrapAnsi as fastWrapAnsi } from 'fast-wrap-ansi';
import wrapAnsi from 'wrap-ansi';

/** wrap-ansi's options (fast-wrap-ansi takes the same). */
export interface WrapOptions {
  /** Break words longer than a line (default false: they overflow). */
  hard?: boolean;
  /** Trim whitespace at the start and end of each line (default true). */
  trim?: boolean;
  /** Wrap at word boundaries (default true). */
  wordWrap?: boolean;
}

/** Anything but ASCII: where a code point is not a whole one-column character. */
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * Wraps styled text (SGR escape codes allowed) to `columns` terminal columns, word by word.
 *
 * ASCII text, escape codes included, goes to fast-wrap-ansi, about 3× faster on the lines a
 * reply is made of. Any other text goes to wrap-ansi 10, which breaks only between grapheme
 * clusters and measures each as the terminal does. fast-wrap-ansi (0.2, a port of wrap-ansi 9)
 * splits a long word code point by code point and measures each alone, so "⚠️" counted one
 * column instead of two, and a family emoji or a flag could be cut in half.
 * @param text the text, lines separated by `\n`
 * @param columns the width, in terminal columns (≥ 1)
 * @returns the wrapped text, lines separated by `\n`
 */
export function wrapStyled(text: string, columns: number, options: WrapOptions = {}): string {
  // fast-wrap-ansi would break inside an OSC 8 hyperlink; wrap-ansi keeps each row's link whole.
  return NON_ASCII.test(text) || text.includes('\x1b]') ? wrapAnsi(text, columns, options) : fastWrapAnsi(text, columns, options);
}
