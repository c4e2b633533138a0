import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { MarkdownStream } from '../../src/markdown/blocks.js';
import { clearRenderCache, heldBlocks, renderHeldBlocks, renderMarkdown, renderStream } from '../../src/markdown/render.js';
import { plainTheme } from '../../src/theme.js';
import { fixtureTextBlocks, type FixtureTextBlock } from './fixture-text.js';
import { prefixChunks, randomChunks, replay, seededRandom } from './stream-helpers.js';

const WIDTH = 80;

/** The recorded replies with markdown: 02, 03, 08, 09 and every text block of 15. */
const REPLIES: { name: string; block: FixtureTextBlock; prefixStep: number }[] = [
  ...['02', '03', '08', '09'].map((id) => ({
    name: `fixture ${id}`,
    block: fixtureTextBlocks(id)[0] as FixtureTextBlock,
    prefixStep: id === '03' ? 7 : 1,
  })),
  ...fixtureTextBlocks('15').map((block) => ({
    name: `fixture 15 text block #${block.index}`,
    block,
    prefixStep: 1,
  })),
];

// Rendered in colour (the default theme): styled output is compared too.

/** Replay chunks, rendering after every update; the final render must equal the whole render. */
function replayRendered(chunks: readonly string[], width = WIDTH): void {
  const whole = chunks.join('');
  const stream = replay(chunks, (s) => {
    renderStream(s, width);
  });
  expect(renderStream(stream, width)).toEqual(renderMarkdown(whole, width));
}

describe('streamed rendering of recorded replies equals rendering the whole reply', () => {
  it('the fixtures hold the replies the tests expect', () => {
    expect(REPLIES.map((r) => r.name)).toHaveLength(4 + 10);
    expect((REPLIES[1] as (typeof REPLIES)[number]).block.deltas.length).toBe(739);
    for (const reply of REPLIES) expect(reply.block.text.length).toBeGreaterThan(0);
  });

  for (const { name, block, prefixStep } of REPLIES) {
    describe(name, () => {
      it('fed the recorded deltas one by one', () => {
        replayRendered(block.deltas);
      });

      it(prefixStep === 1 ? 'fed every prefix, char by char' : `fed every ${prefixStep}th prefix`, () => {
        replayRendered(prefixChunks(block.text, prefixStep));
      });

      it('fed 20 seeded random chunkings', () => {
        for (let seed = 1; seed <= 20; seed++) {
          replayRendered(randomChunks(block.text, seededRandom(seed * 7919)), seed % 2 === 0 ? 40 : 80);
        }
      });
    });
  }
});

describe('renderStream while streaming', () => {
  it('shows the held-back partial line as plain text, not yet markdown-rendered', () => {
    const { block } = REPLIES[0] as (typeof REPLIES)[number];
    const upTo = block.text.indexOf('**brown') + '**bro'.length;
    const stream = new MarkdownStream();
    stream.update(block.text.slice(0, upTo));
    const lines = renderStream(stream, 200, { partialLine: 'show' });
    expect(lines).toEqual([stream.partialLine]);
    expect(lines[0]).toContain('**bro');
    // By default a partial line is held back until its newline arrives.
    expect(renderStream(stream, 200)).toEqual([]);
  });

  it('puts a blank line before the partial line when the live block ends with one', () => {
    const stream = new MarkdownStream();
    stream.update('First paragraph.\n\nSecond');
    expect(renderStream(stream, 80, { partialLine: 'show' })).toEqual(['First paragraph.', '', 'Second']);
    expect(renderStream(stream, 80)).toEqual(['First paragraph.']);
    const glued = new MarkdownStream();
    glued.update('First paragraph.\nstill first');
    expect(renderStream(glued, 80, { partialLine: 'show' })).toEqual(['First paragraph.', 'still first']);
  });
});

describe('a table while it streams', () => {
  it('is held as one line counting its rows, and drawn once it is complete', () => {
    const text = 'Sorts:\n\n| name | cost |\n|---|---|\n| quick | n log n |\n| bubble | n² |\n\nDone.\n';
    const stream = new MarkdownStream();
    const at = (upTo: string) => {
      stream.update(text.slice(0, text.indexOf(upTo) + upTo.length));
      return renderStream(stream, 60, { theme: plainTheme });
    };
    expect(at('|---|---|\n')).toEqual(['Sorts:', '', '┄ table, 0 rows so far']);
    expect(at('| quick | n log n |\n')).toEqual(['Sorts:', '', '┄ table, 1 row so far']);
    expect(at('| bubble | n² |\n')).toEqual(['Sorts:', '', '┄ table, 2 rows so far']);
    // A line after the table completes it: drawn whole, exactly as in the finished reply.
    const done = at('Done.\n');
    expect(done.join('\n')).not.toContain('so far');
    expect(done.some((l) => l.includes('bubble'))).toBe(true);
    stream.update(text, true);
    expect(renderStream(stream, 60, { theme: plainTheme })).toEqual(renderMarkdown(text, 60, plainTheme));
  });
});

