import { appendFileSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteSession } from '../../src/sessions/delete.js';
import { findSession, latestSession, listSessions } from '../../src/sessions/list.js';
import { loadSession } from '../../src/sessions/load.js';
import { openSessionForWriting } from '../../src/sessions/open.js';
import { LIST_CACHE_NAME, lockPath, sessionPath } from '../../src/sessions/paths.js';
import { renameSession } from '../../src/sessions/rename.js';
import { createSession, type SessionWriter } from '../../src/sessions/store.js';
import { initialConversation, streamTurn, tempDir } from './helpers.js';

/** A closed session whose records are stamped from `t` on, one turn per prompt. */
function session(dir: string, t: number, prompts: number, opts: { title?: string } = {}): SessionWriter {
  let clock = t;
  const w = createSession(dir, { model: 'claude-haiku-4-5', title: opts.title ?? null }, { now: () => clock++ });
  let s = initialConversation();
  for (let i = 1; i <= prompts; i++) s = streamTurn(s, w, i, '01-text-short-sonnet45.sse');
  w.close();
  return w;
}

describe('the session list', () => {
  it('is newest activity first, with titles, counts and the damaged flag', () => {
    const dir = tempDir();
    const old = session(dir, 1_000, 1, { title: 'Old one' });
    const mid = session(dir, 2_000, 2);
    const recent = session(dir, 3_000, 3);
    const broken = session(dir, 500, 2, { title: 'Broken' });
    appendFileSync(
      broken.path,
      'garbage line\n{"v":1,"k":"user","id":"u9","at":2500,"message":{"role":"user","id":"u9","text":"late","createdAt":2500}}\n',
    );
    const list = listSessions(dir);
    expect(list.map((s) => s.id)).toEqual([recent.id, broken.id, mid.id, old.id]);
    expect(list.map((s) => s.damaged)).toEqual([false, true, false, false]);
    expect(list.map((s) => s.messageCount)).toEqual([6, 5, 4, 2]);
    expect(list[2]).toMatchObject({
      title: 'Prompt number 1: tell me about 01-text-short-sonnet45.sse',
      model: 'claude-haiku-4-5',
      path: mid.path,
    });
    expect(list[3]?.title).toBe('Old one');
    for (const s of list) expect(s.messageCount).toBe(loadSession(dir, s.id).messages.length);
    expect(latestSession(dir)?.id).toBe(recent.id);
  });

  it('a cut-short last line is not damage; a missing header or a newer format is', () => {
    const dir = tempDir();
    const torn = session(dir, 1_000, 1);
    const raw = readFileSync(torn.path);
    writeFileSync(torn.path, raw.subarray(0, raw.length - 20));
    const headless = session(dir, 2_000, 1);
    writeFileSync(headless.path, readFileSync(headless.path, 'utf8').split('\n').slice(1).join('\n'));
    const newer = session(dir, 3_000, 1);
    appendFileSync(newer.path, '{"v":2,"k":"reaction","at":3500}\n');
    const byId = new Map(listSessions(dir).map((s) => [s.id, s]));
    expect(byId.get(torn.id)?.damaged).toBe(false);
    expect(byId.get(headless.id)?.damaged).toBe(true);
    expect(byId.get(newer.id)?.damaged).toBe(true);
  });

  it('stays right after appends, deletes and a corrupt cache (the cache is verified, never trusted)', () => {
    const dir = tempDir();
    const a = session(dir, 1_000, 1);
    const b = session(dir, 2_000, 1);
    expect(listSessions(dir).map((s) => s.id)).toEqual([b.id, a.id]);
    expect(existsSync(path.join(dir, LIST_CACHE_NAME))).toBe(true);
    // a gets a new turn (as another window would write it): it moves to the top with 4 messages.
    let clock = 5_000;
    const opened = openWriter(dir, a.id, () => clock++);
    streamTurn(initialConversation(), opened, 7, '01-text-short-sonnet45.sse');
    opened.close();
    let list = listSessions(dir);
    expect(list.map((s) => [s.id, s.messageCount])).toEqual([
      [a.id, 4],
      [b.id, 2],
    ]);
    writeFileSync(path.join(dir, LIST_CACHE_NAME), '{"version":1,"entries":{"x":');
    list = listSessions(dir);
    expect(list.map((s) => [s.id, s.messageCount])).toEqual([
      [a.id, 4],
      [b.id, 2],
    ]);
    expect(deleteSession(dir, b.id)).toEqual({ ok: true });
    expect(listSessions(dir).map((s) => s.id)).toEqual([a.id]);
    const cache = JSON.parse(readFileSync(path.join(dir, LIST_CACHE_NAME), 'utf8')) as { entries: object };
    expect(Object.keys(cache.entries)).toEqual([`${a.id}.jsonl`]);
  });

  it('--continue picks the latest activity from the last records, whatever the file order, cache or size', () => {
    const dir = tempDir();
    // `small` is written last (the newest file), but its records are the oldest.
    const big = session(dir, 5_000, 80); // well over the 64 KB read from a file's end
    const small = session(dir, 1_000, 1);
    expect(readFileSync(big.path).length).toBeGreaterThan(64 * 1024);
    expect(latestSession(dir)).toMatchObject({ id: big.id, path: big.path });
    expect(latestSession(dir)?.updatedAt).toBe(listSessions(dir)[0]!.updatedAt);
    // The cache now holds both; more activity in the small one (a stale cache entry) wins. (A
    // rename is not activity: see the test on renames below.)
    appendFileSync(
      small.path,
      `{"v":2,"k":"user","id":"late","at":9000,"message":{"role":"user","id":"late","text":"later","createdAt":9000}}\n`,
    );
    expect(latestSession(dir)?.id).toBe(small.id);
    expect(listSessions(dir)[0]!.id).toBe(small.id);
  });

  it('a missing sessions directory lists as empty', () => {
    expect(listSessions(path.join(tempDir(), 'nope'))).toEqual([]);
    expect(latestSession(path.join(tempDir(), 'nope'))).toBeNull();
  });
});

