/**
 * Markdown as a person sees it in the chat (issue 22): inline code with `:` in list items and
 * table cells, heading levels 2–6 each styled differently, images as `[image: alt] url`, and
 * common HTML tags rendered or stripped, at two widths. Styles are read from the headless
 * terminal's cells (bold, italic, underline, colour), not from the escape bytes.
 */
import { describe, expect, it } from 'vitest';
import { sseForDeltas } from '../../src/server/hostile.js';
import { ask, idle, MODEL, rig } from '../helpers/faults.js';
import type { AppInPty } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

const REPLY = [
  '- run `npm:start` then `a:b:c`',
  '',
  '| key | value |',
  '|---|---|',
  '| `host:port` | ok |',
  '',
  '## Heading two',
  '',
  '### Heading three',
  '',
  '#### Heading four',
  '',
  '##### Heading five',
  '',
  '###### Heading six',
  '',
  '![a diagram](https://example.com/d.png)',
  '',
  'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, <b>bold words</b> and x<sup>2</sup><br>next line <!-- hidden comment -->',
  '',
  '<details><summary>More info</summary>',
  '',
  'Inside the details.',
  '',
  '</details>',
  '',
  'The end of the markdown reply.',
  '',
].join('\n');

/** The cell style of the first cell of `text` on screen: bold, italic, underline, foreground colour. */
function styleOf(app: AppInPty, text: string): string {
  const b = app.term.buffer.active;
  for (let y = 0; y < app.term.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    const s = line?.translateToString(true) ?? '';
    const x = s.indexOf(text);
    if (x < 0 || !line) continue;
    const cell = line.getCell(x)!;
    return `b${Boolean(cell.isBold())}i${Boolean(cell.isItalic())}u${Boolean(cell.isUnderline())}d${Boolean(cell.isDim())}c${cell.getFgColor()}`;
  }
  throw new Error(`${text} not on screen:\n${app.screen()}`);
}

describe('markdown in the chat', () => {
  for (const cols of [100, 60]) {
    it(`inline code with ':', headings, images and HTML at ${cols} columns`, async () => {
      r.server.enqueue({ kind: 'sse', body: sseForDeltas(REPLY, 7, MODEL) });
      const a = await r.start({ cols, rows: 60 });
      ask(a, 'show me');
      await a.waitFor('The end of the markdown reply.', 20_000);
      await idle(a);
      const screen = a.screen();
      // No marked-terminal placeholder, and the colons are there.
      expect(screen).not.toContain('COLON');
      expect(screen).toContain('npm:start');
      expect(screen).toContain('a:b:c');
      expect(screen).toContain('host:port');
      // Heading levels 2–6: no `#`, and five different looks.
      expect(screen).not.toMatch(/#+ Heading/);
      const looks = ['two', 'three', 'four', 'five', 'six'].map((n) => styleOf(a, `Heading ${n}`));
      expect(new Set(looks).size).toBe(5);
      // An image is named, with its address; never the markdown source.
      expect(screen).toContain('[image: a diagram] https://example.com/d.png');
      expect(screen).not.toContain('![');
      // HTML: tags rendered or gone, their text kept; the comment gone.
      expect(screen).not.toMatch(/<\/?(kbd|b|sup|br|details|summary)>/);
      expect(screen).not.toContain('hidden comment');
      expect(screen).toContain('Press Ctrl+C, bold words and x^2');
      expect(screen).toMatch(/\n\s*next line/);
      expect(styleOf(a, 'bold words')).toContain('btrue');
      expect(screen).toContain('▸ More info');
      expect(screen).toContain('Inside the details.');
    });
  }
});
