import { describe, expect, it } from 'vitest';
import type { AssistantMessage, ContentBlock } from '../../src/domain/types.js';
import { renderMarkdown } from '../../src/markdown/render.js';
import { darkTheme, monochromeTheme, plainTheme } from '../../src/theme.js';
import { CURSOR_MARK, TranscriptLayout } from '../../src/transcript/layout.js';
import { stripSgr } from '../../src/text/sgr.js';

const OPTS = { width: 60, expandThinking: false, theme: darkTheme };
const plain = stripSgr;

function reply(text: string, status: AssistantMessage['status'] = 'streaming', extra: Partial<AssistantMessage> = {}): AssistantMessage {
  const content: ContentBlock[] = [{ type: 'text', text, citations: [] }];
  return {
    role: 'assistant',
    id: 'a1',
    model: 'claude-sonnet-5-5',
    content,
    stop_reason: status === 'complete' ? 'end_turn' : null,
    stop_sequence: null,
    stop_details: null,
    usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    usageFinal: status === 'complete',
    status,
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: 0,
    firstTokenAt: 1,
    endedAt: status === 'streaming' ? null : 2,
    ...extra,
  };
}

describe('laying out a streaming reply', () => {
  it('reuses the lines while deltas complete no line, and lays out again when one does', () => {
    const layout = new TranscriptLayout();
    const first = layout.linesFor(reply('First line.\nSecond li'), OPTS);
    // More of the held-back partial line: nothing on screen changes, the same array comes back.
    expect(layout.linesFor(reply('First line.\nSecond line is lo'), OPTS)).toBe(first);
    const grown = layout.linesFor(reply('First line.\nSecond line is long.\nThi'), OPTS);
    expect(grown).not.toBe(first);
    expect(grown.map(plain).join('\n')).toContain('Second line is long.');
  });

  it('every reuse shows what a fresh layout of the same message shows', () => {
    const text = '# Title\n\nSome **bold** words.\n\n- one\n- two\n\n```js\nconst x = 1;\n```\n\nThe end.';
    const layout = new TranscriptLayout();
    for (let n = 1; n <= text.length; n++) {
      const m = reply(text.slice(0, n));
      expect(layout.linesFor(m, OPTS), `after ${n} characters`).toEqual(new TranscriptLayout().linesFor(m, OPTS));
    }
    // The end: no cursor mark, exactly the whole text rendered.
    const done = layout.linesFor(reply(text, 'complete'), OPTS);
    expect(done.join('\n')).not.toContain(CURSOR_MARK);
    expect(done.map((l) => plain(l).slice(2))).toEqual(renderMarkdown(text, OPTS.width - 2).map(plain));
  });

  it('no line is ever wider than the width, the streaming mark included', () => {
    for (const width of [6, 10, 12, 40]) {
      const layout = new TranscriptLayout();
      const text = '# Heading\n\nwords that fill a line exactly\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
      for (let n = 1; n <= text.length; n++) {
        for (const line of layout.linesFor(reply(text.slice(0, n)), { ...OPTS, width })) {
          expect(plain(line).length, `width ${width}, ${n} characters: ${JSON.stringify(plain(line))}`).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it('a stop shown under the reply is laid out again when only the stop changes', () => {
    const layout = new TranscriptLayout();
    const a = layout.linesFor(reply('Done.\n', 'complete'), OPTS);
    const b = layout.linesFor(reply('Done.\n', 'complete', { stop_reason: 'max_tokens' }), OPTS);
    expect(b).not.toBe(a);
    expect(b.map(plain).join('\n')).toContain('max_tokens');
  });
});

describe('following the tail of a fast reply', () => {
  const text = Array.from({ length: 30 }, (_, i) => `## Step ${i}\n\nDo thing ${i} **now**.\n`).join('\n');

  it('lays out the last rows as a full layout does, holds the rest, and catches up in idle time', () => {
    const layout = new TranscriptLayout();
    const full = new TranscriptLayout().linesFor(reply(text), OPTS);
    layout.followTail(12);
    const tail = layout.linesFor(reply(text), OPTS);
    expect(tail.slice(-12)).toEqual(full.slice(-12));
    expect(tail.length).toBeLessThan(full.length / 2);
    expect(layout.holds).toBe(true);
    // The same message again: nothing new, the held lines come back while following.
    const m = reply(text);
    expect(layout.linesFor(m, OPTS)).toEqual(tail);
    // Idle time renders the held blocks; the same message object is then laid out in full.
    while (layout.catchUp(0) > 0);
    expect(layout.holds).toBe(false);
    expect(layout.linesFor(m, OPTS)).toEqual(full);
  });

  it('a window that grows gets the rows it now shows, not the gap where blocks were held', () => {
    const layout = new TranscriptLayout();
    const m = reply(text);
    const full = new TranscriptLayout().linesFor(m, OPTS);
    layout.followTail(12);
    layout.linesFor(m, OPTS);
    layout.followTail(30);
    expect(layout.linesFor(m, OPTS).slice(-30)).toEqual(full.slice(-30));
    expect(layout.linesFor(reply(text), OPTS).slice(-30)).toEqual(full.slice(-30));
  });

  it('the reply’s first line, with its mark, never stands in the window for a middle line', () => {
    const done = reply('A.\n\nB.\n\nC.\n\nD.\n', 'complete');
    const full = new TranscriptLayout().linesFor(done, OPTS);
    for (const rows of [1, 2, 3, 4, 5, 6]) {
      const layout = new TranscriptLayout();
      layout.followTail(rows);
      expect(layout.linesFor(done, OPTS).slice(-rows), `window of ${rows}`).toEqual(full.slice(-rows));
    }
  });

  it('scrolled up (no tail given), the held blocks are rendered at once, even for the same message object', () => {
    const layout = new TranscriptLayout();
    const m = reply(text);
    const full = new TranscriptLayout().linesFor(m, OPTS);
    layout.followTail(12);
    expect(layout.linesFor(m, OPTS).length).toBeLessThan(full.length);
    layout.followTail(undefined);
    expect(layout.linesFor(m, OPTS)).toEqual(full);
    expect(layout.holds).toBe(false);
  });
});

describe('the theme is passed down', () => {
  it('lays out the same reply in colour, weight only, or plain, each by the theme it is given', () => {
    const text = '# Title\n\nSome **bold** words and `code`.\n\n```js\nconst x = 1;\n```';
    const layout = new TranscriptLayout();
    const m = reply(text, 'complete');
    const colour = layout.linesFor(m, OPTS);
    const mono = layout.linesFor(m, { ...OPTS, theme: monochromeTheme });
    const bare = layout.linesFor(m, { ...OPTS, theme: plainTheme });
    expect(colour.slice(1, 3).map((l) => l.slice(2))).toEqual(renderMarkdown(text, OPTS.width - 2, darkTheme).slice(1, 3));
    expect(colour.join('\n')).toContain('\x1b[34mconst');
    expect(mono.join('\n')).toContain('\x1b[1mbold');
    expect(mono.join('\n')).not.toMatch(/\x1b\[[0-9;]*(3[0-9]|9[0-7])m/);
    expect(bare.join('\n')).not.toContain('\x1b');
    expect(bare).toEqual(colour.map(plain));
    expect(layout.linesFor(m, OPTS)).toEqual(colour);
  });
});
