import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { runPiped } from '../helpers/cli.js';
import { walkFiles } from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

/**
 * The apiKeyHelper setting end to end: the built app runs the command at start, sends its key,
 * runs it once more after a 401, and keeps every key it printed out of what it writes. The local
 * server accepts one key only.
 */
const GOOD = 'vault-key-2f9c41d7e8';
const OLD = 'vault-key-expired-77aa01';
const server = provide(
  () => startMessagesServer({ apiKey: GOOD }),
  (s) => s.close(),
);

/**
 * A helper script: prints the keys given one per run (the last one again once they run out),
 * counting its runs in `runs`.
 */
function helperPrinting(keys: string[]): { command: string; runs: () => number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-helper-'));
  const count = path.join(dir, 'runs');
  writeFileSync(count, '0');
  const script = path.join(dir, 'helper.sh');
  const cases = keys.map((k, i) => `  ${i + 1}) echo '${k}' ;;`).join('\n');
  writeFileSync(
    script,
    `#!/bin/sh\nn=$(( $(cat '${count}') + 1 ))\necho $n > '${count}'\ncase $n in\n${cases}\n  *) echo '${keys[keys.length - 1]}' ;;\nesac\n`,
    { mode: 0o755 },
  );
  return { command: `sh '${script}'`, runs: () => Number(readFileSync(count, 'utf8').trim()) };
}

/** A fresh INKWELL_HOME whose settings hold `apiKeyHelper` (set with the app's own `config set`). */
async function homeWithHelper(command: string): Promise<string> {
  const home = mkdtempSync(path.join(tmpdir(), 'inkwell-helper-home-'));
  const r = await runPiped(['config', 'set', 'apiKeyHelper', command], { env: { INKWELL_HOME: home } });
  expect(r.code).toBe(0);
  return home;
}

const env = (home: string) => ({
  INKWELL_HOME: home,
  ANTHROPIC_API_KEY: undefined,
  ANTHROPIC_AUTH_TOKEN: undefined,
  ANTHROPIC_BASE_URL: server.url,
  INKWELL_DEBUG: '1',
});
const reply = (text: string) => ({ kind: 'sse' as const, body: sseForText(text, { model: 'claude-sonnet-5-5' }) });

describe('apiKeyHelper', () => {
  it('runs at start and its key is sent', async () => {
    const helper = helperPrinting([GOOD]);
    const home = await homeWithHelper(helper.command);
    server.enqueue(reply('Keyed by the helper.'));
    const r = await runPiped(['-p', 'hi'], { env: env(home) });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('Keyed by the helper.\n');
    expect(helper.runs()).toBe(1);
  });

  it('after a 401 it runs once more and the request is asked again with the new key', async () => {
    const helper = helperPrinting([OLD, GOOD]);
    const home = await homeWithHelper(helper.command);
    // The prompt quotes the key the helper printed at start, the reply the one it printed after
    // the 401: each is known to the redactor by the time it would be written.
    server.enqueue(reply(`Second key worked; it was ${GOOD}.`));
    const r = await runPiped(['-p', `my key is ${OLD}`], { env: env(home) });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toContain('Second key worked');
    expect(helper.runs()).toBe(2);
    // Neither key is written anywhere: the session file and the debug log have them redacted.
    const written = walkFiles(home)
      .filter((f) => !f.endsWith('config.json'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(written).toContain('[redacted]');
    expect(written).not.toContain(GOOD);
    expect(written).not.toContain(OLD);
  });

  it('a key rejected twice: the helper ran twice, not more, and the 401 is said once', async () => {
    const helper = helperPrinting([OLD]);
    const home = await homeWithHelper(helper.command);
    const r = await runPiped(['-p', 'hi'], { env: env(home) });
    expect(r.code).toBe(1);
    expect(helper.runs()).toBe(2);
    expect(r.stderr).toMatch(/^inkwell: The API key was rejected \(401\)/);
    expect(r.stderr).not.toContain(OLD);
  });

  it('a helper that fails: a plain message naming the setting, with its own words', async () => {
    const home = await homeWithHelper("echo 'vault is locked' >&2; exit 3");
    const r = await runPiped(['-p', 'hi'], { env: env(home) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "inkwell: The apiKeyHelper setting's command failed (exit 3): vault is locked. Fix it, or change it with: inkwell config set apiKeyHelper '<command>'\n",
    );
  });

  it('a helper that prints nothing: says it must print the key', async () => {
    const home = await homeWithHelper('true');
    const r = await runPiped(['-p', 'hi'], { env: env(home) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("The apiKeyHelper setting's command printed nothing: it must print the API key on standard output.");
  });

  describe('in the full-screen chat', () => {
    const running: AppInPty[] = [];
    afterEach(() => {
      while (running.length) running.pop()!.kill();
    });

    it.each([60, 110])('at %i columns a helper key streams a reply after a 401 re-run', async (cols) => {
      const helper = helperPrinting([OLD, GOOD]);
      const home = await homeWithHelper(helper.command);
      server.enqueue(reply('The chat got a fresh key.'));
      const a = spawnApp({ home, env: env(home), cols, rows: 20 });
      running.push(a);
      await a.waitFor('Ask');
      a.type('hello');
      a.type(KEYS.enter);
      const screen = await a.waitFor((s) => s.replace(/\s+/g, ' ').includes('The chat got a fresh key.'), 15_000);
      expect(screen).not.toContain('401');
      expect(helper.runs()).toBe(2);
    });
  });
});
