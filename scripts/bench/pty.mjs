// A program in a real pseudo-terminal, every byte it writes recorded with the time it arrived.
// During a measurement the data handler only stores (time, chunk): parsing the screen happens
// later (see screen.mjs), so the bench process adds no delay of its own to the timestamps.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

/**
 * The Node that runs the measured programs: the project's own (the `node` devDependency, Node 24,
 * what `npm start` and `npm run bench` use), whichever Node runs the bench script itself; the
 * running one only when the project's is not installed.
 */
export const MEASURED_NODE = (() => {
  const own = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
  return existsSync(own) ? own : process.execPath;
})();

/**
 * The Node flags the app's launcher passes: `#!/usr/bin/env -S node --flag …` on the first line
 * of dist/inkwell.js (how `inkwell` runs once installed); BENCH_NODE_ARGS replaces them for experiments.
 */
export function launcherNodeArgs(cli) {
  const first = readFileSync(cli, 'utf8').split('\n', 1)[0];
  const m = /^#!.*\bnode\b(.*)$/.exec(first);
  const fromShebang = m
    ? m[1]
        .trim()
        .split(/\s+/)
        .filter((a) => a.startsWith('--'))
    : [];
  const override = process.env.BENCH_NODE_ARGS;
  return override !== undefined ? override.split(/\s+/).filter(Boolean) : fromShebang;
}

/** Environment for a measured program: a clean terminal, no CI (Ink would draw only the last frame). */
export function ptyEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const k of [
    'CI',
    'CONTINUOUS_INTEGRATION',
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'ANTHROPIC_BASE_URL',
    'NO_COLOR',
    'FORCE_COLOR',
    'NODE_OPTIONS',
  ])
    delete env[k];
  // INKWELL_AUTO_TITLE=0: no title request after the first reply (the figures are for the reply alone).
  Object.assign(env, { TERM: 'xterm-256color', LANG: 'C.UTF-8', COLORTERM: '', INKWELL_AUTO_TITLE: '0' });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Spawn `file args` in a pty of `cols`×`rows`.
 * @returns the recording: `chunks` ({t, data}, t = performance.now() at arrival), `spawnedAt`,
 *   `pid`, `write`, `exited`, `kill`, and `live` — a headless terminal fed on demand by `sync()`
 *   (used only to decide when to move on, never for a timestamp).
 */
export function spawnRecorded(file, args, { cols = 100, rows = 40, env, cwd } = {}) {
  const chunks = [];
  const spawnedAt = performance.now();
  const proc = pty.spawn(file, args, { cols, rows, env, cwd, name: 'xterm-256color' });
  proc.onData((data) => chunks.push({ t: performance.now(), data }));
  let exitCode = null;
  const exited = new Promise((resolve) =>
    proc.onExit(({ exitCode: code }) => {
      exitCode = code;
      resolve(code);
    }),
  );

  const live = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  let fed = 0;
  /** Feed the live terminal what arrived since the last call; resolves when parsed. */
  const sync = () => {
    if (fed >= chunks.length) return Promise.resolve();
    const data = chunks
      .slice(fed)
      .map((c) => c.data)
      .join('');
    fed = chunks.length;
    return new Promise((resolve) => live.write(data, resolve));
  };
  const screen = () => screenText(live);

  return {
    pid: proc.pid,
    chunks,
    spawnedAt,
    write: (s) => proc.write(s),
    exited,
    exitCode: () => exitCode,
    sync,
    screen,
    /** Raw text that arrived after chunk index `from` (for in-band markers). */
    rawSince: (from) =>
      chunks
        .slice(from)
        .map((c) => c.data)
        .join(''),
    kill(signal = 'SIGKILL') {
      try {
        proc.kill(signal);
      } catch {
        /* already gone */
      }
    },
    dispose() {
      live.dispose();
    },
  };
}

/** The visible screen of a headless terminal, one string per row, trailing spaces trimmed. */
export function screenRows(term) {
  const b = term.buffer.active;
  const out = [];
  for (let i = 0; i < term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
  return out;
}

export function screenText(term) {
  return screenRows(term).join('\n');
}

/** Poll `test()` (async allowed) every `everyMs` until true; false on timeout. */
export async function until(test, { timeoutMs = 10_000, everyMs = 20 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await test()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
