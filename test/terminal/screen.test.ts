import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { controlSequencesOnly, InkSink } from '../../src/terminal/ink-sink.js';
import { rowStart, rowUpdate } from '../../src/terminal/screen.js';
import { Screen } from '../../src/terminal/screen.js';

/**
 * A Screen over `target` whose Ink frame is one prompt row, so the region is every row above it;
 * `setRows` paints the region and flushes at once (the app flushes once per microtask).
 */
function regionPainter(target: { write(s: string): unknown }, cols: number, rows: number) {
  const screen = new Screen(target, { columns: cols, rows });
  screen.start({ mouse: false });
  screen.setInkFrame('› prompt');
  screen.flush();
  return {
    screen,
    stats: screen.stats,
    setRows(region: readonly string[], top: number, scrollRows: number) {
      const pad = [...region, ...new Array<string>(Math.max(0, rows - 1 - region.length)).fill('')];
      screen.setRegion(pad, top, scrollRows);
      screen.flush();
    },
  };
}

/** A headless terminal the painter writes into, read back as text. */
function terminal(cols = 40, rows = 10, unicode11 = false) {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  if (unicode11) {
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
  }
  const pending: Promise<void>[] = [];
  const target = { write: (s: string) => pending.push(new Promise<void>((r) => term.write(s, r))) };
  const screen = async () => {
    await Promise.all(pending);
    const b = term.buffer.active;
    return Array.from({ length: term.rows }, (_, i) => b.getLine(i)?.translateToString(true) ?? '');
  };
  return { term, target, screen };
}

