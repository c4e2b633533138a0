import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { listSessions } from '../../src/sessions/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
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

function app(home: string, cols: number, args: string[] = []): AppInPty {
  const a = spawnApp({
    home,
    cols,
    rows: 30,
    args: ['--model', MODEL, ...args],
    env: { ANTHROPIC_API_KEY: 'sk-ant-queue-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0' },
  });
  running.push(a);
  return a;
}

async function ask(a: AppInPty, prompt: string): Promise<void> {
  a.type(prompt);
  await a.waitFor(`› ${prompt}`);
  a.type(KEYS.enter);
}

/** The last user turn's text of each /v1/messages request the server got since `from`. */
function promptsSent(from: number): string[] {
  return server.requests
    .slice(from)
    .filter((r) => r.path === '/v1/messages')
    .map((r) => {
      const messages = (r.body as { messages: Array<{ role: string; content: unknown }> }).messages;
      const last = messages.at(-1)!;
      if (typeof last.content === 'string') return last.content;
      return (last.content as Array<{ type: string; text?: string }>)
        .filter((b) => b.type === 'text')
        .map((b) => b.text)
        .join('');
    });
}

/** A reply slow enough to type over (one word a line: a line shows once its newline arrives). */
const SLOW =
  'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'
    .split(' ')
    .join('\n');

const sessionsDir = (home: string) => path.join(home, 'data', 'sessions');

describe.each([100, 60])('type ahead at %i columns', (cols) => {
  it('Enter while a reply streams queues the prompt (no request), shown dimmed above the prompt; it is sent when the reply ends', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-queue-'));
    const from = server.requests.length;
    server.enqueue({ kind: 'sse', body: sseForText(SLOW, { model: MODEL }), tokensPerSecond: 5 });
    server.enqueue({ kind: 'sse', body: sseForText('Second answer here.', { model: MODEL }) });
    const a = app(home, cols);
    await a.waitFor('Ask Claude');
    await ask(a, 'count slowly');
    await a.waitFor('three');
    a.type('and in French');
    await a.waitFor('› and in French');
    a.type(KEYS.enter);
    const screen = await a.waitFor('queued › and in French');
    // Above the prompt: the row right over the prompt's row (the prompt is empty again).
    const rows = screen.split('\n');
    const promptRow = rows.findLastIndex((r) => r.startsWith('› '));
    expect(rows[promptRow - 1]).toContain('queued › and in French');
    // Dimmed (SGR 2 or the theme's muted colour): the xterm cell says so.
    const cell = a.term.buffer.active.getLine(a.term.buffer.active.viewportY + promptRow - 1)!.getCell(0)!;
    expect(cell.isDim() || !cell.isFgDefault()).toBeTruthy();
    // Nothing went to the API while the first reply streams.
    expect(promptsSent(from)).toEqual(['count slowly']);
    // The draft holds it while it waits.
    const [s] = listSessions(sessionsDir(home));
    expect(JSON.parse(readFileSync(path.join(sessionsDir(home), `${s!.id}.draft.json`), 'utf8')).queued).toEqual(['and in French']);
    await a.waitFor('Second answer here.', 20_000);
    expect(promptsSent(from)).toEqual(['count slowly', 'and in French']);
    const after = await a.waitFor((t) => !t.includes('queued ›'));
    expect(after).toContain('› and in French');
    expect(existsSync(path.join(sessionsDir(home), `${s!.id}.draft.json`))).toBe(false);
  });
});

describe('type ahead: held and cleared', () => {
  it('a reply that ends in an error does not send the queue and says so; Esc asks once, then clears it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-queue-err-'));
    const from = server.requests.length;
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '18-error-overloaded-midstream.sse'), intervalMs: 120 });
    const a = app(home, 80);
    await a.waitFor('Ask Claude');
    await ask(a, 'fail please');
    a.type('next one');
    await a.waitFor('› next one');
    a.type(KEYS.enter);
    await a.waitFor('queued › next one');
    await a.waitFor(/ended in an error, so the queued prompt was\s+not sent/, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(promptsSent(from)).toEqual(['fail please']);
    expect(a.screen()).toContain('queued › next one');
    a.type(KEYS.esc);
    await a.waitFor('Esc again clears the queued prompt');
    expect(a.screen()).toContain('queued › next one');
    a.type(KEYS.esc);
    await a.waitFor((t) => !t.includes('queued ›') && t.includes('Cleared 1 queued prompt'));
    const [s] = listSessions(sessionsDir(home));
    expect(existsSync(path.join(sessionsDir(home), `${s!.id}.draft.json`))).toBe(false);
    expect(promptsSent(from)).toEqual(['fail please']);
  });

  it('a queued prompt survives kill -9: it is back, held, when the session is opened again, and Enter sends it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-queue-kill-'));
    const from = server.requests.length;
    server.enqueue({ kind: 'sse', body: sseForText(SLOW, { model: MODEL }), tokensPerSecond: 3 });
    const first = app(home, 90);
    await first.waitFor('Ask Claude');
    await ask(first, 'count slowly');
    await first.waitFor('two');
    await ask(first, 'the queued one');
    await first.waitFor('queued › the queued one');
    // Let a checkpoint of the reply (once a second) reach the disk: the reply comes back interrupted.
    await new Promise((r) => setTimeout(r, 1300));
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(promptsSent(from)).toEqual(['count slowly']);

    server.enqueue({ kind: 'sse', body: sseForText('Answer to the queued one.', { model: MODEL }) });
    const second = app(home, 90, ['-c']);
    const screen = await second.waitFor('queued › the queued one');
    expect(screen).toMatch(/A prompt queued before inkwell stopped is back/);
    await new Promise((r) => setTimeout(r, 300));
    expect(promptsSent(from)).toEqual(['count slowly']);
    second.type(KEYS.enter);
    await second.waitFor('Answer to the queued one.');
    expect(promptsSent(from).at(-1)).toBe('the queued one');
  });
});
