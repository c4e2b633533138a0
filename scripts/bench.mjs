// inkwell's benchmark: the built app in a real pseudo-terminal (100×40) against the local
// Messages API server, next to a floor program that only writes each text delta to stdout.
// Prints a table and writes bench-results/bench-<date>.json. It reports; it never asserts.
//
//   npm run bench                  the full matrix, medians of 3 runs (≈ 26 min; it prints an estimate)
//   npm run bench -- --quick       one run; 100 tok/s only for the long markdown reply (≈ 4–5 min)
//
// Flags: --runs N, --docs long-md,gen-8k, --rates 100,max, --clients inkwell,floor,
// --sessions 0,100,1000, --no-10k, --gen-tokens N, --profile (V8 CPU profiles of the app's runs,
// summarised at the end), --out FILE, --help. The same as environment variables: BENCH_RUNS,
// BENCH_DOCS, BENCH_RATES, BENCH_CLIENTS, BENCH_SESSIONS; BENCH_RESUME_ARGS sets how the app
// resumes a seeded session (default: detected, `--continue`).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBench, ROOT } from './bench/bundle.mjs';
import { summarise, summaryText } from './bench/profile.mjs';
import { aggregate, bytesText, table, targets, targetsText, TARGETS } from './bench/report.mjs';
import { runOnce } from './bench/run.mjs';
import { startBenchServer } from './bench/server.mjs';
import { sessionSupport } from './bench/sessions.mjs';
import { analyzeStream } from './bench/stream.mjs';
import { clockTicks } from './bench/proc.mjs';
import { launcherNodeArgs, MEASURED_NODE } from './bench/pty.mjs';
import { execFileSync } from 'node:child_process';

/** The version of the Node the app and the floor run on (the project's own when installed). */
const measuredNodeVersion = execFileSync(MEASURED_NODE, ['--version'], { encoding: 'utf8' }).trim();
import { readdirSync } from 'node:fs';
import os from 'node:os';

const HELP = `usage: npm run bench [-- options]
  --quick              1 run; 100 tok/s only for long-md; sessions and the 10k RSS row kept
  --runs N             runs per configuration (default 3; medians are reported)
  --docs LIST          long-md,gen-8k (default both)
  --rates LIST         100,max (tokens per second; "max" = as fast as the server sends)
  --clients LIST       inkwell,floor
  --sessions LIST      saved-session sizes for the app, e.g. 0,100,1000 (default)
  --no-10k             skip the peak-RSS run with a 10,000-message session
  --gen-tokens N       size of the generated document (default 8000)
  --profile            write V8 CPU profiles of the app's runs to bench-results/prof/ and summarise them
  --out FILE           JSON output (default bench-results/bench-<date>.json)
  --bytes              only the byte budget on real documents at 80/120/200 columns (scripts/bench/bytes.mjs;
                       its own flags: --docs, --widths, --rate, --max-bytes, --runs, --dump DIR)
  --hostile            only the hostile replies (scripts/bench/hostile.mjs; its own flags: --only, --cap-s, --cli, --out)
  --cache              only the prompt-caching figures, in process (scripts/bench/cache.mjs; its own flags:
                       --turns, --turn-tokens, --runs)`;

function parseArgs(argv) {
  const env = process.env;
  const o = {
    quick: false,
    runs: Number(env.BENCH_RUNS ?? 3),
    docs: (env.BENCH_DOCS ?? 'long-md,gen-8k').split(','),
    rates: (env.BENCH_RATES ?? '100,max').split(','),
    clients: (env.BENCH_CLIENTS ?? 'inkwell,floor').split(','),
    sessions: (env.BENCH_SESSIONS ?? '0,100,1000').split(',').map(Number),
    rss10k: true,
    genTokens: 8000,
    profile: false,
    out: null,
    explicit: new Set(),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--quick':
        o.quick = true;
        break;
      case '--runs':
        o.runs = Number(val());
        o.explicit.add('runs');
        break;
      case '--docs':
        o.docs = val().split(',');
        o.explicit.add('docs');
        break;
      case '--rates':
        o.rates = val().split(',');
        o.explicit.add('rates');
        break;
      case '--clients':
        o.clients = val().split(',');
        break;
      case '--sessions':
        o.sessions = val().split(',').map(Number);
        break;
      case '--no-10k':
        o.rss10k = false;
        break;
      case '--gen-tokens':
        o.genTokens = Number(val());
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--out':
        o.out = val();
        break;
      case '-h':
      case '--help':
        process.stdout.write(HELP + '\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${a}\n${HELP}`);
    }
  }
  if (o.quick && !o.explicit.has('runs')) o.runs = 1;
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs needs a whole number ≥ 1');
  for (const r of o.rates) if (r !== 'max' && !(Number(r) > 0)) throw new Error(`bad rate ${r}`);
  for (const s of o.sessions) if (!Number.isInteger(s) || s < 0) throw new Error(`bad session size ${s}`);
  if (!o.sessions.includes(0)) o.sessions.unshift(0);
  return o;
}

