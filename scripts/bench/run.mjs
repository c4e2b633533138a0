// One measured run: a client (the app or the floor) in a fresh pty and a fresh INKWELL_HOME,
// one prompt, one streamed reply from the in-process server, then the numbers.
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuMs, vmKiB } from './proc.mjs';
import { MEASURED_NODE, ptyEnv, sleep, spawnRecorded, until } from './pty.mjs';
import { replay } from './screen.mjs';
import { sentAt } from './server.mjs';
import { seedSession } from './sessions.mjs';
import { squash } from './stream.mjs';

export const COLS = 100;
export const ROWS = 40;
export const PROMPT = 'Summarise the notes.';
const READY_TEXT = 'Ask Claude';
const FLOOR_READY = '\x1b]0;floor-ready\x07';
const FLOOR_DONE = '\x1b]0;floor-done\x07';
/** Status bar rows + prompt row under the app's transcript. */
const APP_CHROME_ROWS = 2;

/** Compact token count as the status bar shows it (src/ui/status.ts formatTokens). */
export function formatTokens(n) {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(2).replace(/\.?0+$/, '')}M`;
}

const SPINNING = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting|out \S+ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** Wait until no new chunk has arrived for `quietMs`. */
async function quiet(rec, quietMs, timeoutMs) {
  return until(() => rec.chunks.length > 0 && performance.now() - rec.chunks.at(-1).t >= quietMs, {
    timeoutMs,
    everyMs: Math.min(50, quietMs / 2),
  });
}

/**
 * @param ctx { lib, sessionLib, server, cli, floor, root, model, profileDir, log }
 * @param job { client: 'inkwell'|'floor', doc, rate, session, resumeArgs, run }
 *   doc = { name, body (Buffer), info (analyzeStream), source ({path}|{body}) }
 *   rate = { name, tokensPerSecond (null = max) }
 * @returns the run's figures, or { error }
 */
export async function runOnce(ctx, job) {
  const { doc, rate } = job;
  const home = mkdtempSync(path.join(tmpdir(), 'inkwell-bench-'));
  const isFloor = job.client === 'floor';
  let seed = null;
  let rec = null;
  try {
    if (!isFloor && job.session > 0) seed = seedSession(home, job.session, ctx.lib, ctx.sessionLib);
    // The app runs as its launcher says (the V8 flags on dist/inkwell.js's #! line); the floor bare.
    const nodeArgs = isFloor ? [] : [...(ctx.appNodeArgs ?? [])];
    if (ctx.profileDir && !isFloor) {
      mkdirSync(ctx.profileDir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`, `--cpu-prof-name=${profileName(job)}`);
    }
    const args = isFloor
      ? [ctx.floor, '--base-url', ctx.server.url, '--model', ctx.model]
      : [ctx.cli, '--model', ctx.model, '--base-url', ctx.server.url, ...(seed ? job.resumeArgs : [])];
    const env = ptyEnv({ ANTHROPIC_API_KEY: 'sk-bench', INKWELL_HOME: home });
    rec = spawnRecorded(MEASURED_NODE, [...nodeArgs, ...args], { cols: COLS, rows: ROWS, env, cwd: ctx.root });

    // 1. Ready for input.
    const seedProbe = seed ? squash(seed.endText) : null;
    const appReady = (rows) => {
      const s = rows.join('\n');
      if (!s.includes(READY_TEXT)) return false;
      return seedProbe === null || squash(s).includes(seedProbe);
    };
    const readyOk = isFloor
      ? await until(() => rec.exitCode() !== null || rec.rawSince(0).includes(FLOOR_READY), { timeoutMs: 30_000, everyMs: 10 })
      : await until(
          async () => {
            if (rec.exitCode() !== null) return true;
            await rec.sync();
            return appReady(rec.screen().split('\n'));
          },
          { timeoutMs: 60_000 + (job.session ?? 0) * 10, everyMs: 10 },
        );
    if (rec.exitCode() !== null) {
      const out = rec
        .rawSince(0)
        .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '')
        .trim();
      return { error: `${job.client} exited with code ${rec.exitCode()} before it was ready: ${out.split('\n')[0].slice(0, 200)}` };
    }
    if (!readyOk) {
      await rec.sync();
      return {
        error: seed ? `the seeded session (${seed.messages} messages) never showed on screen` : 'not ready within the time limit',
        screen: rec.screen(),
      };
    }
    // Let start-up work (models lookup, first paints) finish before measuring the reply.
    await quiet(rec, 300, 5_000);
    if (!isFloor) {
      rec.write(PROMPT);
      await until(
        async () => {
          await rec.sync();
          return rec.screen().includes(PROMPT);
        },
        { timeoutMs: 5_000, everyMs: 10 },
      );
      await quiet(rec, 150, 2_000);
    }

    // 2. The reply.
    const scenario = { kind: 'sse', ...(doc.source.path ? { path: doc.source.path } : { body: doc.source.body }) };
    if (rate.tokensPerSecond) scenario.tokensPerSecond = (rate.tokensPerSecond * doc.info.textDeltas) / doc.info.outputTokens;
    const rssReadyKiB = vmKiB(rec.pid, 'VmRSS');
    const cap = ctx.server.capture(scenario);
    const enterIndex = rec.chunks.length;
    const cpu0 = cpuMs(rec.pid);
    const enterAt = performance.now();
    rec.write('\r');
    const expectedMs = rate.tokensPerSecond ? (doc.info.outputTokens / rate.tokensPerSecond) * 1000 : 10_000;
    const served = await until(() => cap.endedAt !== null || cap.closedAt !== null, { timeoutMs: expectedMs + 60_000, everyMs: 50 });
    if (!served) return { error: 'the server never finished the reply' };
    const expectedOut = formatTokens(doc.info.outputTokens);
    const appDone = (rows) => {
      // The bottom rows (status bar and prompt; a few more in case the prompt grows).
      const chrome = rows.slice(rows.length - APP_CHROME_ROWS - 2).join('\n');
      return (
        chrome.includes(READY_TEXT) &&
        !SPINNING.test(chrome) &&
        // The last reply's usage, whole or in the compact form a full status bar gives it.
        new RegExp(`(last in \\S+ out |↑\\S+ ↓)${expectedOut.replace('.', '\\.')}\\b`).test(chrome)
      );
    };
    let done = false;
    const deadline = performance.now() + 180_000;
    while (!done && performance.now() < deadline) {
      // Parse the screen only once the app has gone quiet, so the bench never competes with it
      // while it is still drawing (and never delays the timestamps of what it draws).
      if (isFloor) {
        await until(() => rec.rawSince(enterIndex).includes(FLOOR_DONE), { timeoutMs: 1_000, everyMs: 20 });
        done = rec.rawSince(enterIndex).includes(FLOOR_DONE);
      } else {
        await quiet(rec, 250, 5_000);
        await rec.sync();
        done = appDone(rec.screen().split('\n'));
        // Always yield to the event loop: the pty's data must keep being read, or the app
        // blocks writing to a full terminal and never finishes.
        if (!done) await sleep(50);
      }
    }
    const cpu1 = cpuMs(rec.pid);
    const hwmKiB = vmKiB(rec.pid, 'VmHWM');
    ctx.server.release();
    if (!done) {
      await rec.sync();
      return { error: 'the reply never completed on screen', screen: rec.screen() };
    }

    // 3. End the program (gracefully when profiling, so the profile gets written).
    if (ctx.profileDir && !isFloor) {
      rec.kill('SIGTERM');
      await Promise.race([rec.exited, sleep(10_000)]);
    }
    rec.kill('SIGKILL');

    // 4. Read the recording (BENCH_DUMP=dir keeps the raw bytes of the reply, for reading by eye).
    if (process.env.BENCH_DUMP) {
      mkdirSync(process.env.BENCH_DUMP, { recursive: true });
      writeFileSync(path.join(process.env.BENCH_DUMP, `${profileName(job).replace('.cpuprofile', '')}.raw`), rec.rawSince(enterIndex));
    }
    const probes = doc.info.lines.map((l) => ({
      index: l.index,
      probe: l.probe,
      charsAt: sentAt(cap, l.charsFrameEnd),
      newlineAt: sentAt(cap, l.newlineFrameEnd),
    }));
    const r = await replay(rec, {
      cols: COLS,
      rows: ROWS,
      enterIndex,
      probes,
      chromeRows: isFloor ? 0 : APP_CHROME_ROWS,
      readyTest: isFloor ? (_rows, tail) => tail.includes(FLOOR_READY) : appReady,
      doneTest: isFloor ? (_rows, tail) => tail.includes(FLOOR_DONE) : appDone,
      markerBytes: isFloor ? Buffer.byteLength(FLOOR_DONE) : 0,
      stopAtDone: isFloor,
    });
    if (process.env.BENCH_DUMP) {
      // A timeline (ms since Enter): the server's writes, the client's writes, each line's arrival and appearance.
      const at = (t) => (t === null || t === undefined ? null : Math.round((t - enterAt) * 10) / 10);
      const timeline = {
        origin: performance.timeOrigin + enterAt,
        server: {
          first: at(cap.firstWriteAt),
          end: at(cap.endedAt),
          writes: cap.writes.flatMap((v, i) => (i % 2 === 0 ? [[at(v), cap.writes[i + 1]]] : [])),
        },
        client: rec.chunks.slice(enterIndex).map((c) => [at(c.t), Buffer.byteLength(c.data)]),
        lines: probes.map((p) => ({
          index: p.index,
          newline: at(p.newlineAt),
          seen: at(r.samples.find((s) => s.index === p.index)?.seenAt),
        })),
      };
      writeFileSync(
        path.join(process.env.BENCH_DUMP, `${profileName(job).replace('.cpuprofile', '')}.timeline.json`),
        JSON.stringify(timeline),
      );
    }
    const lat = r.samples.map((s) => s.latency);
    const tokens = doc.info.outputTokens;
    const cpu = cpu1 !== null && cpu0 !== null ? cpu1 - cpu0 : null;
    return {
      client: job.client,
      doc: doc.name,
      rate: rate.name,
      session: job.session ?? 0,
      run: job.run,
      tokens,
      textBytes: doc.info.textBytes,
      coldStartMs: r.readyAt !== null ? r.readyAt - rec.spawnedAt : null,
      latency: {
        median: quantile(lat, 0.5),
        p95: quantile(lat, 0.95),
        first: r.samples.length > 0 ? r.samples[0].latency : null,
        max: lat.length ? Math.max(...lat) : null,
        lines: r.samples.length,
        probes: r.probes,
        beforeNewline: r.samples.filter((s) => s.beforeNewline).length,
      },
      cpuMs: cpu,
      cpuMsPer1kTokens: cpu !== null ? (cpu / tokens) * 1000 : null,
      bytes: r.bytes,
      bytesPerToken: r.bytes / tokens,
      bytesRatio: r.bytes / doc.info.textBytes,
      writes: r.chunks,
      chromeOnlyBytes: r.chromeOnlyBytes,
      chromeOnlyWrites: r.chromeOnlyChunks,
      scrollBytes: r.scrollBytes,
      scrollWrites: r.scrollChunks,
      inPlaceBytes: r.inPlaceBytes,
      byteKinds: r.kinds,
      peakRssMB: hwmKiB !== null ? hwmKiB / 1024 : null,
      rssReadyMB: rssReadyKiB !== null ? rssReadyKiB / 1024 : null,
      replyMs: r.doneAt !== null ? r.doneAt - enterAt : null,
      serverMs: cap.endedAt !== null && cap.firstWriteAt !== null ? cap.endedAt - cap.firstWriteAt : null,
      lagAfterServerMs: r.doneAt !== null && cap.endedAt !== null ? r.doneAt - cap.endedAt : null,
      seed: seed ? { messages: seed.messages, bytes: seed.bytes } : null,
      // With --profile: the profile, and where the reply starts in it (start-up is left out).
      profile:
        ctx.profileDir && !isFloor
          ? { file: path.join(ctx.profileDir, profileName(job)), fromMs: Math.max(0, enterAt - rec.spawnedAt - 150) }
          : null,
    };
  } finally {
    ctx.server.release();
    if (rec) {
      rec.kill('SIGKILL');
      rec.dispose();
    }
    rmSync(home, { recursive: true, force: true });
  }
}

function profileName(job) {
  return `inkwell-${job.doc.name}-${job.rate.name}-s${job.session ?? 0}-r${job.run}.cpuprofile`;
}

/** Quantile by linear interpolation between closest ranks; null for no data. */
export function quantile(values, q) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
