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

  it('a row that grew gets only its new tail, after just the colours still on at the cut', () => {
    const prev = '\x1b[1mhello\x1b[22m world, this line';
    const next = '\x1b[1mhello\x1b[22m world, this line grows';
    // Bold was opened and closed before the cut: nothing to replay, nothing to reset.
    expect(rowUpdate(prev, next, 3, 80)).toBe('\x1b[3;23H grows');
    // Still inside dim cyan at the cut: exactly those two are turned on again, and reset after.
    const open = '\x1b[2m\x1b[22m\x1b[36mstatus bar segment \x1b[2m1';
    expect(rowUpdate(`${open}0\x1b[22m\x1b[39m`, `${open}5\x1b[22m\x1b[39m`, 2, 80)).toBe('\x1b[2;21H\x1b[36m\x1b[2m5\x1b[22m\x1b[39m');
    expect(rowUpdate('short', 'other text', 1, 80)).toBe('\x1b[1;1H\x1b[2Kother text');
    // Only where a style closes differs: the screen already shows it.
    expect(rowUpdate('\x1b[33m    code line here\x1b[39m', '\x1b[33m    code line here', 1, 80)).toBe('');
    expect(rowUpdate('\x1b[33m    code line here, longer\x1b[39m', '\x1b[33m    code line here', 1, 80)).toBe('\x1b[1;19H\x1b[K');
    expect(rowUpdate('short', '\x1b[1munclosed', 1, 80)).toBe('\x1b[1;1H\x1b[2K\x1b[1munclosed\x1b[0m');
  });

  it('a blank row is not erased first, and its leading spaces are skipped', () => {
    expect(rowUpdate('', '    code line', 5, 80)).toBe('\x1b[5;5Hcode line');
    expect(rowUpdate('', '   ', 5, 80)).toBe('');
    expect(rowUpdate('old text here', '    new text', 5, 80)).toBe('\x1b[5;5H\x1b[2Knew text');
  });

  it('the screen has the same characters and attributes as writing every row whole', async () => {
    const styles = ['\x1b[1m', '\x1b[2m', '\x1b[3m', '\x1b[36m', '\x1b[38;5;208m', '\x1b[7m'];
    const ends = ['\x1b[22m', '\x1b[22m', '\x1b[23m', '\x1b[39m', '\x1b[39m', '\x1b[27m'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = () => ['alpha', 'beta', 'γάμμα', '日本', 'delta', '  ', 'x'][rand(7)]!;
    const row = () => {
      let r = ' '.repeat(rand(3) * 2);
      for (let w = rand(6); w >= 0; w--) {
        const k = rand(8);
        r += k < styles.length ? `${styles[k]}${word()}${rand(3) === 0 ? '' : ends[k]} ` : `${word()} `;
      }
      return r;
    };
    const a = terminal(40, 8);
    const b = terminal(40, 8);
    const painter = new TranscriptPainter(a.target);
    let rows = Array.from({ length: 6 }, row);
    for (let step = 0; step < 60; step++) {
      const top = step;
      // Scroll by one, grow the last row, or rewrite a random row.
      const kind = rand(3);
      if (kind === 0) rows = [...rows.slice(1), row()];
      else if (kind === 1) rows[5] = `${rows[5]}${word()}`;
      else rows[rand(6)] = row();
      painter.setRows(rows, kind === 0 ? top : top - 1, 6, 40);
      b.target.write(`\x1b[H\x1b[2J${rows.map((r) => `${r}\x1b[0m`).join('\r\n')}`);
      const [sa, sb] = [await a.screen(), await b.screen()];
      expect(sa.slice(0, 6)).toEqual(sb.slice(0, 6));
      for (let y = 0; y < 6; y++) {
        const la = a.term.buffer.active.getLine(y)!;
        const lb = b.term.buffer.active.getLine(y)!;
        for (let x = 0; x < 40; x++) {
          const ca = la.getCell(x)!;
          const cb = lb.getCell(x)!;
          // A blank cell and a space with no attributes look the same.
          const attrs = (c: typeof ca) => [c.getChars() || ' ', c.isBold(), c.isDim(), c.isItalic(), c.isInverse(), c.getFgColor(), c.getFgColorMode()];
          expect(attrs(ca), `row ${y} col ${x} at step ${step}`).toEqual(attrs(cb));
        }
      }
    }
  });

  it('does not scroll when `top` moved but the rows did not (text laid out above the window)', async () => {
    const writes: string[] = [];
    const { target, screen } = terminal(40, 10);
    const p = new TranscriptPainter({ write: (s) => (writes.push(s), target.write(s)) });
    const rows = transcript.slice(10, 16);
    p.setRows(rows, 10, 6, 40);
    writes.length = 0;
    // Held blocks rendered late add 3 rows above: the same rows now start 3 rows further down.
    p.setRows(rows, 13, 6, 40);
    expect(writes).toEqual([]);
    expect(p.stats.scrolls).toBe(0);
    // A real scroll after that still scrolls.
    p.setRows(transcript.slice(11, 17), 14, 6, 40);
    expect(p.stats.scrolls).toBe(1);
    expect((await screen()).slice(0, 6)).toEqual(transcript.slice(11, 17).map(plain));
    // Rows laid out above (+5) and one new line (+1) in the same frame: a scroll by one row,
    // which writes that one row only.
    const rowsBefore = p.stats.rowsWritten;
    p.setRows(transcript.slice(12, 18), 20, 6, 40);
    expect(p.stats.scrolls).toBe(2);
    expect(p.stats.rowsWritten - rowsBefore).toBe(1);
    expect((await screen()).slice(0, 6)).toEqual(transcript.slice(12, 18).map(plain));
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
