import { prepareLanguage } from '../markdown/highlight.js';
import { renderMarkdown } from '../markdown/render.js';
import terminalWidth from '../text/width.js';

/** A little of everything the first reply will need: headings, emphasis, a list, a quote, code, a table, wide text. */
const SAMPLE = [
  '# Warm-up ✓',
  '',
  'Some **bold**, *italic*, `code` and a [link](https://example.com) — ≤ 2 × 3 → 📦 日本.',
  '',
  '- one',
  '  1. two',
  '',
  '> quoted',
  '',
  '```',
  'plain code',
  '```',
  '',
  '| a | b |',
  '|---|:-:|',
  '| 1 | 2 |',
  '',
  '---',
].join('\n');

/**
 * Does once, while the user is still typing their first prompt, the one-time work of the first
 * markdown render (marked's regular expressions, string-width's segmenter and emoji patterns:
 * ~20–40 ms), so the first reply's first lines do not wait for it. Output is discarded; the block
 * cache it fills is keyed by source and width, so nothing of it can show.
 * @param width the terminal's columns
 * @throws never (a failure here only means the first reply pays the cost itself)
 */
export function warmUp(width: number): void {
  try {
    renderMarkdown(SAMPLE, Math.max(20, width - 2));
    terminalWidth('⚠️ 👍🏽 é');
  } catch {
    // nothing to do
  }
}

/** The languages of most code blocks in a chat, compiled ahead by {@link warmUpHighlighting}. */
export const COMMON_LANGUAGES: readonly string[] = ['python', 'typescript', 'javascript', 'bash', 'json'];

/**
 * Compiles the grammars of `languages` one per macrotask (each 1–15 ms), so a key pressed
 * meanwhile waits for one of them at most, never for all.
 * @param done called once every language was tried (tests)
 * @throws never
 */
export function warmUpHighlighting(languages: readonly string[] = COMMON_LANGUAGES, done?: () => void): void {
  const next = (i: number): void => {
    if (i >= languages.length) {
      done?.();
      return;
    }
    prepareLanguage(languages[i]!);
    setTimeout(() => next(i + 1), 0).unref();
  };
  next(0);
}
