/**
 * One owner for the screen (issue 14): what a new user does in the first minute, read back from a
 * headless terminal at more than one width. Each of these failed when the transcript painter and
 * Ink both wrote the terminal: a taller prompt was covered by a second status bar, `?` showed
 * nothing and ate the keyboard, narrowing the window left a doubled prompt, and a line with 👍🏽
 * showed the wrong text under a terminal that draws it 4 cells wide (tmux).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fullReply, httpError, rig } from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty, type SpawnOptions } from '../helpers/pty.js';

const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

const READY = 'Ask Claude';
/** The status bar names the model; nothing else on screen does. */
const STATUS = /inkwell-demo/;

function demo(o: SpawnOptions = {}): AppInPty {
  const a = spawnApp({ ...o, args: ['--demo', ...(o.args ?? [])], env: { ANTHROPIC_API_KEY: undefined, ...o.env } });
  running.push(a);
  return a;
}

/** Lets the app settle: resolves once the screen has not changed for `quietMs`. */
async function settled(a: AppInPty, quietMs = 250): Promise<string> {
  let last = a.screen();
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 40));
    await a.waitFor(() => true);
    const now = a.screen();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return now;
  }
}

/** Index of the status bar's row; fails the test unless there is exactly one. */
function statusRow(lines: string[]): number {
  const rows = lines.flatMap((l, i) => (STATUS.test(l) ? [i] : []));
  expect(rows, `one status bar, screen:\n${lines.join('\n')}`).toHaveLength(1);
  return rows[0]!;
}

/** The prompt's text as shown: the rows under the status bar, marks dropped, joined. */
function promptText(lines: string[]): string {
  const s = statusRow(lines);
  return lines
    .slice(s + 1)
    .map((l) => l.replace(/^(› |↑ |↓ | {2})/, ''))
    .join('\n');
}

