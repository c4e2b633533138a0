import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sseForText, startMessagesServer, textTokens } from '../../src/server/index.js';
import { createSession, listSessions, loadSession, nodeWriterFs } from '../../src/sessions/index.js';
import { FIXTURES, fixtureSummary } from '../helpers/fixtures.js';
import { CLI, KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

function app(home: string, args: string[] = [], rows = 40): AppInPty {
  const a = spawnApp({
    home,
    rows,
    cols: 100,
    args: ['--model', 'claude-sonnet-4-6', ...args],
    env: { ANTHROPIC_API_KEY: 'sk-ant-sessions-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0' },
  });
  running.push(a);
  return a;
}

async function ask(a: AppInPty, prompt: string): Promise<void> {
  a.type(prompt);
  await a.waitFor(`› ${prompt}`);
  a.type(KEYS.enter);
}

const sessionsDir = (home: string) => path.join(home, 'data', 'sessions');

async function quit(a: AppInPty): Promise<void> {
  a.type(KEYS.ctrlC);
  await a.waitFor('Press Ctrl+C again');
  a.type(KEYS.ctrlC);
  expect(await a.exited).toBe(0);
}

describe('saved sessions, end to end', () => {
  it('kill -9 mid-stream, then inkwell -c: every earlier message and the partial reply, marked interrupted', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-kill-'));
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '01-text-short-sonnet45.sse') });
    const first = app(home);
    await first.waitFor('Ask Claude');
    await ask(first, 'pelican names');
    await first.waitFor('last in');
    // A long reply, slowly: kill the app while it streams.
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '03-text-long-markdown-compaction-opus46.sse'), tokensPerSecond: 60 });
    await ask(first, 'the long one');
    const long = fixtureSummary('03-text-long-markdown-compaction-opus46.sse').text;
    const opening = long.trim().split('\n')[0]!.replace(/[#*`]/g, '').trim().slice(0, 20);
    await first.waitFor(opening);
    // Let at least one checkpoint (once a second) reach the disk.
    await new Promise((r) => setTimeout(r, 1300));
    first.proc.kill('SIGKILL');
    await first.exited;

    const saved = listSessions(sessionsDir(home));
    expect(saved).toHaveLength(1);
    const second = app(home, ['-c'], 60);
    const screen = await second.waitFor('Interrupted');
    expect(screen).toContain('inkwell stopped before the reply finished');
    // Home shows the start of the conversation: the earlier exchange is there too.
    second.type(KEYS.home);
    const top = await second.waitFor('› pelican names');
    expect(top).toContain('Captain');
    second.type(KEYS.end);
    await second.waitFor('› the long one');
    const loaded = loadSession(sessionsDir(home), saved[0]!.id);
    const replies = loaded.messages.filter((m) => m.role === 'assistant');
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatchObject({ status: 'interrupted' });
  });

  it('a reply cut at max_tokens, before and after continuing: one message on screen and on disk', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-cont-e2e-'));
    const model = 'claude-sonnet-4-6';
    const whole = 'The first part of the answer runs on and on until the budget runs out.';
    const shown = textTokens(whole).slice(0, 8).join('');
    server.enqueue({ kind: 'sse', body: sseForText(whole, { model, maxTokens: 8 }) });
    const a = app(home);
    await a.waitFor('Ask Claude');
    await ask(a, 'go');
    // The notice under the reply and the status bar's warning (painted in the same frame or the next).
    await a.waitFor(
      (s) => s.includes('Stopped at max_tokens') && s.includes('⚠ stopped at max_tokens') && s.includes('Enter continues the cut reply'),
    );
    // The model restates the last word it wrote, as models do; the seam drops the repeat.
    const lastWord = shown.trim().split(' ').at(-1)!;
    server.enqueue({ kind: 'sse', body: sseForText(lastWord + whole.slice(shown.length), { model }) });
    a.type(KEYS.enter);
    const after = await a.waitFor((s) => s.replace(/\s+/g, ' ').includes(whole) && s.includes('last in'));
    expect(after).not.toContain('Stopped at max_tokens');
    expect(after.match(/●/g)?.length).toBe(1);
    await quit(a);
    const [s] = listSessions(sessionsDir(home));
    const loaded = loadSession(sessionsDir(home), s!.id);
    const replies = loaded.messages.filter((m) => m.role === 'assistant');
    expect(replies).toHaveLength(1);
  });

  it('a second window on the same session opens it read-only and says so', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-lock-'));
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '01-text-short-sonnet45.sse') });
    const one = app(home);
    await one.waitFor('Ask Claude');
    await ask(one, 'hello');
    await one.waitFor('last in');
    const two = app(home, ['-c']);
    await two.waitFor((s) => s.includes('read-only') && /another inkwell window/.test(s));
  });

  it('sessions list, show, rename, export and delete from the command line', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-cli-'));
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '02-text-medium-markdown-list-sonnet45.sse') });
    const a = app(home);
    await a.waitFor('Ask Claude');
    await ask(a, 'describe the picture');
    await a.waitFor('last in');
    await quit(a);
    const env = { ...process.env, INKWELL_HOME: home, ANTHROPIC_API_KEY: 'sk-ant-sessions-e2e' };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
    const list = run('sessions', 'list', '--json');
    const [s] = JSON.parse(list.stdout) as Array<{ id: string; title: string; messageCount: number }>;
    expect(s).toMatchObject({ title: 'describe the picture', messageCount: 2 });
    expect(run('sessions', 'rename', s!.id, 'Picture', 'notes').status).toBe(0);
    expect(run('sessions', 'list').stdout).toContain('Picture notes');
    const out = path.join(home, 'export.md');
    expect(run('sessions', 'export', 'Picture notes', '--format', 'md', '-o', out).status).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('# Picture notes');
    expect(md).toContain('describe the picture');
    expect(md).not.toContain('sk-ant-sessions-e2e');
    expect(run('sessions', 'show', s!.id.slice(0, 4)).stdout).toContain('describe the picture');
    expect(run('sessions', 'delete', 'nope-no-such').status).toBe(1);
    expect(run('sessions', 'delete', s!.id).status).toBe(0);
    expect(run('sessions', 'list').stdout).toContain('No saved sessions yet.');
  });
  it('a 2,000-message session opens at its end, and Home and End reach both ends of it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-long-'));
    const w = createSession(sessionsDir(home), { model: 'claude-sonnet-4-6' }, { fs: { ...nodeWriterFs, fsync: () => {} } });
    for (let n = 0; n < 1000; n++) {
      const at = 1_700_000_000_000 + n * 1000;
      w.appendUser({ role: 'user', id: `u${n}`, text: `Question number ${n}`, createdAt: at });
      w.appendAssistant({
        role: 'assistant',
        id: `a${n}`,
        model: 'claude-sonnet-4-6',
        stop_reason: 'end_turn',
        stop_sequence: null,
        stop_details: null,
        content: [{ type: 'text', text: `## Answer ${n}\n\nSome **markdown** with \`code\`.\n\n- one\n- two\n`, citations: [] }],
        usage: { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        usageFinal: true,
        status: 'complete',
        interruption: null,
        requestId: null,
        apiId: null,
        startedAt: at,
        firstTokenAt: at + 1,
        endedAt: at + 2,
      });
    }
    w.close();
    const a = app(home, ['-c'], 30);
    await a.waitFor('Question number 999');
    a.type(KEYS.home);
    const top = await a.waitFor('Question number 0\n');
    expect(top).toContain('Answer 0');
    a.type(KEYS.pageDown);
    await a.waitFor('Answer 2');
    a.type(KEYS.end);
    const bottom = await a.waitFor((s) => s.includes('Answer 999') && !s.includes('more lines below'));
    expect(bottom).not.toContain('Question number 0\n');
  });
});
