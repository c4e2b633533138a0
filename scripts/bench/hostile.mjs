// Hostile or huge replies (issue 22) through the built app in a real pty (100×40), each in three
// runs: the whole reply, sent unpaced in 16 KB writes (wall time Enter → on screen, CPU, peak RSS); the same reply with Esc
// pressed once half of it was sent (how long until the interruption shows, and whether the stream
// was still being sent then), then SIGTERM (exit code, time to exit); and the saved session
// reopened with `-c` (time to the prompt, peak RSS, exit code of a SIGHUP). Each wait is capped
// (--cap-s, default 90 s): a run that hits it is reported as "> cap" and killed.
//
//   npm run bench -- --hostile [--only quote-1k,para-16k] [--cap-s 90] [--cli dist/inkwell.js] [--out FILE]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleBench, ROOT } from './bundle.mjs';
import { cpuMs, vmKiB } from './proc.mjs';
import { launcherNodeArgs, MEASURED_NODE, ptyEnv, sleep, spawnRecorded, until } from './pty.mjs';
import { startBenchServer } from './server.mjs';

const COLS = 100;
const ROWS = 40;
const MODEL = 'claude-opus-4-6';

function parse(argv) {
  const o = { only: null, capS: 90, cli: path.join(ROOT, 'dist/inkwell.js'), out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--hostile') continue;
    else if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--cap-s') o.capS = Number(argv[++i]);
    else if (a === '--cli') o.cli = path.resolve(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else throw new Error(`unknown flag ${a}`);
  }
  return o;
}

/** Whether the app's screen (rows) has the prompt back and no spinner. */
const idleScreen = (s) => s.includes('Ask Claude') && !/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(s);

async function screenHas(rec, test) {
  await rec.sync();
  return test(rec.screen());
}

function start(ctx, home, args = []) {
  const env = ptyEnv({ ANTHROPIC_API_KEY: 'sk-bench', INKWELL_HOME: home });
  return spawnRecorded(MEASURED_NODE, [...launcherNodeArgs(ctx.cli), ctx.cli, '--model', MODEL, '--base-url', ctx.server.url, ...args], {
    cols: COLS,
    rows: ROWS,
    env,
    cwd: ROOT,
  });
}

async function ready(rec, capMs) {
  const t0 = performance.now();
  const ok = await until(async () => rec.exitCode() !== null || (await screenHas(rec, (s) => s.includes('Ask Claude'))), {
    timeoutMs: capMs,
    everyMs: 25,
  });
  return ok && rec.exitCode() === null ? performance.now() - t0 : null;
}

/** Ends `rec` with `signal`; the exit code and ms to exit, or null when it did not exit within 10 s. */
async function endWith(rec, signal) {
  const t0 = performance.now();
  rec.kill(signal);
  const code = await Promise.race([rec.exited, sleep(10_000).then(() => null)]);
  const ms = performance.now() - t0;
  if (code === null) rec.kill('SIGKILL');
  return { signal, code, ms: code === null ? null : Math.round(ms) };
}

/** Run 1: the whole reply. */
async function whole(ctx, reply, body, home) {
  const rec = start(ctx, home);
  try {
    if ((await ready(rec, 30_000)) === null) return { error: 'never ready' };
    // 16 KB writes, unpaced: the server's default 37-byte writes would make a 20 MB reply the server's own half-minute.
    ctx.server.capture({ kind: 'sse', body, chunkBytes: 16_384 });
    rec.write('go');
    await sleep(200);
    const cpu0 = cpuMs(rec.pid);
    const t0 = performance.now();
    rec.write('\r');
    const marker = ctx.lib.hostileDone(reply.name);
    const done = await until(async () => rec.exitCode() !== null || (await screenHas(rec, (s) => s.includes(marker) && idleScreen(s))), {
      timeoutMs: ctx.capMs,
      everyMs: 250,
    });
    const ms = performance.now() - t0;
    if (!done && process.env.HOSTILE_DEBUG) process.stderr.write(`${rec.screen()}\n`);
    const cpu = cpuMs(rec.pid);
    const rss = vmKiB(rec.pid, 'VmHWM');
    ctx.server.release();
    const crashed = rec.exitCode() !== null;
    const end = crashed ? null : await endWith(rec, 'SIGTERM');
    return {
      ms: done && !crashed ? Math.round(ms) : null,
      capped: !done,
      crashed: crashed ? rec.exitCode() : null,
      cpuMs: cpu === null || cpu0 === null ? null : Math.round(cpu - cpu0),
      peakRssMB: rss === null ? null : Math.round(rss / 1024),
      sigterm: end,
    };
  } finally {
    rec.kill('SIGKILL');
    rec.dispose();
  }
}

/** Run 2: Esc once half the reply was sent. */
async function pressEsc(ctx, body, home) {
  const rec = start(ctx, home);
  try {
    if ((await ready(rec, 30_000)) === null) return { error: 'never ready' };
    // Paced to last about 4 s (400 writes 10 ms apart), so that Esc lands while it is sending.
    const chunkBytes = Math.max(64, Math.ceil(Buffer.byteLength(body) / 400));
    const cap = ctx.server.capture({ kind: 'sse', body, chunkBytes, intervalMs: 10 });
    rec.write('go');
    await sleep(200);
    rec.write('\r');
    const half = Buffer.byteLength(body) / 2;
    await until(() => cap.offset >= half || cap.endedAt !== null, { timeoutMs: ctx.capMs, everyMs: 5 });
    const t0 = performance.now();
    rec.write('\x1b');
    const acked = await until(async () => rec.exitCode() !== null || (await screenHas(rec, (s) => /Interrupted|Stopped before/.test(s))), {
      timeoutMs: ctx.capMs,
      everyMs: 20,
    });
    const ms = performance.now() - t0;
    if (!acked && process.env.HOSTILE_DEBUG) process.stderr.write(`${rec.screen()}\n`);
    const beforeEnd = cap.endedAt === null || cap.endedAt > t0 + ms;
    ctx.server.release();
    const crashed = rec.exitCode() !== null;
    return {
      escMs: acked && !crashed ? Math.round(ms) : null,
      streamStillSending: beforeEnd,
      crashed: crashed ? rec.exitCode() : null,
      sigterm: crashed ? null : await endWith(rec, 'SIGTERM'),
    };
  } finally {
    rec.kill('SIGKILL');
    rec.dispose();
  }
}

/** Run 3: reopen the saved session with -c. */
async function reopen(ctx, reply, home) {
  const rec = start(ctx, home, ['-c']);
  try {
    const t0 = performance.now();
    const marker = ctx.lib.hostileDone(reply.name);
    const ok = await until(
      async () => rec.exitCode() !== null || (await screenHas(rec, (s) => s.includes('Ask Claude') && s.includes(marker))),
      { timeoutMs: ctx.capMs, everyMs: 100 },
    );
    const ms = performance.now() - t0;
    const rss = vmKiB(rec.pid, 'VmHWM');
    const crashed = rec.exitCode() !== null;
    return {
      ms: ok && !crashed ? Math.round(ms) : null,
      capped: !ok,
      crashed: crashed ? rec.exitCode() : null,
      peakRssMB: rss === null ? null : Math.round(rss / 1024),
      sighup: crashed ? null : await endWith(rec, 'SIGHUP'),
    };
  } finally {
    rec.kill('SIGKILL');
    rec.dispose();
  }
}

/** A 10 MB paste (200,000 lines of 50 characters): until the prompt shows it (a chip, or its last line), and peak RSS. */
async function paste(ctx, home) {
  const rec = start(ctx, home);
  try {
    if ((await ready(rec, 30_000)) === null) return { error: 'never ready' };
    const lines = [];
    for (let i = 0; i < 199_999; i++) lines.push(`pasted line ${String(i).padStart(6, '0')} ${'x'.repeat(29)}`);
    lines.push(`paste-end-marker ${'x'.repeat(33)}`);
    const text = lines.join('\n');
    const cpu0 = cpuMs(rec.pid);
    const t0 = performance.now();
    rec.write(`\x1b[200~${text}\x1b[201~`);
    const ok = await until(
      async () =>
        rec.exitCode() !== null || (await screenHas(rec, (s) => s.includes('[pasted 200,000 lines]') || s.includes('paste-end-marker'))),
      { timeoutMs: ctx.capMs, everyMs: 100 },
    );
    const ms = performance.now() - t0;
    const cpu = cpuMs(rec.pid);
    const rss = vmKiB(rec.pid, 'VmHWM');
    return {
      bytes: text.length,
      ms: ok && rec.exitCode() === null ? Math.round(ms) : null,
      capped: !ok,
      cpuMs: cpu === null || cpu0 === null ? null : Math.round(cpu - cpu0),
      peakRssMB: rss === null ? null : Math.round(rss / 1024),
    };
  } finally {
    rec.kill('SIGKILL');
    rec.dispose();
  }
}

const fmt = (x, unit = '') => (x === null || x === undefined ? '–' : `${x}${unit}`);
const exit = (e) => (e === null || e === undefined ? '–' : e.code === null ? `${e.signal}: no exit` : `${e.code} in ${e.ms} ms`);

export async function main(argv) {
  const o = parse(argv);
  const bundles = await bundleBench();
  const lib = await import(pathToFileURL(bundles.serverLib).href);
  const server = await startBenchServer(lib);
  const ctx = { cli: o.cli, lib, server, capMs: o.capS * 1000 };
  const replies = lib.hostileReplies().filter((r) => o.only === null || o.only.includes(r.name));
  const results = [];
  try {
    for (const reply of replies) {
      const body = lib.sseForDeltas(reply.text, reply.deltaChars, MODEL);
      const home = mkdtempSync(path.join(tmpdir(), 'inkwell-hostile-'));
      const home2 = mkdtempSync(path.join(tmpdir(), 'inkwell-hostile-'));
      try {
        process.stderr.write(`hostile ${reply.name} (${reply.what}, ${(reply.text.length / 1e6).toFixed(2)} M chars)\n`);
        if (process.env.HOSTILE_ESC_ONLY) {
          process.stderr.write(`  Esc:   ${JSON.stringify(await pressEsc(ctx, body, home2))}\n`);
          continue;
        }
        const w = await whole(ctx, reply, body, home);
        process.stderr.write(`  whole: ${JSON.stringify(w)}\n`);
        if (process.env.HOSTILE_WHOLE_ONLY) continue;
        const r = await reopen(ctx, reply, home);
        process.stderr.write(`  -c:    ${JSON.stringify(r)}\n`);
        const e = await pressEsc(ctx, body, home2);
        process.stderr.write(`  Esc:   ${JSON.stringify(e)}\n`);
        results.push({ name: reply.name, what: reply.what, chars: reply.text.length, whole: w, reopen: r, esc: e });
      } finally {
        rmSync(home, { recursive: true, force: true });
        rmSync(home2, { recursive: true, force: true });
      }
    }
    if (o.only === null || o.only.includes('paste-10m')) {
      const home = mkdtempSync(path.join(tmpdir(), 'inkwell-hostile-'));
      try {
        process.stderr.write('hostile paste-10m (a 10 MB bracketed paste into the prompt)\n');
        const p = await paste(ctx, home);
        process.stderr.write(`  paste: ${JSON.stringify(p)}\n`);
        results.push({ name: 'paste-10m', what: 'a 10 MB paste', paste: p });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  const cap = `> ${o.capS} s`;
  const pasted = results.find((x) => x.paste);
  const replyRows = results.filter((x) => !x.paste);
  const lines = [
    '| reply | to screen | CPU | peak RSS | SIGTERM | Esc → shown (stream still sending) | `-c` → shown | `-c` peak RSS | SIGHUP |',
    '|---|---|---|---|---|---|---|---|---|',
    ...replyRows
      .map(({ what, whole: w, reopen: r, esc: e }) =>
        [
          what,
          w.crashed !== null && w.crashed !== undefined ? `crash (${w.crashed})` : w.capped ? cap : fmt(w.ms, ' ms'),
          fmt(w.cpuMs, ' ms'),
          fmt(w.peakRssMB, ' MB'),
          exit(w.sigterm),
          e.crashed !== null && e.crashed !== undefined
            ? `crash (${e.crashed})`
            : e.escMs === null
              ? cap
              : `${e.escMs} ms (${e.streamStillSending ? 'yes' : 'no'})`,
          r.crashed !== null && r.crashed !== undefined ? `crash (${r.crashed})` : r.capped ? cap : fmt(r.ms, ' ms'),
          fmt(r.peakRssMB, ' MB'),
          exit(r.sighup),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ];
  if (pasted) {
    const p = pasted.paste;
    lines.push(
      '',
      `10 MB paste (200,000 lines): shown in the prompt ${p.capped ? cap : fmt(p.ms, ' ms')}, CPU ${fmt(p.cpuMs, ' ms')}, peak RSS ${fmt(p.peakRssMB, ' MB')}`,
    );
  }
  process.stdout.write(
    `\ninkwell hostile replies · ${new Date().toISOString()} · ${path.relative(ROOT, o.cli)} · pty ${COLS}×${ROWS}\n\n${lines.join('\n')}\n`,
  );
  const file =
    o.out ?? path.join(ROOT, 'bench-results', `hostile-${new Date().toISOString().replace(/[:]/g, '-').replace(/\..+$/, '')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), cli: o.cli, results }, null, 2) + '\n');
  process.stdout.write(`\nJSON: ${path.relative(process.cwd(), file)}\n`);
}
