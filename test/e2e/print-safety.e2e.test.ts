/**
 * Print mode (`inkwell -p`) as a tool in a pipeline (issue 22): its text ends with a newline; a
 * reader that stops early (`| head`) ends it quietly with the session saved; failures are one JSON
 * object on stdout with `--output-format json`; a long retry wait is said on stderr; hints name
 * flags, not chat commands; a wrong base-URL path and a proxy's HTML page are named for what they
 * are; JSON output escapes invisible and direction-changing characters; SIGTERM exits non-zero.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSessions, loadSession } from '../../src/sessions/index.js';
import { startMessagesServer } from '../../src/server/index.js';
import { runPiped, type PipedRun } from '../helpers/cli.js';
import { CLI } from '../helpers/pty.js';
import { errorEvent, fullReply, httpError, messageEnd, messageStart, partialReply, sse, textBlock } from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

const KEY = 'sk-ant-print-safety-key';

function run(args: string[], env: Record<string, string | undefined> = {}): Promise<PipedRun> {
  return runPiped(args, { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0', ...env } });
}

/** The one session a run saved under `home`. */
function saved(home: string) {
  const dir = path.join(home, 'data', 'sessions');
  const [s] = listSessions(dir);
  return loadSession(dir, s!.id);
}

/** Spawns print mode with its stdout a pipe; resolves with the exit code and stderr once it ends. */
function spawnPrint(args: string[], env: Record<string, string>, onFirstOutput: (child: ReturnType<typeof spawn>) => void) {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url, ...env }))
    if (v !== undefined) e[k] = v;
  delete e.CI;
  const child = spawn(process.execPath, [CLI, ...args], { env: e, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let err = '';
  let first = true;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', () => {
    if (first) {
      first = false;
      onFirstOutput(child);
    }
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr: err })),
  );
}

const slowReply = (words: number) => ({
  kind: 'sse' as const,
  body: fullReply(Array.from({ length: words }, (_, i) => `word${i}\n`)),
  chunkBytes: 40,
  intervalMs: 15,
});

