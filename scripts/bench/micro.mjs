// In-process figures of pieces of the app, printed, never asserted: they were timed or checked
// against V8 inside the unit suite, where the machine's speed and V8's heap sizing are not the
// code's behaviour.
//
//   node scripts/bench/micro.mjs                 all of them
//   node scripts/bench/micro.mjs sessions        listing 1,000 sessions; opening 10,000 messages
//   node scripts/bench/micro.mjs warm-up         the whole warm-up at 100 columns
//   node scripts/bench/micro.mjs young [runs=3]  V8's young generation and peak RSS after opening
//                                                10,000 messages, with and without heap.ts's
//                                                keepYoungGenerationSmall (fresh processes, A/B interleaved)
//
// Everything runs on the project's Node 24 (node_modules/.bin/node), like the app.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { MEASURED_NODE } from './pty.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '../../dist/bench/micro-lib.js');
const log = (s) => process.stdout.write(`${s}\n`);

/** Bundles micro-entry.mjs (it imports the app's TypeScript) into dist/bench/micro-lib.js. */
async function bundle() {
  await build({
    entryPoints: [path.join(here, 'micro-entry.mjs')],
    outfile: OUT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __microCreateRequire } from 'node:module'; const require = __microCreateRequire(import.meta.url);",
    },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
}

/** Runs `code` (an ES module body with `lib` imported) in a fresh process of the measured Node. */
function inFreshNode(code) {
  const body = `import * as lib from ${JSON.stringify(pathToFileURL(OUT).href)};\n${code}`;
  return execFileSync(MEASURED_NODE, ['--input-type=module', '-e', body], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs, d = 1) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

function young(runs) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inkwell-micro-young-'));
  try {
    const s = JSON.parse(inFreshNode(`process.stdout.write(JSON.stringify(lib.writeTenThousand(${JSON.stringify(dir)})));`));
    const by = { true: [], false: [] };
    for (let i = 0; i < runs; i++) {
      for (const small of [false, true]) {
        const out = inFreshNode(`lib.youngGenerationFigure(${JSON.stringify(dir)}, ${JSON.stringify(s.id)}, ${small});`);
        by[small].push(JSON.parse(out.trim().split('\n').at(-1)));
      }
    }
    for (const small of [false, true]) {
      const r = by[small];
      log(
        `opening 10,000 messages, ${(small ? 'keepYoungGenerationSmall' : "V8's defaults").padEnd(24)}: young generation ${spread(r.map((x) => x.newSpaceMB))} MB · peak RSS ${spread(r.map((x) => x.peakRssMB))} MB · load ${spread(
          r.map((x) => x.loadMs),
          0,
        )} ms  (median (min–max) of ${runs})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [what = 'all', n] = process.argv.slice(2);
await bundle();
log(
  `micro figures on node ${execFileSync(MEASURED_NODE, ['--version'], { encoding: 'utf8' }).trim()} · load avg ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
);
if (what === 'all' || what === 'sessions') process.stdout.write(inFreshNode('lib.sessionFigures((s) => process.stdout.write(s + "\\n"));'));
if (what === 'all' || what === 'warm-up')
  process.stdout.write(inFreshNode('await lib.warmUpFigure((s) => process.stdout.write(s + "\\n"));'));
if (what === 'all' || what === 'young') young(Number(n ?? 3));
