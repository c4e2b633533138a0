import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { rowUpdate, TranscriptPainter } from '../../src/ui/painter.js';

/** A headless terminal the painter writes into, read back as text. */
function terminal(cols = 40, rows = 10) {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const pending: Promise<void>[] = [];
  const target = { write: (s: string) => pending.push(new Promise<void>((r) => term.write(s, r))) };
  const screen = async () => {
    await Promise.all(pending);
    const b = term.buffer.active;
    return Array.from({ length: rows }, (_, i) => b.getLine(i)?.translateToString(true) ?? '');
  };
  return { term, target, screen };
}

const transcript = Array.from({ length: 60 }, (_, i) => `line ${i} \x1b[1mbold\x1b[22m and more text ${i}`);
const plain = (s: string) => s.replace(/\x1b\[[\d;]*m/g, '');

describe('the transcript painter', () => {
  it('what it paints is what the rows say, through scrolling, growing lines and shrinking', async () => {
    const { target, screen } = terminal(40, 10);
    const p = new TranscriptPainter(target);
    const h = 6;
    for (let top = 0; top < 30; top++) {
      const rows = transcript.slice(top, top + h);
      rows[h - 1] = `${rows[h - 1]} grow${'x'.repeat(top % 5)}`;
      p.setRows(rows, top, h, 40);
      const shown = await screen();
      expect(shown.slice(0, h)).toEqual(rows.map((r) => plain(r).slice(0, 40)));
      // Rows below the area (Ink's chrome) are never touched.
      expect(shown.slice(h)).toEqual(['', '', '', '']);
    }
    expect(p.stats.scrolls).toBeGreaterThan(20);
  });

  it('rows below the scrolling part (menu, status bar) stay put while the transcript scrolls', async () => {
    const { target, screen } = terminal(40, 10);
    const p = new TranscriptPainter(target);
    for (let top = 0; top < 12; top++) {
      const rows = [...transcript.slice(top, top + 5), `status ${top}`];
      p.setRows(rows, top, 5, 40);
      expect((await screen()).slice(0, 6)).toEqual(rows.map((r) => plain(r).slice(0, 40)));
    }
  });

  it('scrolls instead of rewriting: following a growing transcript writes about one row per new line', () => {
    const writes: string[] = [];
    const p = new TranscriptPainter({ write: (s) => writes.push(s) });
    p.setRows(transcript.slice(0, 20), 0, 20, 80);
    const first = writes.join('').length;
    writes.length = 0;
    for (let top = 1; top <= 20; top++) p.setRows(transcript.slice(top, top + 20), top, 20, 80);
    const perLine = writes.join('').length / 20;
    // A full repaint of 20 rows is ~first; a scrolled frame is one row plus the region commands.
    expect(perLine).toBeLessThan(first / 8);
    expect(p.stats.rowsWritten).toBe(20 + 20);
  });

  it('a row that grew gets only its new tail, with its colours replayed', () => {
    const prev = '\x1b[1mhello\x1b[22m world, this line';
    const next = '\x1b[1mhello\x1b[22m world, this line grows';
    const u = rowUpdate(prev, next, 3, 80);
    expect(u).toBe('\x1b[3;23H\x1b[1m\x1b[22m grows\x1b[0m');
    expect(rowUpdate('short', 'other text', 1, 80)).toBe('\x1b[1;1H\x1b[2Kother text\x1b[0m');
  });

  it('repaints fully after Ink wrote something that may have erased the area', async () => {
    const { target, screen } = terminal(40, 10);
    const p = new TranscriptPainter(target);
    const rows = transcript.slice(0, 5);
    p.setRows(rows, 0, 5, 40);
    p.afterInkWrite('first frame');
    target.write('\x1b[1;1H\x1b[2K\x1b[2;1H\x1b[2K'); // an Ink full redraw wipes two rows
    p.afterInkWrite('\x1b[2K');
    expect((await screen()).slice(0, 5)).toEqual(rows.map((r) => plain(r)));
  });
});

describe('row updates with wide and combined characters', () => {
  it('the column after a wide prefix counts cells, and a grapheme is never split', async () => {
    const { target, screen } = terminal(40, 3);
    const prev = '日本語 is wide: 👍 ok';
    const next = '日本語 is wide: 👍🏽 ok and more';
    target.write(rowUpdate('', prev, 1, 40));
    target.write(rowUpdate(prev, next, 1, 40));
    expect((await screen())[0]).toBe(next);
    const u = rowUpdate(prev, next, 1, 40);
    expect(u.startsWith('\x1b[1;')).toBe(true);
    expect(u).toContain('👍🏽');
  });
});
