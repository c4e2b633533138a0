import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';

/**
 * Characters string-width 8 measures as exactly one column each, whatever their neighbours: none
 * of them joins a grapheme cluster with another (no combining marks, joiners, variation
 * selectors, regional indicators or Hangul jamo) and none is an emoji or wide. Printable ASCII,
 * Latin-1 (without the soft hyphen) and Latin Extended-A, general punctuation (dashes, quotes, "•",
 * "…", "‹ ›"), arrows, box drawing, block elements, geometric shapes (without the four drawn as
 * emoji), braille (the spinner). test/text/width.test.ts checks every one against string-width.
 */
const ONE_COLUMN =
  /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u017f\u2010-\u2027\u2030-\u203b\u203d-\u2047\u2190-\u2193\u21b0-\u21b3\u2500-\u25fa\u25ff\u2800-\u28ff]*$/;

/**
 * Terminal columns of a string, as string-width 8 counts them (same inputs, same options, same
 * result), without its grapheme segmentation when every character is one of {@link ONE_COLUMN}:
 * the first such measurement otherwise costs ~15 ms (ICU segmenter, emoji regex), and every
 * later one a segmenter pass. inkwell's code measures with this; the bundle hands it to every other
 * user of string-width 8 too (Ink, wrap-ansi, cli-truncate: see scripts/build.mjs).
 * @param input text, ANSI escape codes allowed (not counted unless asked)
 * @param options string-width's options
 * @returns columns (0 for a non-string or empty input)
 */
export default function terminalWidth(input: string, options: Parameters<typeof stringWidth>[1] = {}): number {
  if (typeof input !== 'string' || options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes === true) {
    return stringWidth(input, options);
  }
  const text = input.includes('\u001b') || input.includes('\u009b') ? stripAnsi(input) : input;
  return ONE_COLUMN.test(text) ? text.length : stringWidth(text, options);
}
