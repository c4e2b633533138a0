import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import os from 'node:os';
import lockfile from 'proper-lockfile';
import { atExit } from './exit.js';
import { lockPath } from './paths.js';

/**
 * One window writes a session at a time. The lock is a file `<id>.lock` next to the transcript,
 * holding JSON {pid, hostname, started, procStart}. It is created with link(2) from a temporary
 * file, which is atomic and fails if the lock exists, so a lock is never seen half-written.
 *
 * A lock is stale when its owner is gone: same host, and `process.kill(pid, 0)` says ESRCH, or
 * (Linux) the process with that pid started at another time than the owner did (the pid was
 * reused). A stale lock is taken over under a short guard lock (proper-lockfile, mkdir-based with
 * mtime staleness), so two windows racing for a stale lock cannot both win.
 */

/** What a lock file says about its owner. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO 8601 time the lock was taken. */
  started: string;
  /** Linux: the owner's start time in clock ticks after boot (/proc/<pid>/stat field 22), else null. */
  procStart: string | null;
}

export type LockResult =
  | {
      ok: true;
      /** Removes the lock if it is still ours. Idempotent; never throws. */
      release: () => void;
    }
  | {
      ok: false;
      /** pid of the live owner; null when the lock file could not be read (being written). */
      ownerPid: number | null;
      owner: LockOwner | null;
    };

/** An unreadable lock younger than this (ms) is assumed to be mid-creation, not stale. */
const GARBAGE_GRACE_MS = 2000;

function procStartOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0) return null;
    return {
      pid: o.pid,
      hostname: typeof o.hostname === 'string' ? o.hostname : '',
      started: typeof o.started === 'string' ? o.started : '',
      procStart: typeof o.procStart === 'string' ? o.procStart : null,
    };
  } catch {
    return null;
  }
}

/**
 * Whether a process with this pid is running on this machine: `kill(pid, 0)` succeeds or fails
 * with EPERM (alive, someone else's) versus ESRCH (gone).
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the owner recorded in a lock is still running. Another host's owner counts as alive. */
export function isOwnerAlive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  if (!isProcessAlive(owner.pid)) return false;
  if (owner.procStart !== null) {
    const now = procStartOf(owner.pid);
    if (now !== null && now !== owner.procStart) return false;
  }
  return true;
}

function readRaw(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Who holds a session's lock, if anyone alive does.
 * @returns null when there is no lock or its owner is gone (stale); otherwise the owner's pid
 *   (null pid: a lock file being written right now, owner not known yet)
 * @throws the fs error when the lock exists but cannot be read (EACCES, …)
 */
export function lockHolder(dir: string, id: string): { pid: number | null; owner: LockOwner | null } | null {
  const file = lockPath(dir, id);
  const raw = readRaw(file);
  if (raw === null) return null;
  const owner = parseOwner(raw);
  if (owner) return isOwnerAlive(owner) ? { pid: owner.pid, owner } : null;
  return isFreshGarbage(file) ? { pid: null, owner: null } : null;
}

function isFreshGarbage(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < GARBAGE_GRACE_MS;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates `file` holding `content`, atomically; false when it already exists. */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, content, { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
      // A file system without hard links: O_EXCL create; readers allow for a moment of emptiness.
      try {
        fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
        return true;
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e2;
      }
    }
    throw e;
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Already gone.
    }
  }
}

/** Removes `file` if it still holds exactly `expected`, under the takeover guard. */
function removeIfUnchanged(file: string, expected: string): 'removed' | 'changed' | 'busy' {
  let unlock: () => void;
  try {
    unlock = lockfile.lockSync(file, { lockfilePath: `${file}.takeover`, realpath: false, stale: 5000 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') return 'busy';
    throw e;
  }
  try {
    const now = readRaw(file);
    if (now !== expected) return 'changed';
    fs.unlinkSync(file);
    return 'removed';
  } finally {
    try {
      unlock();
    } catch {
      // The guard is gone already (taken as stale): harmless, it only guarded this moment.
    }
  }
}

/**
 * Takes the lock of session `id` in `dir` for this process, taking over a stale one. The lock is
 * released by `release()`, and at process exit (signal-exit); after `kill -9` it is left behind
 * and the next window finds it stale.
 * @returns ok with `release`, or not ok with the live owner's pid (open the session read-only)
 * @throws the fs error when the lock cannot be written (ENOENT for a missing dir, EROFS, EACCES,
 *   ENOSPC, …): the caller decides what saving without a lock means
 */
export function acquireLock(dir: string, id: string): LockResult {
  const file = lockPath(dir, id);
  const mine: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    started: new Date().toISOString(),
    procStart: procStartOf(process.pid),
  };
  const content = JSON.stringify(mine) + '\n';
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createExclusive(file, content)) return { ok: true, release: holdUntilExit(file, content) };
    const raw = readRaw(file);
    if (raw === null) continue; // released meanwhile: try again
    const owner = parseOwner(raw);
    if (owner ? isOwnerAlive(owner) : isFreshGarbage(file)) {
      return { ok: false, ownerPid: owner?.pid ?? null, owner };
    }
    const outcome = removeIfUnchanged(file, raw);
    if (outcome === 'busy') sleepSync(20);
  }
  const owner = parseOwner(readRaw(file) ?? '');
  return { ok: false, ownerPid: owner?.pid ?? null, owner };
}

function holdUntilExit(file: string, content: string): () => void {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    unregister();
    try {
      if (readRaw(file) === content) fs.unlinkSync(file);
    } catch {
      // Unreadable or gone: nothing of ours to remove.
    }
  };
  const unregister = atExit(release);
  return release;
}
