// Bundled by scripts/bench/micro.mjs into dist/bench/micro-lib.js: in-process figures of pieces of
// the app (session files, the warm-up, V8's young generation), which were once timed inside the
// unit suite. Each export prints lines and returns nothing; none of them asserts a speed.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { emptyReply } from '../../src/domain/conversation.ts';
import { warmUpAll } from '../../src/main/warm-up.ts';
import { keepYoungGenerationSmall } from '../../src/runtime/heap.ts';
import { listSessions } from '../../src/sessions/list.ts';
import { loadSession } from '../../src/sessions/load.ts';
import { LIST_CACHE_NAME } from '../../src/sessions/paths.ts';
import { createSession, nodeWriterFs } from '../../src/sessions/store.ts';
import { darkTheme } from '../../src/theme.ts';

const noFsync = { ...nodeWriterFs, fsync: () => {} };
const MODEL = 'claude-sonnet-4-5';
const PARAGRAPH =
  'The pelican is a large water bird with a distinctive pouch under its beak. It catches fish by scooping them up, then drains the water before swallowing. ';

/** `turns` prompts and replies; each reply streamed with three checkpoints, then saved whole. */
function writeTurns(w, turns, t0) {
  for (let n = 0; n < turns; n++) {
    const at = t0 + n * 1000;
    w.appendUser({ role: 'user', id: `u${n}`, text: `Question ${n}: tell me about pelicans, part ${n}.`, createdAt: at });
    let m = { ...emptyReply(`a${n}`, MODEL, at), requestId: `req_${n}`, apiId: `msg_${n}`, firstTokenAt: at + 1 };
    m = { ...m, usage: { ...m.usage, input_tokens: 100 + n } };
    for (let k = 1; k <= 3; k++) {
      m = { ...m, content: [{ type: 'text', text: PARAGRAPH.repeat(k * 2), citations: [] }] };
      w.checkpoint(m, { boundary: true });
    }
    w.appendAssistant({
      ...m,
      status: 'complete',
      stop_reason: 'end_turn',
      usage: { ...m.usage, output_tokens: 250 },
      usageFinal: true,
      endedAt: at + 900,
    });
  }
}

/** Runs `f`; returns its result and "wall ms (cpu ms)": on a busy machine the CPU time is the steadier one. */
function time(f) {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = f();
  const cpu = process.cpuUsage(c);
  return [r, `${(performance.now() - t).toFixed(0)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`];
}

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'inkwell-micro-'));

/** A session of 10,000 messages (5,000 turns) in `dir`; returns its id and path. */
export function writeTenThousand(dir) {
  const w = createSession(dir, { model: MODEL }, { fs: noFsync });
  writeTurns(w, 5000, 1_700_000_000_000);
  w.close();
  return { id: w.id, path: w.path };
}

/** Listing 1,000 sessions of 20 messages, without and with the list cache; opening 10,000 messages. */
export function sessionFigures(log) {
  const dir = tempDir();
  for (let i = 0; i < 1000; i++) {
    const w = createSession(dir, { model: MODEL }, { fs: noFsync, now: () => 1_700_000_000_000 + i * 60_000 });
    writeTurns(w, 10, 1_700_000_000_000 + i * 60_000);
    w.close();
  }
  rmSync(path.join(dir, LIST_CACHE_NAME), { force: true });
  const [cold, coldMs] = time(() => listSessions(dir));
  const [, warmMs] = time(() => listSessions(dir));
  if (cold.length !== 1000) throw new Error(`listed ${cold.length} sessions, wrote 1,000`);
  log(`listSessions, 1,000 sessions of 20 messages: ${coldMs} cold (no cache), ${warmMs} warm`);

  const big = tempDir();
  const s = writeTenThousand(big);
  const runs = [];
  let [loaded, first] = time(() => loadSession(big, s.id));
  for (let i = 0; i < 3; i++) {
    const [l, ms] = time(() => loadSession(big, s.id));
    loaded = l;
    runs.push(ms);
  }
  if (loaded.messages.length !== 10_000) throw new Error(`loaded ${loaded.messages.length} messages, wrote 10,000`);
  const [, listMs] = time(() => listSessions(big));
  log(
    `loadSession, 10,000 messages (${(statSync(s.path).size / 1e6).toFixed(1)} MB file): first ${first}, then ${runs.join(' / ')}; listing that one session cold: ${listMs}`,
  );
}

/** The whole warm-up (streaming rounds and grammars) at 100 columns, one step per macrotask. */
export async function warmUpFigure(log) {
  const t0 = performance.now();
  const c = process.cpuUsage();
  // The warm-up's timers do not keep a process alive (the app's own do): this one does, until done.
  const alive = setInterval(() => {}, 1000);
  await new Promise((resolve) => warmUpAll(100, darkTheme, { done: resolve }));
  clearInterval(alive);
  const cpu = process.cpuUsage(c);
  log(
    `the whole warm-up at 100 columns: ${(performance.now() - t0).toFixed(0)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`,
  );
}

/**
 * V8's young generation and the peak RSS after loading a 10,000-message session written by
 * `writeTenThousand` into `dir`, in this (fresh) process: as the app starts (`small`: with
 * heap.ts's keepYoungGenerationSmall first, as dist/inkwell.js does) or with V8's defaults.
 * Prints one JSON line: { small, newSpaceMB, peakRssMB, loadMs }.
 */
export function youngGenerationFigure(dir, id, small) {
  if (small) keepYoungGenerationSmall();
  const t = performance.now();
  const loaded = loadSession(dir, id);
  const loadMs = performance.now() - t;
  const newSpace = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (loaded.messages.length !== 10_000) throw new Error(`loaded ${loaded.messages.length} messages`);
  process.stdout.write(
    `${JSON.stringify({ small, newSpaceMB: newSpace / 2 ** 20, peakRssMB: hwm ? Number(hwm[1]) / 1024 : null, loadMs })}\n`,
  );
}
