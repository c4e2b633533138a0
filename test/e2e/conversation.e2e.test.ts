import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHttpFixture, sseForText, startMessagesServer } from '../../src/server/index.js';
import { listSessions, loadSession } from '../../src/sessions/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

/** Conversation correctness, seen on the screen of the built app (issue 22). */

const MODEL = 'claude-sonnet-4-6';
const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

function app(o: { cols: number; home?: string; args?: string[]; rows?: number }): AppInPty {
  const a = spawnApp({
    cols: o.cols,
    rows: o.rows ?? 30,
    ...(o.home ? { home: o.home } : {}),
    args: ['--model', MODEL, ...(o.args ?? [])],
    env: { ANTHROPIC_API_KEY: 'sk-ant-conversation-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0' },
  });
  running.push(a);
  return a;
}

const sessionsDir = (home: string) => path.join(home, 'data', 'sessions');
const count = (s: string, needle: string) => s.split(needle).length - 1;

/** The `messages` of the POSTs to /v1/messages from index `from` on. */
function posted(from: number): { role: string; content: unknown }[][] {
  return server.requests
    .slice(from)
    .filter((r) => r.path === '/v1/messages')
    .map((r) => (r.body as { messages: { role: string; content: unknown }[] }).messages);
}

describe.each([100, 52])('at %i columns', (cols) => {
  it('a prompt whose request failed is shown as not sent, put back in the editor, and sent once on Enter', async () => {
    server.enqueue(loadHttpFixture(path.join(FIXTURES, 'http/500-api-error.json')));
    const a = app({ cols });
    await a.waitFor('Ask Claude');
    const from = server.requests.length;
    a.type('pelican facts');
    await a.waitFor('› pelican facts');
    a.type(KEYS.enter);
    // Marked in the transcript, and back in the prompt: the text shows twice.
    const failed = await a.waitFor((s) => s.includes('✗ not sent') && count(s, '› pelican facts') === 2);
    expect(failed).not.toContain('Ask Claude');
    server.enqueue({ kind: 'sse', body: sseForText('Pelicans have throat pouches.', { model: MODEL }) });
    a.type(KEYS.enter);
    await a.waitFor((s) => s.includes('Pelicans have throat pouches.') && s.includes('Ask Claude'));
    const [first, second] = posted(from);
    expect(first).toHaveLength(1);
    // The second request carries the prompt once: not "pelican facts\n\npelican facts".
    expect(second).toHaveLength(1);
    expect(JSON.stringify(second![0]!.content)).not.toContain('pelican facts\\n\\npelican facts');
    expect(JSON.stringify(second![0]!.content)).toContain('pelican facts');
    // On disk: the failed prompt is kept, marked; the one sent again is not.
    const [s] = listSessions(sessionsDir(a.home));
    const users = loadSession(sessionsDir(a.home), s!.id).messages.filter((m) => m.role === 'user');
    expect(users.map((u) => (u.role === 'user' ? [u.text, u.unsent === true] : null))).toEqual([
      ['pelican facts', true],
      ['pelican facts', false],
    ]);
  });

  it('Ctrl+C while a reply streams stops it, a second Ctrl+C quits, and the main screen says how to resume', async () => {
    const a = app({ cols });
    await a.waitFor('Ask Claude');
    server.enqueue({
      kind: 'sse',
      body: sseForText(Array.from({ length: 300 }, (_, i) => `line ${i}\n\n`).join(''), { model: MODEL }),
      tokensPerSecond: 20,
    });
    a.type('a long one');
    await a.waitFor('› a long one');
    a.type(KEYS.enter);
    await a.waitFor('line 3');
    a.type(KEYS.ctrlC);
    await a.waitFor((s) => s.includes('Press Ctrl+C again to quit') && s.includes('Interrupted'));
    a.type(KEYS.ctrlC);
    expect(await a.exited).toBe(0);
    const [saved] = listSessions(sessionsDir(a.home));
    // Back on the main screen, after the terminal was restored.
    const main = await a.waitFor('Resume it with');
    expect(main.replace(/\s+/g, ' ')).toContain(`inkwell -c (or inkwell -r ${saved!.id})`);
  });

  it('Ctrl+C on a draft saves it to the history and says so; only the empty prompt’s second Ctrl+C quits', async () => {
    const a = app({ cols });
    await a.waitFor('Ask Claude');
    a.type('half-written thought');
    await a.waitFor('› half-written thought');
    a.type(KEYS.ctrlC);
    await a.waitFor((s) => s.includes('Draft saved to history') && !s.includes('› half-written thought'));
    // ↑ brings it back.
    a.type('\x1b[A');
    await a.waitFor('› half-written thought');
    a.type('\x15');
    await a.waitFor('Ask Claude');
    a.type(KEYS.ctrlC);
    await a.waitFor('Press Ctrl+C again to quit');
    a.type(KEYS.ctrlC);
    expect(await a.exited).toBe(0);
    // Nothing was said, so nothing was saved and there is nothing to resume.
    expect(a.screen()).not.toContain('Resume it with');
    const history = readFileSync(path.join(a.home, 'state', 'prompt-history.jsonl'), 'utf8');
    expect(history).toContain('half-written thought');
  });

  it('a read-only second window says at the prompt that nothing is saved, and /fork continues in a new session that saves', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-fork-'));
    server.enqueue({ kind: 'sse', body: sseForText('The first answer.', { model: MODEL }) });
    const one = app({ cols, home });
    await one.waitFor('Ask Claude');
    one.type('hello there');
    await one.waitFor('› hello there');
    one.type(KEYS.enter);
    await one.waitFor((s) => s.includes('The first answer.') && s.includes('Ask Claude'));
    const [original] = listSessions(sessionsDir(home));

    const two = app({ cols, home, args: ['-c'] });
    const readOnly = await two.waitFor('Read-only: nothing you send');
    expect(readOnly).not.toContain('Ask Claude');
    expect(readOnly.replace(/\s+/g, ' ')).toContain('/fork continues in a new session');
    two.type('/fork');
    await two.waitFor('› /fork');
    two.type(KEYS.enter);
    await two.waitFor((s) => s.includes('Forked into a new session') && s.includes('Ask Claude'));
    server.enqueue({ kind: 'sse', body: sseForText('Saved this time.', { model: MODEL }) });
    two.type('after the fork');
    await two.waitFor('› after the fork');
    two.type(KEYS.enter);
    await two.waitFor((s) => s.includes('Saved this time.') && s.includes('Ask Claude'));

    const all = listSessions(sessionsDir(home));
    expect(all).toHaveLength(2);
    const fork = all.find((x) => x.id !== original!.id)!;
    expect(fork.title).toBe(`${original!.title} (fork)`);
    const texts = loadSession(sessionsDir(home), fork.id)
      .messages.filter((m) => m.role !== 'notice')
      .map((m) =>
        m.role === 'user' ? m.text : m.role === 'assistant' ? m.content.map((b) => (b.type === 'text' ? b.text : '')).join('') : '',
      );
    expect(texts).toEqual(['hello there', 'The first answer.', 'after the fork', 'Saved this time.']);
    // The first window's session is left as it was.
    expect(loadSession(sessionsDir(home), original!.id).messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('the picker counts prompts and replies (not notices), and Ctrl+U clears its rename field', async () => {
    server.enqueue(loadHttpFixture(path.join(FIXTURES, 'http/500-api-error.json')), {
      kind: 'sse',
      body: sseForText('An answer.', { model: MODEL }),
    });
    const a = app({ cols });
    await a.waitFor('Ask Claude');
    a.type('gardening tips');
    await a.waitFor('› gardening tips');
    a.type(KEYS.enter);
    await a.waitFor('✗ not sent');
    a.type(KEYS.enter);
    await a.waitFor((s) => s.includes('An answer.') && s.includes('Ask Claude'));
    // On disk: the unsent prompt, the error notice, the prompt sent again and its reply.
    a.type('/sessions');
    await a.waitFor('› /sessions');
    a.type(KEYS.enter);
    // Prompts and replies: the notice is not counted (it was 4).
    await a.waitFor((s) => s.includes('Sessions') && s.includes('3 messages'));
    a.type('r');
    await a.waitFor('Rename: gardening tips');
    a.type('\x15');
    await a.waitFor((s) => !s.includes('Rename: gardening tips') && s.includes('Rename:'));
    a.type('Roses in spring');
    await a.waitFor('Rename: Roses in spring');
    a.type(KEYS.enter);
    await a.waitFor('Renamed to "Roses in spring"');
    const [saved] = listSessions(sessionsDir(a.home));
    expect(saved!.title).toBe('Roses in spring');
  });

  it('a system prompt set with /system comes back with -c, and the next request carries it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-system-'));
    server.enqueue({ kind: 'sse', body: sseForText('Arr.', { model: MODEL }) });
    const one = app({ cols, home });
    await one.waitFor('Ask Claude');
    one.type('/system Talk like a pirate.');
    await one.waitFor('› /system Talk');
    one.type(KEYS.enter);
    await one.waitFor('System prompt set');
    one.type('hello');
    await one.waitFor('› hello');
    one.type(KEYS.enter);
    await one.waitFor((s) => s.includes('Arr.') && s.includes('Ask Claude'));
    one.type(KEYS.ctrlC);
    await one.waitFor('Press Ctrl+C again');
    one.type(KEYS.ctrlC);
    expect(await one.exited).toBe(0);

    const two = app({ cols, home, args: ['-c'] });
    await two.waitFor('Ask Claude');
    two.type('/system');
    await two.waitFor('› /system');
    two.type(KEYS.enter);
    await two.waitFor((s) => s.replace(/\s+/g, ' ').includes('System prompt: Talk like a pirate.'));
    server.enqueue({ kind: 'sse', body: sseForText('Aye.', { model: MODEL }) });
    const from = server.requests.length;
    two.type('again');
    await two.waitFor('› again');
    two.type(KEYS.enter);
    await two.waitFor('Aye.');
    const body = server.requests.slice(from).find((r) => r.path === '/v1/messages')!.body as { system?: unknown };
    expect(JSON.stringify(body.system)).toContain('Talk like a pirate.');
  });
});
