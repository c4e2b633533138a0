import * as fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relativeTime } from '../../src/domain/time.js';
import { SEARCH_INDEX_NAME } from '../../src/sessions/index.js';
import { runPiped } from '../helpers/cli.js';
import { spawnApp } from '../helpers/pty.js';
import { writeSession } from '../sessions/search-gen.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

/** An INKWELL_HOME with two saved sessions. */
function home() {
  const h = mkdtempSync(path.join(tmpdir(), 'inkwell-search-'));
  homes.push(h);
  const dir = path.join(h, 'data', 'sessions');
  // Three and a half hours ago: "3 hours ago" for minutes either side of the run.
  const t = Date.now() - 3.5 * 3_600_000;
  const a = writeSession(dir, [['Where do pelicans live?', 'Pelicans live on coasts, lakes and rivers.']], t);
  const b = writeSession(dir, [['Rust lifetimes', 'A lifetime names how long a \u001b[31mborrow\u001b[0m is valid.']], t + 60_000);
  // writeSession's clock: header at t, then 1 s a message (the reply is the last record).
  return { home: h, dir, a: a.id, b: b.id, updatedA: t + 2000 };
}

describe('inkwell sessions search (piped)', () => {
  it('prints each hit as id, date, title and a plain snippet, exit 0', async () => {
    const s = home();
    const r = await runPiped(['sessions', 'search', 'pelicans'], { env: { INKWELL_HOME: s.home } });
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    const when = relativeTime(s.updatedA, Date.now()).padEnd(11);
    expect(out).toBe(`${s.a}  ${when}  Where do pelicans live?  (3 matches)\n    Pelicans live on coasts, lakes and rivers.\n`);
    expect(r.stderr).toBe('');
  });

  it('no hit: one line, exit 1', async () => {
    const s = home();
    const r = await runPiped(['sessions', 'search', 'zebra', 'crossing'], { env: { INKWELL_HOME: s.home } });
    expect(r.code).toBe(1);
    expect(r.stdout.toString()).toBe('No session matches "zebra crossing".\n');
  });

  it('--json for scripts (hits and no hits), escapes from model text never printed raw', async () => {
    const s = home();
    const r = await runPiped(['sessions', 'search', '--json', 'borrow'], { env: { INKWELL_HOME: s.home } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout.toString());
    expect(j).toMatchObject({
      query: 'borrow',
      total: 1,
      hits: [{ sessionId: s.b, messageId: 'a0', role: 'assistant', title: 'Rust lifetimes' }],
    });
    const hit = j.hits[0];
    expect(hit.highlights.map(([a, b]: [number, number]) => hit.snippet.slice(a, b))).toEqual(['borrow']);
    expect(hit.snippet).not.toContain('\u001b');
    const none = await runPiped(['sessions', 'search', '--json', 'zebra'], { env: { INKWELL_HOME: s.home } });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout.toString())).toEqual({ query: 'zebra', total: 0, hits: [] });
  });

  it('keeps its index private beside the sessions, and the scan fallback answers the same', async () => {
    const s = home();
    const indexed = await runPiped(['sessions', 'search', 'lifetime'], { env: { INKWELL_HOME: s.home } });
    expect(fs.statSync(path.join(s.dir, SEARCH_INDEX_NAME)).mode & 0o777).toBe(0o600);
    const scanned = await runPiped(['sessions', 'search', 'lifetime'], { env: { INKWELL_HOME: s.home, INKWELL_SEARCH: 'scan' } });
    expect(scanned.stdout.toString()).toBe(indexed.stdout.toString());
    expect(scanned.code).toBe(0);
  });
});

describe('inkwell sessions search (terminal)', () => {
  it.each([60, 100])('marks the matched words inverse and bold at %i columns', async (cols) => {
    const s = home();
    const app = spawnApp({ args: ['sessions', 'search', 'pelicans'], home: s.home, cols, rows: 10 });
    try {
      expect(await app.exited).toBe(0);
      await app.waitFor('Pelicans live');
      const row = app.lines().findIndex((l) => l.includes('Pelicans live'));
      const line = app.term.buffer.active.getLine(row)!;
      const col = app.lines()[row]!.indexOf('Pelicans');
      const marked = (x: number) => {
        const cell = line.getCell(x)!;
        return cell.isInverse() !== 0 && cell.isBold() !== 0;
      };
      expect(marked(col)).toBe(true);
      expect(marked(col + 'Pelicans'.length)).toBe(false);
      expect(app.raw()).not.toContain('\u001b[31m');
    } finally {
      app.kill();
    }
  });
});
