import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer } from '../../src/server/index.js';
import { runPiped } from '../helpers/cli.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

const server = provide(
  () => startMessagesServer({ defaultScenario: { kind: 'demo', tokensPerSecond: 0 } }),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

function home(): string {
  const h = mkdtempSync(path.join(tmpdir(), 'inkwell-preset-'));
  mkdirSync(path.join(h, 'config'), { recursive: true });
  writeFileSync(path.join(h, 'config', 'config.json'), JSON.stringify({ presets: { reviewer: 'You review code tersely.' } }));
  return h;
}

function app(h: string, cols: number, args: string[] = []): AppInPty {
  const a = spawnApp({
    home: h,
    cols,
    rows: 24,
    args: ['--model', 'claude-sonnet-4-6', ...args],
    env: { ANTHROPIC_API_KEY: 'sk-ant-preset-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0' },
  });
  running.push(a);
  return a;
}

const posts = () => server.requests.filter((r) => r.path === '/v1/messages').length;
/** Waits until the server has received `n` more Messages requests than `from`. */
async function requestsAfter(from: number, n = 1): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (posts() < from + n) {
    if (Date.now() > deadline) throw new Error('no request reached the server');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const lastPost = () => server.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as { system?: unknown };
const systemText = (s: unknown) => (Array.isArray(s) ? s.map((b: { text: string }) => b.text).join('') : s);

describe('presets, end to end', () => {
  it.each([70, 110])(
    '/pre + Tab completes /preset, and a name after it; /preset reviewer sends its system prompt; unknown names are listed (%i columns)',
    async (cols) => {
      const a = app(home(), cols);
      await a.waitFor('Ask Claude');
      // /help lists the command and the presets the settings hold.
      a.type('/help');
      await a.waitFor('› /help');
      a.type(KEYS.enter);
      await a.waitFor('presets: reviewer');
      a.type(KEYS.esc);
      await a.waitFor((s) => !s.includes('presets: reviewer'));
      a.type('/pre');
      await a.waitFor('› /pre');
      a.type(KEYS.tab);
      await a.waitFor('› /preset');
      a.type(' nobody');
      a.type(KEYS.enter);
      await a.waitFor('There is no preset "nobody". Presets: reviewer.');
      // Tab completes a preset's name too; the menu shows the start of its prompt.
      a.type('/preset re');
      await a.waitFor('reviewer — You review code tersely.');
      a.type(KEYS.tab);
      await a.waitFor('› /preset reviewer');
      a.type(KEYS.enter);
      await a.waitFor('Preset "reviewer" is the system prompt');
      a.type('hello');
      await a.waitFor('› hello');
      const before = posts();
      a.type(KEYS.enter);
      await requestsAfter(before);
      expect(systemText(lastPost().system)).toBe('You review code tersely.');
    },
  );

  it('--preset reviewer starts with it; an unknown --preset exits 2 naming the known ones', async () => {
    const h = home();
    const a = app(h, 100, ['--preset', 'reviewer']);
    await a.waitFor('Ask Claude');
    a.type('hi');
    await a.waitFor('› hi');
    a.type(KEYS.enter);
    await a.waitFor('last in');
    expect(systemText(lastPost().system)).toBe('You review code tersely.');
    const bad = await runPiped(['--preset', 'nobody', '-p', 'x'], { env: { INKWELL_HOME: h } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('inkwell: There is no preset "nobody". Presets: reviewer.\n');
  });
});