describe('print mode in a pipeline', () => {
  it('text output ends with a newline even when the reply does not', async () => {
    server.enqueue({ kind: 'sse', body: fullReply(['no ', 'newline at the end']) });
    const r = await run(['-p', 'x']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('no newline at the end\n');
  });

  it('a reader that closes early (| head): quiet, exit 0, the reply saved with a final record', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-head-'));
    server.enqueue(slowReply(400));
    const r = await spawnPrint(['-p', 'count'], { INKWELL_HOME: home }, (child) => child.stdout!.destroy());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = saved(home);
    const reply = s.messages.find((m) => m.role === 'assistant');
    expect(reply).toMatchObject({ status: 'interrupted' });
    expect(s.damaged).toBe(false);
  });

  it('SIGTERM while a reply streams: exit code non-zero, the partial reply saved', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-term-'));
    server.enqueue(slowReply(400));
    const r = await spawnPrint(['-p', 'count'], { INKWELL_HOME: home }, (child) => child.kill('SIGTERM'));
    expect(r.code === null ? r.signal : r.code).not.toBe(0);
    expect(r.code).toBe(143);
    expect(saved(home).messages.find((m) => m.role === 'assistant')).toMatchObject({ status: 'interrupted' });
  });

  it('--output-format json: a failed request prints one JSON error object on stdout', async () => {
    server.enqueue(httpError(529, 'overloaded_error', 'Overloaded', 'req_011CPRINTJSON000000001'));
    const r = await run(['-p', 'x', '--output-format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout.toString()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      type: 'error',
      error: { type: 'overloaded', status: 529 },
      request_id: 'req_011CPRINTJSON000000001',
    });
    expect((doc.error as { message: string }).message).toContain('overloaded');
  });

  it('--output-format stream-json: a failed request ends with a JSON error line', async () => {
    server.enqueue({ kind: 'sse', body: sse([messageStart(), ...textBlock(['Half'], 0, true), errorEvent('api_error', 'boom')]) });
    const r = await run(['-p', 'x', '--output-format', 'stream-json']);
    expect(r.code).toBe(1);
    const lines = r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(-1)).toMatchObject({ type: 'error', error: { type: 'server' } });
  });

  it('a long retry-after wait is said on stderr', async () => {
    server.enqueue(httpError(429, 'rate_limit_error', 'slow down', 'req_011CRETRYAFTER00000001', { 'retry-after': '2' }), {
      kind: 'sse',
      body: fullReply(['after ', 'the wait']),
    });
    const r = await run(['-p', 'x'], { INKWELL_MAX_RETRIES: '1' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('after the wait\n');
    expect(r.stderr).toMatch(/rate limited.*retrying in 2 s/i);
  });

  it('error hints name flags and commands to run, never chat commands', async () => {
    server.enqueue(
      httpError(500, 'api_error', 'Internal', 'req_011CHINTS0000000000001'),
      { kind: 'sse', body: sse([messageStart(), ...textBlock(['Half'], 0, true), errorEvent('overloaded_error', 'Overloaded')]) },
      httpError(400, 'invalid_request_error', 'prompt is too long: 300000 tokens > 200000 maximum', 'req_011CHINTS0000000000003'),
    );
    for (let i = 0; i < 3; i++) {
      const r = await run(['-p', 'x']);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/\/(retry|continue|new)\b/);
      expect(r.stderr).toMatch(/run (it|the command) again|inkwell -c|without -c/i);
    }
  });

  it('a 404 from a wrong base-URL path says to check the base URL (an unknown model still names --model)', async () => {
    const r = await run(['-p', 'x'], { ANTHROPIC_BASE_URL: `${server.url}/wrong/prefix` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/base URL/);
    expect(r.stderr).not.toContain('--model');
    server.enqueue(httpError(404, 'not_found_error', 'model: claude-nope', 'req_011CNOTFOUNDMODEL000001'));
    const m = await run(['-p', 'x']);
    expect(m.stderr).toContain('--model');
  });

  it("a proxy's 502 HTML page is not blamed on the API, and its HTML is not shown", async () => {
    server.enqueue({
      kind: 'script',
      steps: [
        {
          kind: 'respond',
          status: 502,
          headers: { 'content-type': 'text/html' },
          body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
        },
      ],
    });
    const r = await run(['-p', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/proxy|gateway/i);
    expect(r.stderr).not.toMatch(/The API had an internal error/);
    expect(r.stderr).not.toContain('<html>');
  });

  it('json and stream-json escape C1 controls, BiDi and zero-width characters as \\uXXXX', async () => {
    const hostile = 'a\u0085b\u009bc\u202ed\u2066e\u200bf\u200dg\ufeffh\u2028i';
    for (const format of ['json', 'stream-json']) {
      server.enqueue({ kind: 'sse', body: fullReply([hostile]) });
      const r = await run(['-p', 'x', '--output-format', format]);
      const out = r.stdout.toString();
      expect(out).not.toMatch(/[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2028]/);
      for (const esc of ['\\u0085', '\\u009b', '\\u202e', '\\u2066', '\\u200b', '\\u200d', '\\ufeff', '\\u2028'])
        expect(out).toContain(esc);
      // Still the same JSON.
      const texts = out.includes('"text_delta"') ? out : out;
      expect(texts).toContain('a\\u0085b');
      if (format === 'json') expect((JSON.parse(out) as { content: Array<{ text: string }> }).content[0]!.text).toBe(hostile);
    }
  });

  const malformed: Record<string, string> = {
    'bad JSON mid-stream': `${partialReply(['Before ', 'the ', 'garbage.'])}event: content_block_delta\ndata: {not json\n\n`,
    'a delta for a block never started': sse([
      messageStart(),
      ...textBlock(['a'], 0, true),
      { type: 'content_block_delta', index: 5, delta: { type: 'text_delta', text: 'GHOST' } },
      { type: 'content_block_stop', index: 0 },
      ...messageEnd(),
    ]),
    'a text delta into a thinking block': sse([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'MISPLACED' } },
      { type: 'content_block_stop', index: 0 },
      ...textBlock(['shown'], 1),
      ...messageEnd(),
    ]),
    'a delta before any block': sse([
      messageStart(),
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ORPHAN' } },
      ...textBlock(['real'], 0),
      ...messageEnd(),
    ]),
  };
  for (const [name, body] of Object.entries(malformed)) {
    it(`a malformed stream (${name}): what is printed is what is saved`, async () => {
      const home = mkdtempSync(path.join(tmpdir(), 'inkwell-malformed-'));
      server.enqueue({ kind: 'script', steps: [{ kind: 'write', data: body }, { kind: 'end' }] });
      const r = await run(['-p', 'x'], { INKWELL_HOME: home });
      const dir = path.join(home, 'data', 'sessions');
      const [only] = listSessions(dir);
      const reply = only ? loadSession(dir, only.id).messages.find((m) => m.role === 'assistant') : undefined;
      const text = reply && reply.role === 'assistant' ? reply.content.map((b) => (b.type === 'text' ? b.text : '')).join('') : '';
      expect(r.stdout.toString().replace(/\n$/, '')).toBe(text);
    });
  }
});
