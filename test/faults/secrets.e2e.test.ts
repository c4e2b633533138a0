/**
 * Secrets and diagnostics: the API key never appears in logs, errors, session files or exports
 * (every file the app wrote is read back and searched), nor on the screen or stderr, even when the
 * server echoes it in an error or the model repeats it. `--debug` / INKWELL_DEBUG writes a debug
 * log (JSON lines) to the state directory, never to the screen.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYS, spawnApp } from '../helpers/pty.js';
import {
  API_KEY,
  ask,
  errorEvent,
  flat,
  fullReply,
  httpError,
  idle,
  messageStart,
  MODEL,
  rig,
  savedSession,
  sse,
  textBlock,
  walkFiles,
} from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';
import { runPiped as runCliPiped } from '../helpers/cli.js';

const r = provide(rig, (x) => x.close(), 'each');

/** The key, and a long piece of its middle (catches a key cut or masked at its ends only). */
const NEEDLES = [API_KEY, API_KEY.slice(14, 44)];

function expectNoKey(text: string, where: string): void {
  for (const n of NEEDLES) expect(text.includes(n), `${where} holds the API key (${n.slice(0, 12)}…)`).toBe(false);
}

/** Reads every file under `dir` (and `extra`), as UTF-8 and as Latin-1, and checks none holds the key. */
function expectNoKeyInFiles(dir: string, extra: string[] = []): string[] {
  const files = [...walkFiles(dir), ...extra];
  for (const f of files) {
    const bytes = readFileSync(f);
    expectNoKey(bytes.toString('utf8'), f);
    expectNoKey(bytes.toString('latin1'), f);
  }
  return files;
}

/** Runs the CLI with pipes; stdout as text. */
async function runPiped(
  args: string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = await runCliPiped(args, { env, stdin });
  return { ...run, stdout: run.stdout.toString() };
}

