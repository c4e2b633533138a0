// Cold start alone, many times: spawn the built app in a 100×40 pty and time until its prompt
// ("Ask Claude") is on screen. Quicker than the whole bench when working on start-up.
//
//   node scripts/bench/coldstart.mjs [runs=15] [-- extra app args]
//   node scripts/bench/coldstart.mjs 5 --cpu-prof      (profiles into bench-results/prof-start/)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launcherNodeArgs, MEASURED_NODE, ptyEnv, spawnRecorded, until } from './pty.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const runs = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 15;
const profile = args[0] === '--cpu-prof' ? args.shift() : null;
// Run as the launcher does: the V8 flags of dist/inkwell.js's #! line (BENCH_NODE_ARGS overrides).
const nodeArgs = [
  ...launcherNodeArgs(path.join(ROOT, 'dist/inkwell.js')),
  ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench-results/prof-start')}`] : []),
];

const times = [];
for (let i = 0; i < runs; i++) {
  const home = mkdtempSync(path.join(tmpdir(), 'inkwell-cold-'));
  const env = ptyEnv({ ANTHROPIC_API_KEY: 'sk-bench', INKWELL_HOME: home });
  // A base URL nothing listens on: start-up must not wait for the network.
  const rec = spawnRecorded(MEASURED_NODE, [...nodeArgs, path.join(ROOT, 'dist/inkwell.js'), '--base-url', 'http://127.0.0.1:9', ...args], {
    env,
    cwd: ROOT,
  });
  const ok = await until(() => rec.rawSince(0).includes('Ask Claude'), { timeoutMs: 10_000, everyMs: 2 });
  const at = rec.chunks.find((_, k) =>
    rec.chunks
      .slice(0, k + 1)
      .map((c) => c.data)
      .join('')
      .includes('Ask Claude'),
  )?.t;
  if (ok && at !== undefined) times.push(at - rec.spawnedAt);
  if (profile) {
    rec.kill('SIGTERM');
    await Promise.race([rec.exited, new Promise((r) => setTimeout(r, 3000))]);
  }
  rec.kill('SIGKILL');
  rec.dispose();
  rmSync(home, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
process.stdout.write(
  `cold start over ${times.length} runs: min ${q(0).toFixed(0)} · median ${q(0.5).toFixed(0)} · p90 ${q(0.9).toFixed(0)} ms\n`,
);