/** Resumes a session through the public path (lock, load, writer). */
function openWriter(dir: string, id: string, now: () => number): SessionWriter {
  const o = openSessionForWriting(dir, id, { now });
  if (!o.writer) throw new Error(o.readOnly?.reason);
  return o.writer;
}

describe('finding a session by what the user typed', () => {
  it('exact id, unique id prefix, exact title, title substring; ambiguity is reported', () => {
    const dir = tempDir();
    const a = session(dir, 1_000, 1, { title: 'Pelican names' });
    const b = session(dir, 2_000, 1, { title: 'Pelican facts' });
    copyFileSync(a.path, sessionPath(dir, 'zzzz2222'));
    copyFileSync(b.path, sessionPath(dir, 'zzzz3333'));
    expect(findSession(dir, a.id)).toMatchObject({ kind: 'found', session: { id: a.id } });
    expect(findSession(dir, 'zzzz2')).toMatchObject({ kind: 'found', session: { id: 'zzzz2222' } });
    const amb = findSession(dir, 'zzzz');
    expect(amb.kind).toBe('ambiguous');
    if (amb.kind === 'ambiguous') expect(amb.matches.map((s) => s.id).sort()).toEqual(['zzzz2222', 'zzzz3333']);
    // Two sessions (a copy) share each title: exact title is ambiguous, a renamed one is unique.
    expect(findSession(dir, 'pelican  NAMES').kind).toBe('ambiguous');
    expect(renameSession(dir, 'zzzz3333', 'Storks, mostly')).toEqual({ ok: true });
    expect(findSession(dir, 'storks')).toMatchObject({ kind: 'found', session: { id: 'zzzz3333', title: 'Storks, mostly' } });
    expect(findSession(dir, 'nothing like this')).toEqual({ kind: 'none' });
    expect(findSession(dir, '   ')).toEqual({ kind: 'none' });
  });
});

describe('delete and rename', () => {
  it('delete refuses while another window holds the session, and removes file and lock otherwise', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' });
    const r = deleteSession(dir, w.id);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/open in another inkwell window/);
    expect(existsSync(w.path)).toBe(true);
    w.close();
    writeFileSync(lockPath(dir, w.id), JSON.stringify({ pid: 999_999_999, hostname: os.hostname(), started: '', procStart: null }));
    expect(deleteSession(dir, w.id)).toEqual({ ok: true });
    expect(existsSync(w.path)).toBe(false);
    expect(existsSync(lockPath(dir, w.id))).toBe(false);
    expect(deleteSession(dir, w.id)).toEqual({ ok: false, reason: `There is no session "${w.id}".` });
  });

  it('rename appends a title record; blank titles, open sessions and damaged files are refused', () => {
    const dir = tempDir();
    const w = session(dir, 1_000, 1);
    const before = readFileSync(w.path);
    expect(renameSession(dir, w.id, '  ')).toEqual({ ok: false, reason: 'A title cannot be blank.' });
    expect(renameSession(dir, w.id, 'New name')).toEqual({ ok: true });
    expect(readFileSync(w.path).subarray(0, before.length).equals(before)).toBe(true);
    expect(listSessions(dir)[0]?.title).toBe('New name');
    const held = openSessionForWriting(dir, w.id).writer!;
    expect(renameSession(dir, w.id, 'Other').ok).toBe(false);
    held.close();
    appendFileSync(w.path, 'junk\n{"v":1,"k":"title","at":1,"title":"x"}\n');
    const damaged = readFileSync(w.path);
    expect(renameSession(dir, w.id, 'Other').ok).toBe(false);
    expect(readFileSync(w.path).equals(damaged)).toBe(true);
  });
});

describe('which session was used last, and what counts as a message', () => {
  it('renaming a session does not make it the one -c opens, nor move it up the list', () => {
    const dir = tempDir();
    let t = 1_000_000;
    const now = () => t;
    const a = createSession(dir, { model: 'm' }, { now });
    a.appendUser({ role: 'user', id: 'u1', text: 'older', createdAt: t });
    a.close();
    t += 60_000;
    const b = createSession(dir, { model: 'm' }, { now });
    b.appendUser({ role: 'user', id: 'u1', text: 'newer', createdAt: t });
    b.close();
    t += 60_000;
    expect(renameSession(dir, a.id, 'Renamed later', { now }).ok).toBe(true);
    expect(latestSession(dir)?.id).toBe(b.id);
    expect(listSessions(dir).map((s) => s.id)).toEqual([b.id, a.id]);
    expect(listSessions(dir).find((s) => s.id === a.id)?.title).toBe('Renamed later');
    // Saying something is use.
    t += 60_000;
    const again = openSessionForWriting(dir, a.id, { now });
    again.writer!.appendUser({ role: 'user', id: 'u2', text: 'back again', createdAt: t });
    again.writer!.close();
    expect(latestSession(dir)?.id).toBe(a.id);
  });

  it('the message count is prompts and replies; notices are not counted', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' });
    w.appendNotice({ role: 'notice', id: 'n0', level: 'info', text: 'Demo mode', createdAt: 1 });
    w.appendUser({ role: 'user', id: 'u1', text: 'hi', createdAt: 1 });
    w.appendNotice({ role: 'notice', id: 'n1', level: 'error', text: 'The server failed', createdAt: 2 });
    w.appendUser({ role: 'user', id: 'u2', text: 'hi again', createdAt: 3 });
    w.close();
    expect(listSessions(dir)[0]!.messageCount).toBe(2);
  });
});
