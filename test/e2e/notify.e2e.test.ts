import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

const MODEL = 'claude-sonnet-4-6';
/** Every variable a terminal sets that inkwell reads to pick the kind of notification. */
const TERMINAL_VARS = [
  'TMUX',
  'TERM_PROGRAM',
  'LC_TERMINAL',
  'ITERM_SESSION_ID',
  'KITTY_WINDOW_ID',
  'WEZTERM_PANE',
  'GHOSTTY_RESOURCES_DIR',
  'WT_SESSION',
] as const;

function app(cols: number, env: Record<string, string> = {}): AppInPty {
  const clean: Record<string, string | undefined> = Object.fromEntries(TERMINAL_VARS.map((k) => [k, undefined]));
  const a = spawnApp({
    home: mkdtempSync(path.join(tmpdir(), 'inkwell-notify-')),
    cols,
    rows: 24,
    args: ['--model', MODEL],
    env: { ...clean, ANTHROPIC_API_KEY: 'sk-ant-notify-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0', ...env },
  });
  running.push(a);
  return a;
}

async function exchange(a: AppInPty, prompt: string, answer: string): Promise<void> {
  server.enqueue({ kind: 'sse', body: sseForText(answer, { model: MODEL }) });
  a.type(prompt);
  await a.waitFor(`› ${prompt}`);
  a.type(KEYS.enter);
  await a.waitFor(answer.split(' ')[0]!);
  await a.waitFor(/last in|↑\d/);
  // The ping waits a moment to see whether another turn follows.
  await new Promise((r) => setTimeout(r, 400));
}

const osc9 = (raw: string) => [...raw.matchAll(/\x1b\]9;([^\x07]*)\x07/g)].map((m) => m[1]!);
/** BELs that are not the end of an OSC sequence (OSC 52 and the notifications end with one). */
const bells = (raw: string) => raw.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').split('\x07').length - 1;

describe.each([100, 60])('a ping when the reply is done, at %i columns', (cols) => {
  it('iTerm2: OSC 9 with the title, length and cost after a focus-out report, none while focused; reports never reach the prompt', async () => {
    const a = app(cols, { TERM_PROGRAM: 'iTerm.app' });
    await a.waitFor('Ask Claude');
    // Focus reporting is on.
    expect(a.raw()).toContain('\x1b[?1004h');
    // Focused (no report yet): no notification.
    await exchange(a, 'pelican facts', 'Pelicans have throat pouches.');
    expect(osc9(a.raw())).toEqual([]);
    // Focus out: the next reply's end posts one.
    a.type('\x1b[O');
    await exchange(a, 'more facts', 'They \x1b]9;fake\x07 fly in lines.');
    const posted = osc9(a.raw());
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/^pelican facts: Reply done · \d+ tokens · \$\d/);
    // The model's escape never went out as an escape: only inkwell's one OSC 9.
    expect(a.raw()).not.toContain('\x1b]9;fake');
    // Focus in again: nothing more.
    a.type('\x1b[I');
    a.type('ok');
    const s = await a.waitFor('› ok');
    expect(s).not.toMatch(/\[I|\[O/);
    a.type('\x7f\x7f');
    await exchange(a, 'last one', 'Done here.');
    expect(osc9(a.raw())).toHaveLength(1);
    expect(bells(a.raw())).toBe(0);
  });
});

describe('a ping on other terminals', () => {
  it('a terminal not known to take OSC 9 (TERM=linux) gets the bell, and no OSC 9', async () => {
    const a = spawnApp({
      home: mkdtempSync(path.join(tmpdir(), 'inkwell-notify-')),
      cols: 80,
      rows: 24,
      term: 'linux',
      args: ['--model', MODEL],
      env: {
        ...Object.fromEntries(TERMINAL_VARS.map((k) => [k, undefined])),
        ANTHROPIC_API_KEY: 'sk-ant-notify-e2e',
        ANTHROPIC_BASE_URL: server.url,
        INKWELL_MAX_RETRIES: '0',
      },
    });
    running.push(a);
    await a.waitFor('Ask Claude');
    await exchange(a, 'hello', 'Hi there.');
    expect(bells(a.raw())).toBe(0);
    a.type('\x1b[O');
    await exchange(a, 'again', 'Hi again.');
    expect(bells(a.raw())).toBe(1);
    expect(osc9(a.raw())).toEqual([]);
  });
});