describe('long code blocks', () => {
  const body = Array.from({ length: 200 }, (_, i) =>
    i % 25 === 24 ? '' : `    total_${i} = compute(${i}, "label ${i}")  # step ${i}`,
  ).join('\n');
  const reply = `Here it is:\n\n\`\`\`python\ndef main():\n${body}\n\`\`\`\n\nThat is all.\n`;

  it('stream to the same lines as rendering the whole reply', () => {
    for (let seed = 1; seed <= 5; seed++) replayRendered(randomChunks(reply, seededRandom(seed), 30));
  });

  it('re-highlight only their last segment while streaming (linear, not quadratic, work)', () => {
    clearRenderCache();
    // The same highlight.js core instance src/markdown/highlight.ts loads (require cache).
    const hljs = createRequire(import.meta.url)('highlight.js/lib/core') as {
      highlight: (code: string, options: unknown) => { value: string };
    };
    let highlightedLines = 0;
    const original = hljs.highlight.bind(hljs);
    const spy = vi.spyOn(hljs, 'highlight').mockImplementation((code, options) => {
      highlightedLines += code.split('\n').length;
      return original(code, options);
    });
    try {
      const stream = new MarkdownStream();
      let soFar = '';
      for (const line of reply.split(/(?<=\n)/)) {
        soFar += line;
        stream.update(soFar);
        renderStream(stream, 80);
      }
      stream.update(soFar, true);
      renderStream(stream, 80);
      expect(spy).toHaveBeenCalled();
      // 200 lines streamed one by one: re-highlighting everything each time would be ~20 000.
      expect(highlightedLines).toBeLessThan(200 * 45);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a frame that brings more than the window shows (tailRows)', () => {
  const doc = Array.from(
    { length: 40 },
    (_, i) => `## Part ${i}\n\nParagraph ${i} with **bold** and \`code\`.\n\n\`\`\`js\nconst x${i} = ${i};\n\`\`\`\n`,
  ).join('\n');

  it('renders the newest blocks until they fill the rows, holds the older ones, and renders them once asked', () => {
    const stream = new MarkdownStream();
    stream.update(doc.slice(0, doc.indexOf('## Part 39')));
    const full = renderMarkdown(doc.slice(0, doc.indexOf('## Part 39')), 60);
    const tail = renderStream(stream, 60, { tailRows: 10 });
    // The window's rows are exactly the whole render's last rows; the held blocks take none.
    expect(tail.slice(-10)).toEqual(full.slice(-10));
    expect(tail.length).toBeLessThan(full.length / 2);
    expect(heldBlocks(stream)).toBeGreaterThan(50);
    // Idle time: a small budget renders some (at least one block), oldest first.
    const before = heldBlocks(stream);
    expect(renderHeldBlocks(stream, 0)).toBe(before - 1);
    expect(renderHeldBlocks(stream)).toBe(0);
    expect(renderStream(stream, 60, { tailRows: 10 })).toEqual(full);
  });

  it('a frame that fits holds nothing, and a full render renders whatever was held', () => {
    const stream = new MarkdownStream();
    stream.update('One.\n\nTwo.\n\n');
    renderStream(stream, 60, { tailRows: 10 });
    expect(heldBlocks(stream)).toBe(0);
    stream.update(`One.\n\nTwo.\n\n${doc}`);
    renderStream(stream, 60, { tailRows: 10 });
    expect(heldBlocks(stream)).toBeGreaterThan(0);
    stream.update(`One.\n\nTwo.\n\n${doc}`, true);
    expect(renderStream(stream, 60)).toEqual(renderMarkdown(`One.\n\nTwo.\n\n${doc}`, 60));
    expect(heldBlocks(stream)).toBe(0);
  });

  it('every frame of a fast stream shows the same last rows as a full render of the same text', () => {
    const stream = new MarkdownStream();
    for (let n = 0; n <= doc.length; n += 173) {
      stream.update(doc.slice(0, n));
      const reference = new MarkdownStream();
      reference.update(doc.slice(0, n));
      const want = renderStream(reference, 50);
      const got = renderStream(stream, 50, { tailRows: 8 });
      expect(got.slice(-8), `after ${n} characters`).toEqual(want.slice(-8));
    }
  });
});
