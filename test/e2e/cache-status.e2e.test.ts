import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer } from '../../src/server/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];

afterEach(() => {
  while (running.length) running.pop()!.kill();
});

/** The clock's `m:ss` as seconds. */
const seconds = (clock: string): number => {
  const [m, s] = clock.split(':').map(Number);
  return m! * 60 + s!;
};

describe('the cache hit rate and the cache clock in the status bar', () => {
  it('after a reply that read the cache: `cache 99%` and a clock that counts down while idle, compact when narrow', async () => {
    // Fixture 05: input 3, cache_read 18,639 → 18,639 ÷ 18,642 = 99.98 % (floored to 99).
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '05-max-tokens-cache-read-sonnet46.sse') });
    const a = spawnApp({
      cols: 180,
      rows: 30,
      args: ['--model', 'claude-sonnet-4-6'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-secret', ANTHROPIC_BASE_URL: server.url },
    });
    running.push(a);
    await a.waitFor('Ask Claude');
    a.type('hello');
    a.type(KEYS.enter);
    const status = () => a.lines().find((l) => l.includes(' · ')) ?? '';
    await a.waitFor(() => /cache 99% .*warm [45]:\d\d$/.test(status().trimEnd()));
    const first = /warm (\d:\d\d)$/.exec(status().trimEnd())![1]!;
    expect(seconds(first)).toBeGreaterThan(240);
    // Idle: nothing streams, yet the clock moves (the view's one-second repaint).
    await a.waitFor(() => {
      const now = /warm (\d:\d\d)$/.exec(status().trimEnd())?.[1];
      return now !== undefined && seconds(now) <= seconds(first) - 2;
    }, 6000);

    a.proc.resize(72, 30);
    a.term.resize(72, 30);
    const narrow = await a.waitFor(() => /w[45]:\d\d$/.test(status().trimEnd()) && !status().includes('warm'));
    const line = narrow.split('\n').find((l) => l.includes(' · '))!;
    expect(line.trimEnd().length).toBeLessThanOrEqual(72);
    expect(line).not.toContain('cache 99%');
  }, 30_000);
});
