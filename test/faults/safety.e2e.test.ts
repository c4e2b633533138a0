/**
 * Secrets and files (issue 22): a key typed into the prompt stays out of the prompt history; URL
 * credentials stay out of the debug log and errors; every file inkwell writes is private; `/export`
 * and `sessions export -o` never overwrite or follow a symlink, expand `~` and say where they wrote.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYS } from '../helpers/pty.js';
import { API_KEY, ask, flat, fullReply, idle, rig, savedSession, walkFiles } from '../helpers/faults.js';
import { runPiped } from '../helpers/cli.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `inkwell-${name}-`));

/** The screen with all whitespace removed: a long path wrapped over rows reads whole. */
const squeezed = (s: string) => s.replace(/\s+/g, '');

/** Every file and folder under `dir`, with its permission bits. */
function modes(dir: string): Array<{ file: string; mode: number; isDir: boolean }> {
  const out: Array<{ file: string; mode: number; isDir: boolean }> = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      out.push({ file: p, mode: statSync(p).mode & 0o777, isDir: e.isDirectory() });
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('secrets stay out of what inkwell writes', () => {
  it('a key typed into the prompt is [redacted] in the prompt history, as in the session; every file and folder is private', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['Noted.']) });
    // Folders an older inkwell made with the default mode are made private too.
    const home = tmp('private');
    for (const d of ['state', 'config']) mkdirSync(path.join(home, d), { mode: 0o755 });
    const a = await r.start({ home, cols: 120, args: ['--model', 'claude-sonnet-4-5', '--debug'] });
    ask(a, `my key is ${API_KEY} ok`);
    await a.waitFor('Noted.');
    await idle(a);
    a.type(KEYS.ctrlC);
    await a.waitFor('Press Ctrl+C again');
    a.type(KEYS.ctrlC);
    await a.exited;
    const history = readFileSync(path.join(a.home, 'state', 'prompt-history.jsonl'), 'utf8');
    expect(history).not.toContain(API_KEY);
    expect(history).toContain('my key is [redacted] ok');
    expect(savedSession(a.home).messages[0]).toMatchObject({ role: 'user', text: 'my key is [redacted] ok' });
    for (const f of walkFiles(a.home)) expect(readFileSync(f, 'utf8'), f).not.toContain(API_KEY);
    const all = modes(a.home);
    expect(all.some((m) => m.file.endsWith('debug.log'))).toBe(true);
    expect(all.some((m) => m.file.endsWith('config.json') || m.file.endsWith('.jsonl'))).toBe(true);
    for (const m of all) expect(`${m.file} ${m.mode.toString(8)}`).toBe(`${m.file} ${m.isDir ? '700' : '600'}`);
  });

  it('--debug with a base URL carrying ?token=: the debug log and the settings never hold the token', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['Fine.']) });
    const home = tmp('urltoken');
    const run = await runPiped(['-p', 'hi', '--debug', '--base-url', `${r.server.url}/?token=QUERYSECRET42&region=eu`], {
      env: { INKWELL_HOME: home, ANTHROPIC_API_KEY: API_KEY, INKWELL_MAX_RETRIES: '0' },
    });
    const log = readFileSync(path.join(home, 'state', 'debug.log'), 'utf8');
    expect(log).toContain('token=[redacted]');
    expect(log).toContain('region=eu');
    for (const f of walkFiles(home)) expect(readFileSync(f, 'utf8'), f).not.toContain('QUERYSECRET42');
    expect(run.stderr).not.toContain('QUERYSECRET42');
  });

  it('a base URL with user:pass@ is named as the problem (not "the network is down"), and the password is nowhere', async () => {
    const home = tmp('userinfo');
    const url = new URL(r.server.url);
    const run = await runPiped(['-p', 'hi', '--debug', '--base-url', `http://alice:PASSWORD9876@${url.host}`], {
      env: { INKWELL_HOME: home, ANTHROPIC_API_KEY: API_KEY, INKWELL_MAX_RETRIES: '2' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('base URL holds a user name or password');
    expect(run.stderr).not.toMatch(/network is down/);
    expect(run.stderr).not.toContain('PASSWORD9876');
    const log = readFileSync(path.join(home, 'state', 'debug.log'), 'utf8');
    expect(log).toContain('[redacted]@');
    for (const f of walkFiles(home)) expect(readFileSync(f, 'utf8'), f).not.toContain('PASSWORD9876');
  });
});

describe("Node's compile cache", () => {
  it("lives in the user's own cache folder, private (0700), not in a shared folder in /tmp", async () => {
    const home = tmp('cachehome');
    const run = await runPiped(['--version'], { env: { HOME: home, XDG_CACHE_HOME: undefined } });
    expect(run.code).toBe(0);
    for (const dir of [path.join(home, '.cache', 'inkwell'), path.join(home, '.cache', 'inkwell', 'compile-cache')])
      expect(`${dir} ${(statSync(dir).mode & 0o777).toString(8)}`).toBe(`${dir} 700`);
  });
});

describe('/export in the chat', () => {
  for (const cols of [60, 120]) {
    it(`at ${cols} columns: ~ is the home folder, the absolute path is reported, an existing file is refused until --force`, async () => {
      const home = tmp('home');
      const cwd = tmp('cwd');
      r.server.enqueue({ kind: 'sse', body: fullReply(['Exported ', 'reply.']) });
      const a = await r.start({ cols, rows: 30, cwd, env: { HOME: home } });
      ask(a, 'hello');
      await a.waitFor('Exported reply.');
      await idle(a);
      const target = path.join(home, 'notes.md');
      ask(a, '/export ~/notes.md');
      await a.waitFor((s) => squeezed(s).includes(squeezed(`Exported to ${target}.`)));
      expect(existsSync(path.join(cwd, '~'))).toBe(false);
      expect(readFileSync(target, 'utf8')).toContain('Exported reply.');
      expect(statSync(target).mode & 0o777).toBe(0o600);

      writeFileSync(target, 'my own notes');
      ask(a, '/export ~/notes.md');
      await a.waitFor((s) => flat(s).includes('already exists'));
      expect(readFileSync(target, 'utf8')).toBe('my own notes');
      // Asked: the replacing command waits in the prompt. Ctrl+U keeps the file…
      await a.waitFor((s) => /› \/export ~\/notes\.md --force\s*$/.test(flat(s)));
      a.type('\x15');
      await a.waitFor('Ask Claude');
      expect(readFileSync(target, 'utf8')).toBe('my own notes');
      // …and Enter on the same question replaces it.
      ask(a, '/export ~/notes.md');
      await a.waitFor((s) => /› \/export ~\/notes\.md --force\s*$/.test(flat(s)));
      a.type(KEYS.enter);
      await a.waitFor((s) => squeezed(s).includes(squeezed(`Replaced ${target}.`)));
      expect(readFileSync(target, 'utf8')).toContain('Exported reply.');

      ask(a, '/export rel.json');
      await a.waitFor((s) => squeezed(s).includes(squeezed(`Exported to ${path.join(cwd, 'rel.json')}.`)));
      expect(JSON.parse(readFileSync(path.join(cwd, 'rel.json'), 'utf8'))).toMatchObject({ format: 'inkwell-session' });
    });
  }
});

describe('inkwell sessions export -o', () => {
  it('refuses an existing file and a symlink without --force, never writes through the link, expands ~, reports the absolute path', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['Saved ', 'reply.']) });
    const home = tmp('clihome');
    const chat = await runPiped(['-p', 'hello'], {
      env: { INKWELL_HOME: home, ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: r.server.url },
    });
    expect(chat.code).toBe(0);
    const userHome = tmp('userhome');
    const env = { INKWELL_HOME: home, HOME: userHome, ANTHROPIC_API_KEY: API_KEY };
    const id = savedSession(home).id;

    const first = await runPiped(['sessions', 'export', id, '-o', '~/out.md'], { env });
    expect(first.code).toBe(0);
    const out = path.join(userHome, 'out.md');
    expect(first.stderr).toContain(`to ${out}.`);
    expect(readFileSync(out, 'utf8')).toContain('Saved reply.');
    expect(statSync(out).mode & 0o777).toBe(0o600);

    writeFileSync(out, 'keep me');
    const again = await runPiped(['sessions', 'export', id, '-o', out], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect((await runPiped(['sessions', 'export', id, '-o', out, '--force'], { env })).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Saved reply.');

    const victim = path.join(userHome, 'victim');
    writeFileSync(victim, 'untouched');
    const link = path.join(userHome, 'link.md');
    symlinkSync(victim, link);
    expect((await runPiped(['sessions', 'export', id, '-o', link], { env })).code).toBe(1);
    expect((await runPiped(['sessions', 'export', id, '-o', link, '--force'], { env })).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(readFileSync(link, 'utf8')).toContain('Saved reply.');
  });
});

