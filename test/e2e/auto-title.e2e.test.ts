import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer } from '../../src/server/index.js';
import { listSessions } from '../../src/sessions/index.js';
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

function app(home: string, cols: number, autoTitle: '1' | '0'): AppInPty {
  const a = spawnApp({
    home,
    cols,
    rows: 24,
    args: ['--model', 'claude-sonnet-4-6'],
    env: { ANTHROPIC_API_KEY: 'sk-ant-title-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0', INKWELL_AUTO_TITLE: autoTitle },
  });
  running.push(a);
  return a;
}

const posts = () => server.requests.filter((r) => r.path === '/v1/messages');
const sessionsDir = (home: string) => path.join(home, 'data', 'sessions');

describe('session titles written by a small model', () => {
  it.each([80, 120])('after the first reply the title appears in the status bar and is an appended record (%i columns)', async (cols) => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-title-'));
    const before = posts().length;
    const a = app(home, cols, '1');
    await a.waitFor('Ask Claude');
    a.type('how do pelicans fish');
    await a.waitFor('› how do pelicans fish');
    a.type(KEYS.enter);
    // The status bar shows it (cut with an ellipsis when narrow).
    await a.waitFor(/· Notes on |^Notes on /m);
    const sent = posts().slice(before);
    expect(sent).toHaveLength(2);
    const title = sent[1]!.body as { model: string; system: string; stream?: boolean };
    expect(title.model).toBe('claude-haiku-4-5');
    expect(title.system).toMatch(/^You name chat sessions/);
    expect(title.stream).toBeUndefined();
    const [s] = listSessions(sessionsDir(home));
    expect(s!.title).toMatch(/^Notes on \w+: how do pelicans fish$/);
    const last = readFileSync(s!.path, 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ k: 'title', auto: { model: 'claude-haiku-4-5' } });
  });

  it('autoTitle off: no request beside the reply, the first prompt stays the title', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-title-'));
    const before = posts().length;
    const a = app(home, 100, '0');
    await a.waitFor('Ask Claude');
    a.type('how do herons fish');
    await a.waitFor('› how do herons fish');
    a.type(KEYS.enter);
    await a.waitFor('last in');
    await new Promise((r) => setTimeout(r, 500));
    expect(posts().length - before).toBe(1);
    expect(listSessions(sessionsDir(home))[0]!.title).toBe('how do herons fish');
  });
});
