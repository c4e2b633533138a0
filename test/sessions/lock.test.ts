import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, isProcessAlive, lockHolder } from '../../src/sessions/lock.js';
import { openSessionForWriting } from '../../src/sessions/open.js';
import { lockPath } from '../../src/sessions/paths.js';
import { createSession } from '../../src/sessions/store.js';
import { sessionsBundle, tempDir } from './helpers.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function lockJson(pid: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ pid, hostname: os.hostname(), started: new Date().toISOString(), procStart: null, ...extra }) + '\n';
}

/** pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  expect(isProcessAlive(r.pid!)).toBe(false);
  return r.pid!;
}

function sleeper(): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(c);
  return new Promise((resolve) => c.once('spawn', () => resolve(c)));
}

describe('one window writes a session', () => {
  it('a second acquire fails with the owner pid; release frees it', () => {
    const dir = tempDir();
    const a = acquireLock(dir, 'sess2345');
    expect(a.ok).toBe(true);
    const b = acquireLock(dir, 'sess2345');
    expect(b).toMatchObject({ ok: false, ownerPid: process.pid });
    expect(lockHolder(dir, 'sess2345')?.pid).toBe(process.pid);
    if (a.ok) a.release();
    if (a.ok) a.release(); // idempotent
    expect(existsSync(lockPath(dir, 'sess2345'))).toBe(false);
    const c = acquireLock(dir, 'sess2345');
    expect(c.ok).toBe(true);
    if (c.ok) c.release();
  });

  it('a lock held by another live process is respected; once that process dies it is taken over', async () => {
    const dir = tempDir();
    const child = await sleeper();
    writeFileSync(lockPath(dir, 'sess2345'), lockJson(child.pid!));
    expect(acquireLock(dir, 'sess2345')).toMatchObject({ ok: false, ownerPid: child.pid });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const r = acquireLock(dir, 'sess2345');
    expect(r.ok).toBe(true);
    expect(JSON.parse(readFileSync(lockPath(dir, 'sess2345'), 'utf8'))).toMatchObject({ pid: process.pid });
    if (r.ok) r.release();
  });

  it('a stale lock from a process that exited is taken over', () => {
    const dir = tempDir();
    writeFileSync(lockPath(dir, 'sess2345'), lockJson(deadPid()));
    expect(lockHolder(dir, 'sess2345')).toBeNull();
    const r = acquireLock(dir, 'sess2345');
    expect(r.ok).toBe(true);
    if (r.ok) r.release();
  });

  it('a reused pid (same pid, another process start time) is stale', () => {
    if (!existsSync('/proc/self/stat')) return;
    const dir = tempDir();
    writeFileSync(lockPath(dir, 'sess2345'), lockJson(process.pid, { procStart: '1' }));
    const r = acquireLock(dir, 'sess2345');
    expect(r.ok).toBe(true);
    if (r.ok) r.release();
  });

  it('a lock from another host is never taken over; an old unreadable lock is; a fresh unreadable one is not', () => {
    const dir = tempDir();
    const file = lockPath(dir, 'sess2345');
    writeFileSync(file, lockJson(deadPid(), { hostname: 'some-other-machine' }));
    expect(acquireLock(dir, 'sess2345').ok).toBe(false);
    writeFileSync(file, '');
    expect(acquireLock(dir, 'sess2345')).toMatchObject({ ok: false, ownerPid: null });
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const r = acquireLock(dir, 'sess2345');
    expect(r.ok).toBe(true);
    if (r.ok) r.release();
  });

  it('release never removes a lock that is no longer ours', () => {
    const dir = tempDir();
    const r = acquireLock(dir, 'sess2345');
    writeFileSync(lockPath(dir, 'sess2345'), lockJson(12345678));
    if (r.ok) r.release();
    expect(existsSync(lockPath(dir, 'sess2345'))).toBe(true);
  });

  it('a session open in one window opens read-only in a second, with the reason', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' });
    w.appendUser({ role: 'user', id: 'u1', text: 'hi', createdAt: 1 });
    const second = openSessionForWriting(dir, w.id);
    expect(second.writer).toBeNull();
    expect(second.readOnly).toEqual({
      reason: `This session is open in another inkwell window (pid ${process.pid}), so it opens read-only here.`,
      ownerPid: process.pid,
    });
    expect(second.loaded.messages).toHaveLength(1);
    w.close();
    const third = openSessionForWriting(dir, w.id);
    expect(third.readOnly).toBeNull();
    third.writer!.close();
  });

  it('several processes racing for one stale lock: exactly one wins', async () => {
    const bundle = await sessionsBundle();
    const dir = tempDir();
    writeFileSync(lockPath(dir, 'race2345'), lockJson(deadPid()));
    const script = `
      const { acquireLock } = await import(${JSON.stringify(bundle)});
      const r = acquireLock(${JSON.stringify(dir)}, 'race2345');
      console.log(r.ok ? 'won' : 'lost');
      await new Promise((res) => setTimeout(res, 800));
      if (r.ok) r.release();`;
    const runs = Array.from({ length: 5 }, () => {
      const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(c);
      let out = '';
      c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<string>((resolve) => c.once('exit', () => resolve(out.trim())));
    });
    const results = await Promise.all(runs);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'lost')).toHaveLength(4);
    // The winner released at exit.
    expect(existsSync(lockPath(dir, 'race2345'))).toBe(false);
  });

  it('a process that exits without closing its writer leaves no lock behind', async () => {
    const bundle = await sessionsBundle();
    const dir = tempDir();
    const script = `
      const { createSession } = await import(${JSON.stringify(bundle)});
      const w = createSession(${JSON.stringify(dir)}, { model: 'm' });
      w.appendUser({ role: 'user', id: 'u1', text: 'bye', createdAt: 1 });
      console.log(w.id);
      process.exit(0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const id = r.stdout.trim();
    expect(existsSync(path.join(dir, `${id}.jsonl`))).toBe(true);
    expect(existsSync(lockPath(dir, id))).toBe(false);
  });
});