const log = (s) => process.stderr.write(s + '\n');
const stamp = () => new Date().toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');

async function main() {
  // --bytes: the byte budget on real documents at several widths (scripts/bench/bytes.mjs), alone.
  if (process.argv.includes('--bytes')) return (await import('./bench/bytes.mjs')).main(process.argv.slice(2));
  // --cache: prompt-caching cost ratio and send→request time over a 20-turn conversation (scripts/bench/cache.mjs), alone.
  if (process.argv.includes('--cache')) return (await import('./bench/cache.mjs')).main(process.argv.slice(2));
  // --hostile: hostile or huge replies (issue 22): time, CPU, peak RSS, Esc, signals, reopening (scripts/bench/hostile.mjs), alone.
  if (process.argv.includes('--hostile')) return (await import('./bench/hostile.mjs')).main(process.argv.slice(2));
  const opts = parseArgs(process.argv.slice(2));
  const cli = path.join(ROOT, 'dist/inkwell.js');
  const bundles = await bundleBench();
  const lib = await import(pathToFileURL(bundles.serverLib).href);
  const sessionLib = bundles.sessionLib ? await import(pathToFileURL(bundles.sessionLib).href).catch(() => null) : null;
  const support = sessionSupport(cli, sessionLib);
  const model = 'claude-opus-4-6';

  // The replies: the long real markdown reply, and a generated document with code, tables, lists.
  const docs = [];
  if (opts.docs.includes('long-md')) {
    const file = path.join(ROOT, 'test/fixtures/anthropic/03-text-long-markdown-compaction-opus46.sse');
    const { readFileSync } = await import('node:fs');
    const body = readFileSync(file);
    docs.push({ name: 'long-md', source: { path: file }, info: analyzeStream(body, lib) });
  }
  if (opts.docs.includes('gen-8k')) {
    const text = lib.generateMarkdownDocument(opts.genTokens, 1);
    const sse = lib.sseForText(text, { model });
    const name = opts.genTokens === 8000 ? 'gen-8k' : `gen-${opts.genTokens}`;
    docs.push({ name, source: { body: sse }, info: analyzeStream(Buffer.from(sse, 'utf8'), lib) });
  }
  const rates = opts.rates.map((r) => ({ name: r, tokensPerSecond: r === 'max' ? null : Number(r) }));

  // The jobs of one run, interleaved so drift spreads evenly over clients.
  const jobs = [];
  for (const doc of docs) {
    for (const rate of rates) {
      if (opts.quick && !opts.explicit.has('rates') && rate.tokensPerSecond && doc.name !== 'long-md') continue;
      if (opts.clients.includes('floor')) jobs.push({ client: 'floor', doc, rate, session: 0 });
      if (opts.clients.includes('inkwell')) {
        for (const s of opts.sessions) {
          if (s > 0 && !support.available) continue;
          jobs.push({ client: 'inkwell', doc, rate, session: s, resumeArgs: support.args });
        }
      }
    }
  }
  const maxRate = rates.find((r) => r.tokensPerSecond === null) ?? { name: 'max', tokensPerSecond: null };
  if (opts.rss10k && opts.clients.includes('inkwell') && support.available && docs.length > 0) {
    jobs.push({ client: 'inkwell', doc: docs[0], rate: maxRate, session: 10_000, resumeArgs: support.args });
  }

  const estimateS =
    opts.runs *
    jobs.reduce((s, j) => s + 3 + (j.rate.tokensPerSecond ? j.doc.info.outputTokens / j.rate.tokensPerSecond : 4) + j.session / 2000, 0);
  log(`inkwell bench: ${jobs.length} configurations × ${opts.runs} run(s); about ${Math.ceil(estimateS / 60)} min`);
  log(
    `  replies: ${docs.map((d) => `${d.name} (${d.info.outputTokens} tokens, ${d.info.textDeltas} deltas, ${d.info.textBytes} text bytes, ${d.info.lines.length} probed lines)`).join('; ')}`,
  );
  log(
    `  sessions: ${support.available ? support.reason : `n/a (${support.reason})`}; CLK_TCK ${clockTicks()}; measured on node ${measuredNodeVersion}`,
  );
  const loadBefore = os.loadavg();
  if (loadBefore[0] > os.cpus().length * 0.5)
    log(
      `  note: load average ${loadBefore[0].toFixed(1)} on ${os.cpus().length} CPUs: wall-clock figures (latency, cold start) will be noisy`,
    );

  const server = await startBenchServer(lib);
  const profileDir = opts.profile ? path.join(ROOT, 'bench-results/prof', stamp()) : null;
  const appNodeArgs = launcherNodeArgs(cli);
  if (appNodeArgs.length > 0) log(`  app node flags (from its #! line): ${appNodeArgs.join(' ')}`);
  const ctx = { lib, sessionLib, server, cli, floor: bundles.floor, root: ROOT, model, profileDir, log, appNodeArgs };
  const results = [];
  const started = performance.now();
  try {
    for (let run = 1; run <= opts.runs; run++) {
      for (const job of jobs) {
        const label = `run ${run}/${opts.runs} ${job.doc.name} @${job.rate.name} ${job.client}${job.session ? ` +${job.session} msgs` : ''}`;
        const t0 = performance.now();
        let r;
        try {
          r = await runOnce(ctx, { ...job, run });
        } catch (err) {
          r = { error: err instanceof Error ? err.message : String(err) };
        }
        if (r.error) {
          r = { ...r, client: job.client, doc: job.doc.name, rate: job.rate.name, session: job.session, run };
          log(`  ${label}: ERROR ${r.error}${r.screen ? `\n${r.screen}` : ''}`);
          delete r.screen;
        } else {
          log(
            `  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s · lat ${fmt(r.latency.median)}/${fmt(r.latency.p95)} ms (${r.latency.lines}/${r.latency.probes} lines) · cpu ${fmt(r.cpuMsPer1kTokens)} ms/1k · ${fmt(r.bytesPerToken)} B/tok · cold ${fmt(r.coldStartMs)} ms · rss ${fmt(r.peakRssMB)} MB`,
          );
        }
        results.push(r);
      }
    }
  } finally {
    await server.close();
  }

  const rows = aggregate(results);
  const notes = [];
  if (!support.available && opts.clients.includes('inkwell')) {
    for (const doc of docs)
      for (const rate of rates)
        for (const s of opts.sessions.filter((s) => s > 0))
          notes.push({
            doc: doc.name,
            rate: rate.name,
            client: `inkwell+${s >= 1000 ? `${s / 1000}k` : s} msgs`,
            text: 'n/a (sessions not available)',
          });
    if (opts.rss10k)
      notes.push({ doc: docs[0]?.name ?? '', rate: maxRate.name, client: 'inkwell+10k msgs', text: 'n/a (sessions not available)' });
  }
  const goals = targets(rows);
  const out = [
    '',
    `inkwell bench · ${new Date().toISOString()} · ${opts.runs} run(s), medians · pty 100×40 · ${((performance.now() - started) / 60000).toFixed(1)} min · load avg ${loadBefore[0].toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`,
    '',
    table(rows, notes),
    '',
    'latency: the server sent the frame that completes a line → the line is on screen (from the frame carrying its last',
    "  characters when the line shows before it is complete); median and p95 over the reply's lines, and the first line.",
    'lines seen: lines whose text was ever on screen (at "max" most lines scroll past between two frames).',
    'CPU: utime+stime of the client from Enter to the reply complete on screen. B/tok: bytes written to the terminal',
    "  during the reply per output token; B/text: ÷ the reply text's UTF-8 bytes. cold: spawn → ready for input.",
    '',
    "where the app's bytes went (terminal writes during the reply):",
    bytesText(rows) || '  –',
    '',
    'targets (reported, never asserted):',
    targetsText(goals),
  ];
  process.stdout.write(out.join('\n') + '\n');

  let profile = null;
  if (profileDir) {
    const present = new Set(existsSync(profileDir) ? readdirSync(profileDir) : []);
    const byRow = new Map();
    for (const r of results) {
      if (!r.profile || !present.has(path.basename(r.profile.file))) continue;
      const key = `${r.doc} @${r.rate}${r.session ? ` +${r.session} msgs` : ''}`;
      if (!byRow.has(key)) byRow.set(key, []);
      byRow.get(key).push(r.profile);
    }
    profile = {};
    for (const [key, files] of byRow) {
      profile[key] = summarise(files, 30);
      process.stdout.write(
        `\nCPU profile of the app during the reply, ${key} (${files.length} run(s), start-up left out; ${path.relative(ROOT, profileDir)}):\n${summaryText(profile[key])}\n`,
      );
    }
  }

  const file = opts.out ?? path.join(ROOT, 'bench-results', `bench-${stamp()}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: measuredNodeVersion,
        terminal: { cols: 100, rows: 40 },
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, loadavgBefore: loadBefore, loadavgAfter: os.loadavg() },
        options: { ...opts, explicit: undefined },
        sessions: support,
        targets: TARGETS,
        docs: docs.map((d) => ({
          name: d.name,
          tokens: d.info.outputTokens,
          textDeltas: d.info.textDeltas,
          textBytes: d.info.textBytes,
          probedLines: d.info.lines.length,
        })),
        summary: rows,
        targetsMet: goals,
        runs: results,
        profile,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`\nJSON: ${path.relative(process.cwd(), file)}\n`);
}

const fmt = (x) => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(1) : String(Math.round(x)));

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
