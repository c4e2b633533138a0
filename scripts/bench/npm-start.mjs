// `npm start` to a prompt: spawn it in a 100×40 pty and time until "Ask Claude" is on screen, on
// an unchanged checkout (the build stamp matches: no rebuild) and, with --touch, after a source
// file changed (a rebuild). --command runs another shell command instead (the old start script:
// --command "npm run -s build && ./dist/inkwell.js").
//
//   node scripts/bench/npm-start.mjs [runs=5] [--touch] [--command "…"]
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ptyEnv, spawnRecorded, until } from './pty.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const runs = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 5;
const touch = args.includes('--touch');
const ci = args.indexOf('--command');
const command = ci >= 0 ? args[ci + 1] : 'npm start --';

const times = [];
for (let i = 0; i < runs; i++) {
  if (touch) {
    const now = new Date();
    utimesSync(path.join(ROOT, 'src', 'cli.tsx'), now, now);
  }
  const home = mkdtempSync(path.join(tmpdir(), 'inkwell-npmstart-'));
  const env = ptyEnv({ ANTHROPIC_API_KEY: 'sk-bench', INKWELL_HOME: home });
  // A base URL nothing listens on: start-up must not wait for the network.
  const rec = spawnRecorded('/bin/sh', ['-c', `${command} --base-url http://127.0.0.1:9`], { env, cwd: ROOT });
  const ok = await until(() => rec.rawSince(0).includes('Ask Claude'), { timeoutMs: 30_000, everyMs: 5 });
  if (ok) times.push(performance.now() - rec.spawnedAt);
  rec.kill('SIGKILL');
  rec.dispose();
  rmSync(home, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
process.stdout.write(
  `${command}${touch ? ' (after a source change)' : ''} to a prompt over ${times.length} runs: min ${q(0).toFixed(0)} · median ${q(0.5).toFixed(0)} · max ${q(1).toFixed(0)} ms\n`,
);