const transcript = Array.from({ length: 60 }, (_, i) => `line ${i} \x1b[1mbold\x1b[22m and more text ${i}`);
const plain = (s: string) => s.replace(/\x1b\[[\d;]*m/g, '');

describe("the Screen: the region above Ink's frame", () => {
  it('what it paints is what the rows say, through scrolling, growing lines and shrinking', async () => {
    const { target, screen } = terminal(40, 10);
    const p = regionPainter(target, 40, 10);
    const h = 6;
    for (let top = 0; top < 30; top++) {
      const rows = transcript.slice(top, top + h);
      rows[h - 1] = `${rows[h - 1]} grow${'x'.repeat(top % 5)}`;
      p.setRows(rows, top, h);
      const shown = await screen();
      expect(shown.slice(0, h)).toEqual(rows.map((r) => plain(r).slice(0, 40)));
      // Ink's frame stays on the last row.
      expect(shown.slice(h)).toEqual(['', '', '', '› prompt']);
    }
    expect(p.stats.scrolls).toBeGreaterThan(20);
  });

  it('rows below the scrolling part (menu, status bar) stay put while the transcript scrolls', async () => {
    const { target, screen } = terminal(40, 10);
    const p = regionPainter(target, 40, 10);
    for (let top = 0; top < 12; top++) {
      const rows = [...transcript.slice(top, top + 5), `status ${top}`];
      p.setRows(rows, top, 5);
      expect((await screen()).slice(0, 6)).toEqual(rows.map((r) => plain(r).slice(0, 40)));
    }
  });

  it('scrolls instead of rewriting: following a growing transcript writes about one row per new line', () => {
    const writes: string[] = [];
    const p = regionPainter({ write: (s) => writes.push(s) }, 80, 21);
    p.setRows(transcript.slice(0, 20), 0, 20);
    const first = writes.join('').length;
    writes.length = 0;
    const before = p.stats.rowsWritten;
    for (let top = 1; top <= 20; top++) p.setRows(transcript.slice(top, top + 20), top, 20);
    const perLine = writes.join('').length / 20;
    // A full repaint of 20 rows is ~first; a scrolled frame is one row plus the region commands.
    expect(perLine).toBeLessThan(first / 8);
    expect(p.stats.rowsWritten - before).toBe(20);
  });

  it('a row that grew gets only its new tail, after just the colours still on at the cut', () => {
    const prev = '\x1b[1mhello\x1b[22m world, this line';
    const next = '\x1b[1mhello\x1b[22m world, this line grows';
    // Bold was opened and closed before the cut: nothing to replay, nothing to reset.
    expect(rowUpdate(prev, next, 3, 80)).toBe('\x1b[3;23H grows');
    // Still inside dim cyan at the cut: exactly those two are turned on again, and reset after.
    const open = '\x1b[2m\x1b[22m\x1b[36mstatus bar segment \x1b[2m1';
    expect(rowUpdate(`${open}0\x1b[22m\x1b[39m`, `${open}5\x1b[22m\x1b[39m`, 2, 80)).toBe('\x1b[2;21H\x1b[36m\x1b[2m5\x1b[22m\x1b[39m');
    expect(rowUpdate('short', 'other text', 1, 80)).toBe('\x1b[1H\x1b[2Kother text');
    // Only where a style closes differs: the screen already shows it.
    expect(rowUpdate('\x1b[33m    code line here\x1b[39m', '\x1b[33m    code line here', 1, 80)).toBe('');
    expect(rowUpdate('\x1b[33m    code line here, longer\x1b[39m', '\x1b[33m    code line here', 1, 80)).toBe('\x1b[1;19H\x1b[K');
    expect(rowUpdate('short', '\x1b[1munclosed', 1, 80)).toBe('\x1b[1H\x1b[2K\x1b[1munclosed\x1b[0m');
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
    const painter = regionPainter(a.target, 40, 8);
    let rows = Array.from({ length: 6 }, row);
    for (let step = 0; step < 60; step++) {
      const top = step;
      // Scroll by one, grow the last row, or rewrite a random row.
      const kind = rand(3);
      if (kind === 0) rows = [...rows.slice(1), row()];
      else if (kind === 1) rows[5] = `${rows[5]}${word()}`;
      else rows[rand(6)] = row();
      painter.setRows(rows, kind === 0 ? top : top - 1, 6);
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
          const attrs = (c: typeof ca) => [
            c.getChars() || ' ',
            c.isBold(),
            c.isDim(),
            c.isItalic(),
            c.isInverse(),
            c.getFgColor(),
            c.getFgColorMode(),
          ];
          expect(attrs(ca), `row ${y} col ${x} at step ${step}`).toEqual(attrs(cb));
        }
      }
    }
  });

  it('sets the scroll region once for a run of scrolls, and gives the whole screen back on a repaint, a suspend and at the end', async () => {
    const writes: string[] = [];
    const { target, screen } = terminal(40, 10);
    const p = regionPainter({ write: (w) => (writes.push(w), target.write(w)) }, 40, 10);
    for (let top = 0; top < 15; top++) p.setRows(transcript.slice(top, top + 6), top, 6);
    const all = writes.join('');
    expect(p.stats.scrolls).toBe(14);
    expect(all.split('\x1b[1;6r').length - 1).toBe(1);
    // What the terminal shows is still exactly the rows.
    expect((await screen()).slice(0, 6)).toEqual(transcript.slice(14, 20).map(plain));
    writes.length = 0;
    p.screen.suspend();
    expect(writes.join('')).toMatch(/^\x1b\[r/);
    p.screen.resume();
    p.setRows(transcript.slice(15, 21), 15, 6);
    p.setRows(transcript.slice(16, 22), 16, 6);
    writes.length = 0;
    p.screen.stop();
    expect(writes.join('')).toMatch(/^\x1b\[r/);
  });

  it('does not scroll when `top` moved but the rows did not (text laid out above the window)', async () => {
    const writes: string[] = [];
    const { target, screen } = terminal(40, 10);
    const p = regionPainter({ write: (s) => (writes.push(s), target.write(s)) }, 40, 10);
    const rows = transcript.slice(10, 16);
    p.setRows(rows, 10, 6);
    writes.length = 0;
    // Held blocks rendered late add 3 rows above: the same rows now start 3 rows further down.
    p.setRows(rows, 13, 6);
    expect(writes).toEqual([]);
    expect(p.stats.scrolls).toBe(0);
    // A real scroll after that still scrolls.
    p.setRows(transcript.slice(11, 17), 14, 6);
    expect(p.stats.scrolls).toBe(1);
    expect((await screen()).slice(0, 6)).toEqual(transcript.slice(11, 17).map(plain));
    // Rows laid out above (+5) and one new line (+1) in the same frame: a scroll by one row,
    // which writes that one row only.
    const rowsBefore = p.stats.rowsWritten;
    p.setRows(transcript.slice(12, 18), 20, 6);
    expect(p.stats.scrolls).toBe(2);
    expect(p.stats.rowsWritten - rowsBefore).toBe(1);
    expect((await screen()).slice(0, 6)).toEqual(transcript.slice(12, 18).map(plain));
  });
});

describe('row updates with wide and combined characters', () => {
  it('a prefix with an emoji or CJK is rewritten from the first column, so the terminal places the text itself', async () => {
    const { target, screen } = terminal(40, 3);
    const prev = '日本語 is wide: 👍 ok';
    const next = '日本語 is wide: 👍🏽 ok and more';
    target.write(rowUpdate('', prev, 1, 40));
    const u = rowUpdate(prev, next, 1, 40);
    target.write(u);
    expect((await screen())[0]).toBe(next);
    expect(u).toBe(`\x1b[1H\x1b[2K${next}`);
    // A prefix terminals agree on is still skipped, bullets and box drawing included.
    expect(rowUpdate('plain ascii prefix x', 'plain ascii prefix 👍🏽', 2, 40)).toBe('\x1b[2;20H👍🏽');
    expect(rowUpdate('● › │ a reply that grows', '● › │ a reply that grows more', 2, 40)).toBe('\x1b[2;25H more');
    // Symbols drawn as text by default are one cell everywhere: the status bar's ⚠ keeps the tail update.
    expect(rowUpdate('⚠ stopped at max_tokens · warm 4:12', '⚠ stopped at max_tokens · warm 4:11', 1, 60)).toBe('\x1b[1;35H1');
    // The same symbol asked to draw as emoji (U+FE0F) is not: the row is written whole.
    expect(rowUpdate('⚠\ufe0f stopped at max_tokens · warm 4:12', '⚠\ufe0f stopped at max_tokens · warm 4:11', 1, 60)).toMatch(
      /^\x1b\[1H\x1b\[2K/,
    );
    // A grapheme is never split: the accent stays with its letter.
    expect(rowUpdate('a plain line ending in e', 'a plain line ending in e\u0301!', 2, 40)).toBe('\x1b[2;24He\u0301!');
  });

  it('under a terminal that draws 👍🏽 4 cells wide, an edit after it shows the text as written (it did not: abXef for abcdXef)', async () => {
    const { target, screen } = terminal(40, 3, true);
    const prev = '› 👍🏽abcdef';
    const next = '› 👍🏽abcdXef';
    target.write(rowUpdate('', prev, 1, 40));
    target.write(rowUpdate(prev, next, 1, 40));
    expect((await screen())[0]).toBe(next);
  });

  it('rowStart cuts a styled row at a column, keeping its escapes, and says whether terminals agree on its width', () => {
    expect(rowStart('\x1b[1m› \x1b[22mhello', 4)).toEqual({ text: '\x1b[1m› \x1b[22mhe', stable: true });
    expect(rowStart('  hello world', 7)).toEqual({ text: '  hello', stable: true });
    expect(rowStart('a👍🏽b', 3)).toEqual({ text: 'a👍🏽', stable: false });
  });
});

describe("the Screen: composing Ink's frame and the region", () => {
  it("Ink's frame takes the bottom rows, the region the rest, and a taller frame pushes the region up, never over it", async () => {
    const { target, screen } = terminal(30, 8);
    const s = new Screen(target, { columns: 30, rows: 8 });
    s.start({ mouse: false });
    const region = (n: number) => [...Array.from({ length: n - 1 }, (_, i) => `transcript ${i}`), 'status bar'];
    s.setInkFrame('› one line');
    s.setRegion(region(7), 0, 6);
    s.flush();
    expect(await screen()).toEqual([...region(7), '› one line']);
    // The prompt grows to three rows: the region is laid out again with five rows.
    s.setInkFrame('› first\n  second\n  third');
    s.setRegion(region(5), 0, 4);
    s.flush();
    expect(await screen()).toEqual([...region(5), '› first', '  second', '  third']);
    // The frame grew before the region was laid out again: the rows nearest the frame stay.
    s.setInkFrame('› 1\n  2\n  3\n  4');
    s.flush();
    const shown = await screen();
    expect(shown.slice(4)).toEqual(['› 1', '  2', '  3', '  4']);
    expect(shown[3]).toBe('status bar');
  });

  it('an overlay is all Ink: the region is empty and the frame fills the screen', async () => {
    const { target, screen } = terminal(30, 4);
    const s = new Screen(target, { columns: 30, rows: 4 });
    s.start({ mouse: false });
    s.setInkFrame('› p');
    s.setRegion(['a', 'b', 'status'], 0, 2);
    s.flush();
    s.setRegion([], 0, 0);
    s.setInkFrame('Keys:\nEnter send\nstatus\n› p');
    s.flush();
    expect(await screen()).toEqual(['Keys:', 'Enter send', 'status', '› p']);
  });

  it('rows wider than the terminal are cut, never wrapped into the next row', async () => {
    const { target, screen } = terminal(20, 3);
    const s = new Screen(target, { columns: 20, rows: 3 });
    s.start({ mouse: false });
    s.setRegion(['x'.repeat(30), 'status'], 0, 1);
    s.setInkFrame(`› ${'y'.repeat(40)}`);
    s.flush();
    const shown = await screen();
    expect(shown[1]).toBe('status');
    expect(shown[2]!.startsWith('› yyy')).toBe(true);
    expect(shown[2]!.length).toBe(20);
  });

  it('a resize repaints everything at the new size, once the app has laid out again', async () => {
    const { term, target, screen } = terminal(40, 4);
    const s = new Screen(target, { columns: 40, rows: 4 });
    s.start({ mouse: false });
    s.setRegion(['one', 'two', 'status'], 0, 2);
    s.setInkFrame('› prompt');
    s.flush();
    term.resize(20, 5);
    s.resize({ columns: 20, rows: 5 });
    s.setRegion(['one', 'two', 'three', 'status'], 0, 3);
    s.flush(); // waits for the resize's repaint
    await new Promise((r) => setImmediate(r));
    expect(await screen()).toEqual(['one', 'two', 'three', 'status', '› prompt']);
    expect(s.stats.fullRepaints).toBe(2);
  });

  it('places the caret: by column on an ASCII row, by rewriting the text before it where the terminal may measure differently', async () => {
    const { term, target } = terminal(30, 3, true);
    const s = new Screen(target, { columns: 30, rows: 3 });
    s.start({ mouse: false });
    s.setRegion(['hello', 'status'], 0, 1);
    s.setInkFrame('› abc');
    s.setCaret({ column: 4, row: 0 });
    s.flush();
    await new Promise<void>((r) => term.write('', r));
    expect([term.buffer.active.cursorX, term.buffer.active.cursorY]).toEqual([4, 2]);
    // "› 👍🏽ab": inkwell measures the emoji as 2 cells, this terminal draws 4.
    s.setInkFrame('› 👍🏽ab');
    s.setCaret({ column: 6, row: 0 });
    s.flush();
    await new Promise<void>((r) => term.write('', r));
    expect([term.buffer.active.cursorX, term.buffer.active.cursorY]).toEqual([8, 2]);
    // No caret: the cursor is hidden.
    const writes: string[] = [];
    const s2 = new Screen({ write: (c) => writes.push(c) }, { columns: 30, rows: 3 });
    s2.start({ mouse: false });
    s2.setInkFrame('› x');
    s2.setCaret({ column: 3, row: 0 });
    s2.flush();
    s2.setCaret(null);
    s2.flush();
    expect(writes.at(-1)).toBe('\x1b[?25l');
  });

  it('takes the terminal and gives it back: modes Ink asked for are undone on stop', () => {
    const writes: string[] = [];
    const s = new Screen({ write: (c) => writes.push(c) }, { columns: 30, rows: 3 });
    s.start({ mouse: true });
    expect(writes[0]).toBe('\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1006h');
    s.request('\x1b[?2004h');
    s.request('\x1b[>1u');
    s.request('\x1b[?25h'); // the cursor is the Screen's: dropped
    expect(writes.slice(1)).toEqual(['\x1b[?2004h', '\x1b[>1u']);
    s.stop();
    expect(writes.at(-1)).toBe('\x1b[<u\x1b[?1006l\x1b[?1000l\x1b[?2004l\x1b[?1004l\x1b[?25h\x1b[?1049l');
    s.stop();
    expect(writes.filter((w) => w.includes('\x1b[?1049l'))).toHaveLength(1);
  });

  it('while suspended (an external editor has the terminal) nothing is painted; resuming repaints it whole', async () => {
    const writes: string[] = [];
    const s = new Screen({ write: (c) => writes.push(c) }, { columns: 30, rows: 3 });
    s.start({ mouse: false });
    s.setInkFrame('› x');
    s.flush();
    s.suspend();
    const at = writes.length;
    s.setRegion(['new', 'status'], 0, 1);
    s.flush();
    expect(writes.length).toBe(at + 0);
    s.resume();
    s.flush();
    expect(writes.slice(at).join('')).toContain('new');
    expect(writes.slice(at).join('')).toContain('\x1b[H\x1b[J');
  });
});

describe("the InkSink: Ink's output by contract", () => {
  it('a write of only escape sequences is a mode request; anything with text is a whole frame', () => {
    expect(controlSequencesOnly('\x1b[?2004h')).toEqual(['\x1b[?2004h']);
    expect(controlSequencesOnly('\x1b[?25h\x1b[2K\x1b[1A')).toEqual(['\x1b[?25h', '\x1b[2K', '\x1b[1A']);
    expect(controlSequencesOnly('\x1b[>1u')).toEqual(['\x1b[>1u']);
    expect(controlSequencesOnly('› prompt')).toBeNull();
    expect(controlSequencesOnly('\x1b[1m›\x1b[22m')).toBeNull();
    expect(controlSequencesOnly('\n')).toBeNull();
  });

  it('hands frames to the Screen, forwards the modes it owns, calls back empty writes, and follows resizes', async () => {
    const writes: string[] = [];
    const s = new Screen({ write: (c) => writes.push(c) }, { columns: 30, rows: 3 });
    s.start({ mouse: false });
    const sink = new InkSink(s);
    expect([sink.columns, sink.rows]).toEqual([30, 3]);
    sink.write('\x1b[?2004h');
    expect(s.bracketedPaste).toBe(true);
    sink.write('› typed');
    s.flush();
    expect(writes.join('')).toContain('› typed');
    let called = false;
    sink.write('', () => {
      called = true;
    });
    await Promise.resolve();
    expect(called).toBe(true);
    let resized = 0;
    sink.on('resize', () => resized++);
    s.resize({ columns: 50, rows: 10 });
    expect([sink.columns, sink.rows, resized]).toEqual([50, 10, 1]);
  });
});
