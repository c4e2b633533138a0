import { describe, expect, it } from 'vitest';
import { warmUpHighlighting } from '../../src/main/warm-up.js';
import { highlightCode, prepareLanguage } from '../../src/markdown/highlight.js';
import { darkTheme } from '../../src/theme.js';

describe('compiling grammars ahead of the first code block', () => {
  it('prepares a known language, and says no to an unknown one', () => {
    expect(prepareLanguage('python')).toBe(true);
    expect(prepareLanguage('no-such-language')).toBe(false);
    expect(prepareLanguage('../../etc')).toBe(false);
    // A prepared language highlights (in colour, as in a terminal).
    expect(highlightCode('def f():\n    return 1', 'python', darkTheme)).toContain('\x1b[');
  });

  it('goes through the languages one per macrotask and reports when done', async () => {
    const order: string[] = [];
    const done = new Promise<void>((resolve) =>
      warmUpHighlighting(['json', 'bash'], () => {
        order.push('done');
        resolve();
      }),
    );
    order.push('returned');
    await done;
    expect(order).toEqual(['returned', 'done']);
  });
});

describe('warming up the streaming path', () => {
  it('lays out a reply growing line by line, every round with different text', async () => {
    const { warmUpStreaming } = await import('../../src/main/warm-up.js');
    const { darkTheme } = await import('../../src/theme.js');
    const plain = (l: string) => l.replace(/\x1b\[[\d;]*m/g, '');
    const last = warmUpStreaming(60, darkTheme, 0).map(plain);
    // The whole sample went through markdown: the heading, the table's border, the rule.
    expect(last.join('\n')).toContain('Warm0-up0');
    expect(last.some((l) => l.includes('┌'))).toBe(true);
    expect(last.every((l) => l.length <= 60)).toBe(true);
    expect(warmUpStreaming(60, darkTheme, 1).map(plain)).not.toEqual(last);
  });

  it('does every step, one per macrotask, and reports the end', async () => {
    const { warmUpAll } = await import('../../src/main/warm-up.js');
    const { darkTheme } = await import('../../src/theme.js');
    const order: string[] = [];
    const done = new Promise<void>((resolve) => warmUpAll(100, darkTheme, { done: () => (order.push('done'), resolve()) }));
    order.push('returned');
    await done;
    expect(order).toEqual(['returned', 'done']);
  });
});

describe('the warm-up gives way to a reply', () => {
  it('asks before every step and drops the rest once a reply is on its way', async () => {
    const { warmUpAll, WARM_UP_ROUNDS, COMMON_LANGUAGES } = await import('../../src/main/warm-up.js');
    const { darkTheme } = await import('../../src/theme.js');
    const all = WARM_UP_ROUNDS + COMMON_LANGUAGES.length;
    // Never busy: asked once before each step.
    let asked = 0;
    await new Promise<void>((resolve) => warmUpAll(80, darkTheme, { done: resolve, busy: () => (asked++, false) }));
    expect(asked).toBe(all);
    // Busy after two steps: done is still called, and nothing more is asked or run.
    asked = 0;
    await new Promise<void>((resolve) => warmUpAll(80, darkTheme, { done: resolve, busy: () => ++asked > 2 }));
    expect(asked).toBe(3);
  });
});
