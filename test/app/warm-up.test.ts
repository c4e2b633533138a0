import { describe, expect, it } from 'vitest';
import { warmUpHighlighting } from '../../src/app/warm-up.js';
import { highlightCode, prepareLanguage } from '../../src/markdown/highlight.js';
import { isColorEnabled, setColorEnabled } from '../../src/markdown/style.js';

describe('compiling grammars ahead of the first code block', () => {
  it('prepares a known language, and says no to an unknown one', () => {
    expect(prepareLanguage('python')).toBe(true);
    expect(prepareLanguage('no-such-language')).toBe(false);
    expect(prepareLanguage('../../etc')).toBe(false);
    // A prepared language highlights (colour on, as in a terminal).
    const was = isColorEnabled();
    setColorEnabled(true);
    try {
      expect(highlightCode('def f():\n    return 1', 'python')).toContain('\x1b[');
    } finally {
      setColorEnabled(was);
    }
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