describe('locks and empty files', () => {
  it('an idle -c window whose terminal closes leaves no lock behind: the next -c is writable', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['One.']) });
    const a = await r.start({});
    ask(a, 'hello');
    await a.waitFor('One.');
    await idle(a);
    a.type(KEYS.ctrlC);
    await a.waitFor('Press Ctrl+C again');
    a.type(KEYS.ctrlC);
    await a.exited;
    const dir = path.join(a.home, 'data', 'sessions');
    const b = await r.start({ home: a.home, args: ['-c'] });
    await b.waitFor('One.');
    expect(readdirSync(dir).some((f) => f.endsWith('.lock'))).toBe(true);
    // The terminal window closes: the pty's master is closed and the app gets SIGHUP and EIO.
    (b.proc as unknown as { destroy(): void }).destroy();
    await b.exited;
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
    const c = await r.start({ home: a.home, args: ['-c'] });
    await c.waitFor('One.');
    expect(flat(c.screen())).not.toContain('read-only');
  });

  it('a zero-byte session file opens with -c as an empty session that saves, not read-only forever', async () => {
    const home = tmp('zero');
    const dir = path.join(home, 'data', 'sessions');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'zzzzzzzz.jsonl'), '');
    r.server.enqueue({ kind: 'sse', body: fullReply(['Saved ', 'now.']) });
    const a = await r.start({ home, args: ['-c'] });
    expect(flat(a.screen())).not.toContain('read-only');
    expect(flat(a.screen())).not.toContain('damaged');
    ask(a, 'first words');
    await a.waitFor('Saved now.');
    await idle(a);
    const s = savedSession(home);
    expect(s.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(s.damaged).toBe(false);
  });
});