describe('the API key never leaks', () => {
  it('chat with --debug: a normal reply, a 401 and an in-stream error quoting the key, a reply echoing it; then exports: no file, screen or export holds the key', async () => {
    r.server.enqueue(
      { kind: 'sse', body: fullReply(['A ', 'normal ', 'reply.']) },
      httpError(401, 'authentication_error', `invalid x-api-key: ${API_KEY}`, 'req_011CSECRET401000000001'),
      {
        kind: 'sse',
        body: sse([
          messageStart(),
          ...textBlock(['Half ', 'a ', 'reply'], 0, true),
          errorEvent('api_error', `upstream rejected Bearer ${API_KEY}`),
        ]),
      },
      { kind: 'sse', body: fullReply(['Your ', 'key ', 'is ', API_KEY, ' as ', 'you ', 'said.']) },
    );
    const a = await r.start({ cols: 120, rows: 50, args: ['--model', MODEL, '--debug'], env: { INKWELL_MAX_RETRIES: '0' } });
    const debugLog = path.join(a.home, 'state', 'debug.log');
    await a.waitFor('Debug log:');
    ask(a, 'hello');
    await a.waitFor('A normal reply.');
    await idle(a);
    ask(a, 'again');
    await a.waitFor('rejected (401)');
    await idle(a);
    ask(a, 'once more');
    await a.waitFor('Interrupted:');
    await idle(a);
    expect(flat(a.screen())).toContain('upstream rejected');
    // Errors on screen: the key is scrubbed from what the server said.
    expectNoKey(a.screen(), 'the screen');
    expectNoKey(a.raw(), 'the terminal byte stream');
    ask(a, 'what is my key');
    await a.waitFor('as you said.');
    await idle(a);

    // Leave cleanly, so everything is flushed and the lock released.
    a.type(KEYS.ctrlC);
    await a.waitFor('Press Ctrl+C again to quit');
    a.type(KEYS.ctrlC);
    expect(await a.exited).toBe(0);

    const id = savedSession(a.home).id;
    const out = mkdtempSync(path.join(tmpdir(), 'inkwell-export-'));
    const md = path.join(out, 'session.md');
    const json = path.join(out, 'session.json');
    const env = { INKWELL_HOME: a.home, ANTHROPIC_API_KEY: API_KEY };
    const e1 = await runPiped(['sessions', 'export', id, '-o', md], env);
    const e2 = await runPiped(['sessions', 'export', id, '--format', 'json', '-o', json], env);
    const show = await runPiped(['sessions', 'show', id], env);
    const list = await runPiped(['sessions', 'list', '--json'], env);
    for (const run of [e1, e2, show, list]) {
      expect(run.code).toBe(0);
      expectNoKey(run.stdout, 'a sessions command stdout');
      expectNoKey(run.stderr, 'a sessions command stderr');
    }
    // The exports hold the conversation (the key replaced).
    const exported = readFileSync(md, 'utf8');
    expect(exported).toContain('A normal reply.');
    expect(exported).toContain('as you said.');
    expect(show.stdout).toContain('[redacted]');

    expect(existsSync(debugLog)).toBe(true);
    const files = expectNoKeyInFiles(a.home, [md, json]);
    expect(files).toContain(debugLog);
    expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
  });

  it('print mode with INKWELL_DEBUG=1 and ANTHROPIC_LOG=debug, on an error quoting the key: stderr, stdout and every file are clean', async () => {
    r.server.enqueue(httpError(400, 'invalid_request_error', `bad header Authorization: Bearer ${API_KEY}`, 'req_011CSECRETPRINT0000001'));
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-secrets-'));
    const run = await runPiped(['--model', MODEL, '-p', 'hello'], {
      INKWELL_HOME: home,
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_BASE_URL: r.server.url,
      INKWELL_MAX_RETRIES: '0',
      INKWELL_DEBUG: '1',
      ANTHROPIC_LOG: 'debug',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The API rejected the request (400)');
    expect(run.stderr).toContain('req_011CSECRETPRINT0000001');
    expectNoKey(run.stderr, 'stderr');
    expectNoKey(run.stdout, 'stdout');
    // stdout carries the reply alone (there is none): the SDK's diagnostics went to stderr.
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('[redacted]');
    expect(existsSync(path.join(home, 'state', 'debug.log'))).toBe(true);
    expectNoKeyInFiles(home);
  });
});

describe('--debug / INKWELL_DEBUG: a debug log in the state directory, never on the screen', () => {
  for (const how of ['--debug', 'INKWELL_DEBUG=1'] as const) {
    it(`${how}: JSON lines for the turn (with the request id) in <state>/debug.log; the screen shows only where the log is`, async () => {
      r.server.enqueue({ kind: 'sse', body: fullReply(['Logged ', 'reply.']), headers: { 'request-id': 'req_011CDEBUGLOG0000000001' } });
      const a = await r.start({
        cols: 140,
        args: how === '--debug' ? ['--model', MODEL, '--debug'] : ['--model', MODEL],
        env: how === '--debug' ? {} : { INKWELL_DEBUG: '1' },
      });
      const file = path.join(a.home, 'state', 'debug.log');
      await a.waitFor(`Debug log: ${file}`);
      ask(a, 'hello');
      await a.waitFor('Logged reply.');
      await idle(a);
      const events = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; requestId?: string; ok?: boolean });
      expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['start', 'turn_start', 'turn_end']));
      expect(events.find((e) => e.event === 'turn_end')).toMatchObject({ ok: true, requestId: 'req_011CDEBUGLOG0000000001' });
      // Nothing of the log reached the terminal.
      expect(a.raw()).not.toContain('"event"');
      expect(a.raw()).not.toContain('turn_start');
      expectNoKey(readFileSync(file, 'utf8'), 'the debug log');
    });
  }

  it('without --debug or INKWELL_DEBUG no debug log is written', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['Quiet ', 'reply.']) });
    const a = await r.start({ env: { INKWELL_DEBUG: undefined } });
    ask(a, 'hello');
    await a.waitFor('Quiet reply.');
    await idle(a);
    expect(a.screen()).not.toContain('Debug log');
    expect(existsSync(path.join(a.home, 'state', 'debug.log'))).toBe(false);
  });

  it('a debug log that cannot be written does not disturb the chat', async () => {
    // The state directory is a file: the log cannot be created.
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-secrets-'));
    writeFileSync(path.join(home, 'state'), 'not a directory');
    r.server.enqueue({ kind: 'sse', body: fullReply(['Still ', 'fine.']) });
    const a = spawnApp({
      home,
      args: ['--model', MODEL, '--debug'],
      env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: r.server.url },
    });
    try {
      await a.waitFor('Ask Claude', 15_000);
      ask(a, 'hello');
      await a.waitFor('Still fine.');
      await idle(a);
    } finally {
      a.kill();
    }
  });
});