/** Waits for the reply to end: neither its live mark nor the status bar's spinner shows. */
function replyDone(a: AppInPty): Promise<string> {
  return a.waitFor((s) => s.includes('ctx') && !/[▍⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(s), 20_000);
}

function resize(a: AppInPty, cols: number, rows: number): void {
  a.proc.resize(cols, rows);
  a.term.resize(cols, rows);
}

describe.each([100, 60])('the screen at %i columns', (cols) => {
  it('a prompt that wraps shows every row of it under one status bar', async () => {
    const a = demo({ cols });
    await a.waitFor(READY);
    const words = Array.from({ length: Math.ceil((cols * 1.3) / 6) }, (_, i) => `w${String(i).padStart(3, '0')}`);
    a.type(words.join(' '));
    await a.waitFor(words.at(-1)!);
    const lines = (await settled(a)).split('\n');
    const shown = promptText(lines);
    expect(shown.replace(/\s+/g, '')).toBe(words.join(''));
    // The status bar sits right above the prompt, which ends on the last row.
    expect(statusRow(lines)).toBe(lines.length - 1 - (shown.split('\n').length - 1) - 1);
  });

  it('Alt+Enter adds a second line, and both show', async () => {
    const a = demo({ cols });
    await a.waitFor(READY);
    a.type('first line');
    a.type('\x1b\r');
    a.type('second line');
    await a.waitFor('second line');
    const shown = promptText((await settled(a)).split('\n'));
    expect(shown).toBe('first line\nsecond line');
  });

  it('a 30-line paste shows its last rows and one status bar', async () => {
    const a = demo({ cols });
    await a.waitFor(READY);
    const pasted = Array.from({ length: 30 }, (_, i) => `pasted line ${i + 1}`);
    a.type(`\x1b[200~${pasted.join('\r')}\x1b[201~`);
    await a.waitFor('pasted line 30');
    const shown = promptText((await settled(a)).split('\n')).split('\n');
    // The editor grows to a third of the window, then scrolls to keep the caret in view.
    expect(shown.length).toBe(10);
    expect(shown.at(-1)).toBe('pasted line 30');
    expect(shown[0]).toBe('pasted line 21');
  });

  it('↑ recalls a two-line prompt whole', async () => {
    const a = demo({ cols, rows: 30 });
    await a.waitFor(READY);
    a.type('one');
    a.type('\x1b\r');
    a.type('two');
    a.type(KEYS.enter);
    await a.waitFor('●');
    await replyDone(a);
    await a.waitFor(READY);
    a.type('\x1b[A');
    await a.waitFor((s) => promptTextSafe(s) === 'one\ntwo');
    expect(promptText((await settled(a)).split('\n'))).toBe('one\ntwo');
  });

  for (const [how, keys] of [
    ['?', ['?']],
    ['F1', ['\x1bOP']],
    ['/help', ['/help', KEYS.enter]],
  ] as const) {
    it(`${how} shows the key help; Esc closes it and the keyboard types again`, async () => {
      const a = demo({ cols });
      await a.waitFor(READY);
      for (const k of keys) a.type(k);
      const help = await a.waitFor('Esc, ? or q closes this');
      expect(help).toMatch(/PgUp/);
      // Stays up: nothing paints the transcript over it.
      expect(await settled(a)).toContain('Esc, ? or q closes this');
      a.type(KEYS.esc);
      await a.waitFor((s) => !s.includes('closes this') && s.includes(READY));
      a.type('typed after help');
      await a.waitFor('typed after help');
      expect(promptText((await settled(a)).split('\n'))).toBe('typed after help');
    });
  }

  it('on a short screen the help scrolls: the keys below the fold come into view with PgDn, and it still closes', async () => {
    const a = demo({ cols, rows: 14 });
    await a.waitFor(READY);
    a.type('?');
    const first = await a.waitFor('Esc, ? or q closes this');
    expect(first).toMatch(/closes this\. ↓ PgUp\/PgDn/);
    expect(first).not.toContain('Keys:');
    for (let i = 0; i < 6 && !a.screen().includes('Keys:'); i++) {
      const before = a.screen();
      a.type(KEYS.pageDown);
      await a.waitFor((s) => s !== before);
    }
    const last = a.screen();
    expect(last).toContain('Keys:');
    expect(last).toMatch(/PgUp\/PgDn, Shift/);
    expect(last).toContain('closes this');
    a.type(KEYS.esc);
    await a.waitFor((s) => !s.includes('closes this') && s.includes(READY));
  });
});

/** {@link promptText}, or null while there is not exactly one status bar. */
function promptTextSafe(screen: string): string | null {
  const lines = screen.split('\n');
  const rows = lines.flatMap((l, i) => (STATUS.test(l) ? [i] : []));
  if (rows.length !== 1) return null;
  return lines
    .slice(rows[0]! + 1)
    .map((l) => l.replace(/^(› |↑ |↓ | {2})/, ''))
    .join('\n');
}

describe('resizing', () => {
  it('narrowing the window while idle leaves one prompt and one status bar at each width', async () => {
    const a = demo({ cols: 100, rows: 24 });
    await a.waitFor(READY);
    await settled(a);
    for (const c of [90, 76, 70, 50, 30, 100]) {
      resize(a, c, 24);
      const lines = (await settled(a)).split('\n');
      const prompts = lines.filter((l) => l.startsWith('› '));
      expect(prompts, `width ${c}:\n${lines.join('\n')}`).toHaveLength(1);
      expect(lines.at(-1)!.startsWith('› ')).toBe(true);
      // The row above the prompt is the status bar, not the tail of the prompt's hint.
      expect(lines.at(-2), `width ${c}`).toMatch(STATUS);
      expect(lines.at(-2)).not.toMatch(/help|newline|send/);
    }
  });

  it('a wrapped prompt survives a resize and a reply streaming under it', async () => {
    const a = demo({ cols: 80, rows: 24 });
    await a.waitFor(READY);
    a.type('tell me about streaming');
    a.type(KEYS.enter);
    await a.waitFor('●');
    a.type('a draft typed while the reply streams, long enough to wrap at the narrower width of fifty');
    resize(a, 50, 24);
    await replyDone(a);
    const lines = (await settled(a)).split('\n');
    expect(promptText(lines).replace(/\s+/g, '')).toBe(
      'a draft typed while the reply streams, long enough to wrap at the narrower width of fifty'.replace(/\s+/g, ''),
    );
  });
});

describe('a terminal that draws 👍🏽 4 cells wide (tmux, Unicode 11)', () => {
  for (const cols of [100, 40]) {
    it(`at ${cols} columns, editing after the emoji shows the text as typed, caret after the new character`, async () => {
      const a = demo({ cols, unicode11: true });
      await a.waitFor(READY);
      a.type('👍🏽abcdef');
      await a.waitFor('abcdef');
      a.type('\x1b[D');
      a.type('\x1b[D');
      a.type('X');
      await a.waitFor((s) => s.includes('abcdXef'));
      const lines = (await settled(a)).split('\n');
      expect(lines.at(-1)).toBe('› 👍🏽abcdXef');
      // The terminal's caret is after the X as the terminal drew the line: mark 2 + emoji 4 + 5.
      expect(a.term.buffer.active.cursorX).toBe(11);
      expect(a.term.buffer.active.cursorY).toBe(lines.length - 1);
    });
  }
});

describe('the status bar by priorities, not truncation', () => {
  const r = provide(rig, (x) => x.close(), 'each');
  const LONG = 'Explain the difference between a process and a thread, with examples from Linux and from the JVM';

  for (const cols of [100, 60]) {
    it(`at ${cols} columns, after a reply to a long first prompt, the cost is whole and the title gives way`, async () => {
      r.server.enqueue({ kind: 'sse', body: fullReply(['A process ', 'owns memory; ', 'a thread ', 'shares it.']) });
      const a = await r.start({ cols });
      a.type(LONG);
      a.type(KEYS.enter);
      await a.waitFor('shares it.');
      const status = (await a.waitFor(/\$\d+\.\d+/)).split('\n').find((l) => /\$\d/.test(l))!;
      // The cost ends a segment: digits, then the end of the bar or a separator; never "$0.…".
      expect(status).toMatch(/\$\d+\.\d+( ·|$)/);
      expect(status).not.toMatch(/\$[\d.]*…/);
      expect(status.length).toBeLessThanOrEqual(cols);
    });

    it(`at ${cols} columns, a retry wait keeps "Esc cancels" whole`, async () => {
      r.server.enqueue(httpError(529, 'overloaded_error', 'Overloaded', 'req_011CSCREEN529000000001', { 'retry-after': '3' }), {
        kind: 'sse',
        body: fullReply(['Back ', 'again.']),
      });
      const a = await r.start({ cols, env: { INKWELL_MAX_RETRIES: '4' } });
      a.type(LONG);
      a.type(KEYS.enter);
      const screen = await a.waitFor(/retry/);
      const status = screen.split('\n').find((l) => /retry/.test(l))!;
      expect(status).toContain('Esc cancels');
      await a.waitFor('Back again.', 15_000);
    });
  }
});
