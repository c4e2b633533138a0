import { emptyReply } from '../domain/conversation.js';
import type { AssistantMessage } from '../domain/types.js';
import { prepareLanguage } from '../markdown/highlight.js';
import { renderMarkdown } from '../markdown/render.js';
import terminalWidth from '../text/width.js';
import type { Theme } from '../theme.js';
import { TranscriptLayout } from '../transcript/layout.js';
import { rowUpdate } from '../terminal/screen.js';

/**
 * A little of everything the first reply will need: headings, emphasis, a paragraph and a list
 * item long enough to wrap, nested and numbered lists, a quote, highlighted code, a table, wide
 * text.
 */
const SAMPLE = [
  '# Warm-up ✓',
  '',
  '## A section',
  '',
  'Some **bold**, *italic*, `code` and a [link](https://example.com) — ≤ 2 × 3 → 📦 日本. A paragraph long',
  'enough to wrap at any width a terminal has: it goes on with more words, `inline code`, **strong',
  'words** and *emphasis*, so that the wrapping path runs as well as the short one, and then it goes',
  'on a little more, past two hundred and fifty columns, which is wider than most terminals are.',
  '',
  '### A smaller heading',
  '',
  '- one with **bold** and `code`',
  '- two, long enough to wrap under its bullet in a narrow terminal, and longer still, so that it wraps at the widths people use',
  '  1. nested',
  '  2. again',
  '',
  '1. first',
  '2. second',
  '',
  '> quoted, with *emphasis*',
  '',
  '```python',
  'def f(x: int) -> str:',
  '    return f"{x}"  # comment',
  '```',
  '',
  '| a | b | `c` |',
  '|---|:-:|--:|',
  '| 1 | two | **3** |',
  '',
  '---',
].join('\n');

/** {@link SAMPLE} with `mark` on every word (so no cached block of it can show later), code still python. */
function sampleMarked(mark: string): string {
  return SAMPLE.replace(/[a-z]+/g, (word) => `${word}${mark}`).replace(/^```python\S*$/m, '```python');
}

/** Times the streaming path is run by {@link warmUpStreaming}: V8 optimises a function after a few calls. */
export const WARM_UP_ROUNDS = 4;

/**
 * Does once, while the user is still typing their first prompt, the one-time work of the first
 * markdown render (marked's regular expressions, string-width's segmenter and emoji patterns:
 * ~20–40 ms), so the first reply's first lines do not wait for it. Output is discarded; the block
 * cache it fills is keyed by source and width, so nothing of it can show.
 * @param width the terminal's columns
 * @param theme the transcript's theme (its caches are keyed on it)
 * @throws never (a failure here only means the first reply pays the cost itself)
 */
export function warmUp(width: number, theme?: Theme): void {
  try {
    renderMarkdown(SAMPLE, Math.max(20, width - 2), theme);
    terminalWidth('⚠️ 👍🏽 é');
  } catch {
    // nothing to do
  }
}

/**
 * Runs the streaming path once: a reply growing line by line through the transcript layout and
 * the painter's row updates, as the first frames of a reply will. A few rounds of it before the
 * first reply let V8 compile that path: the first frames otherwise took 15–27 ms instead of 4–6.
 * Each round's text differs (`round` is in every line), so no cached block of it can show later.
 * @param width the terminal's columns
 * @param theme the transcript's theme
 * @param round which round (0, 1, …)
 * @returns the last frame's lines
 * @throws what the layout throws
 */
export function warmUpStreaming(width: number, theme: Theme, round: number): readonly string[] {
  const opts = { width: Math.max(20, width), expandThinking: false, theme };
  const layout = new TranscriptLayout();
  // The round's number inside every block, in a place that keeps each block's kind.
  const text = `${sampleMarked(String(round))}\n`;
  let previous: readonly string[] = [];
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', end + 1)) {
    const lines = layout.linesFor(warmUpReply(text.slice(0, end + 1)), opts);
    for (const [i, line] of lines.entries()) rowUpdate(previous[i] ?? '', line, i + 1, opts.width);
    previous = lines;
  }
  return previous;
}

/**
 * The whole warm-up, one step per macrotask (so a key pressed meanwhile waits for one step, ~5–15
 * ms, never for all): the markdown render, {@link WARM_UP_ROUNDS} rounds of the streaming path,
 * then the grammars of the common languages.
 * @param hooks `busy` is asked before each step: once it says true (a reply is on its way) the
 *   rest is dropped, so the warm-up never competes with the reply it prepares for; `done` is
 *   called at the end (tests)
 * @throws never
 */
export function warmUpAll(width: number, theme: Theme, hooks: { busy?: () => boolean; done?: () => void } = {}): void {
  warmUp(width, theme);
  const rounds = Array.from({ length: WARM_UP_ROUNDS }, (_, round) => () => {
    try {
      warmUpStreaming(width, theme, round);
    } catch {
      // the first reply pays the cost itself
    }
  });
  setTimeout(() => inTurns([...rounds, ...languageSteps(COMMON_LANGUAGES)], hooks.done, hooks.busy), 0).unref();
}

/** A streaming reply holding `text`, for {@link warmUpStreaming}. */
function warmUpReply(text: string): AssistantMessage {
  return { ...emptyReply('warm-up', 'warm-up', 0), content: [{ type: 'text', text, citations: [] }], status: 'streaming', firstTokenAt: 0 };
}

/**
 * The languages of most code blocks in a chat, compiled ahead by {@link warmUpHighlighting}:
 * ~55 ms of idle time in all, one language per macrotask, and ~2.8 MB of heap (rust, go and sql:
 * 10 ms and 0.45 MB of it).
 */
export const COMMON_LANGUAGES: readonly string[] = ['python', 'typescript', 'javascript', 'bash', 'json', 'rust', 'go', 'sql'];

/**
 * Compiles the grammars of `languages` one per macrotask (each 1–15 ms), so a key pressed
 * meanwhile waits for one of them at most, never for all.
 * @param done called once every language was tried (tests)
 * @throws never
 */
export function warmUpHighlighting(languages: readonly string[] = COMMON_LANGUAGES, done?: () => void): void {
  inTurns(languageSteps(languages), done);
}

function languageSteps(languages: readonly string[]): (() => void)[] {
  return languages.map((language) => () => void prepareLanguage(language));
}

/**
 * Runs `steps`, the first now and each next one in a macrotask of its own, then `done`; the steps
 * left are dropped once `stop` says true.
 */
function inTurns(steps: readonly (() => void)[], done?: () => void, stop?: () => boolean): void {
  const next = (i: number): void => {
    if (i >= steps.length || stop?.()) {
      done?.();
      return;
    }
    steps[i]!();
    setTimeout(() => next(i + 1), 0).unref();
  };
  next(0);
}
