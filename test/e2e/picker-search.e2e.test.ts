import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer } from '../../src/server/index.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';
import { writeSession } from '../sessions/search-gen.js';

const server = provide(
  () => startMessagesServer({ defaultScenario: { kind: 'demo', tokensPerSecond: 0 } }),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

/** A home with one long session: 40 turns, the word "albatross" only in turn 3's reply. */
function home(): { home: string; id: string } {
  const h = mkdtempSync(path.join(tmpdir(), 'inkwell-picker-search-'));
  const turns: Array<[string, string]> = [];
  for (let i = 0; i < 40; i++)
    turns.push([`Question ${i}`, i === 3 ? 'Marker reply: the albatross glides.' : `Answer ${i} about nothing much.`]);
  const w = writeSession(path.join(h, 'data', 'sessions'), turns, Date.now() - 3_600_000, 'Seabirds');
  return { home: h, id: w.id };
}

describe('the picker searches message text through the index and jumps to the match', () => {
  it.each([80, 120])('%i columns', async (cols) => {
    const s = home();
    const a = spawnApp({
      home: s.home,
      cols,
      rows: 20,
      args: ['--model', 'claude-sonnet-4-6', '-r'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-picker-e2e', ANTHROPIC_BASE_URL: server.url },
    });
    running.push(a);
    await a.waitFor('Seabirds');
    a.type('albatross');
    await a.waitFor('1 of 1 match');
    a.type(KEYS.enter);
    // The matching reply is at the top of the window, not the end of the session.
    await a.waitFor('Marker reply: the albatross glides.');
    const lines = a.lines();
    expect(lines.findIndex((l) => l.includes('Marker reply'))).toBe(0);
    expect(a.screen()).not.toContain('Answer 39 about nothing much.');
  });
});
