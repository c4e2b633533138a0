// Session search figures (issue 20), in process and through the CLI: 10,000 generated sessions of
// 50 messages each (25 prompts, 25 replies, ~60 words each), written in the session file format
// (src/sessions/schema.ts) to a temporary INKWELL_HOME. Reports, never asserts:
//   - building the index from nothing (the first search), and its size on disk;
//   - a search with the index up to date (median of --runs): a rare word (5 sessions), a common
//     word (every session), two words, a word with no hit — stat of every file included;
//   - a search after one session grew by a turn (the index reads only the new tail);
//   - the same search by a plain scan of every file (the fallback without node:sqlite);
//   - `inkwell sessions search <word>` end to end (process start included), on the project's Node.
//
//   npm run bench -- --search [--sessions 10000] [--messages 50] [--runs 9] [--keep DIR]
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { MEASURED_NODE } from './pty.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const OUT = path.join(ROOT, 'dist/bench/search-lib.js');
const log = (s) => process.stdout.write(`${s}\n`);

/** Deterministic random numbers (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A vocabulary of 5,000 made-up words, drawn with a Zipf-like skew (a few words are everywhere). */
function vocabulary(rand) {
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'pe', 'da', 'fi', 'go', 'hu', 'ze', 'bo', 'ri', 'an', 'el', 'or', 'ux'];
  const words = [];
  const seen = new Set();
  while (words.length < 5000) {
    let w = '';
    const n = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) w += syll[Math.floor(rand() * syll.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Writes `sessions` files of `messages` messages each into `dir`. @returns the rare word's sessions */
function generate(dir, sessions, messages) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const rand = rng(20);
  const vocab = vocabulary(rand);
  const pick = () => vocab[Math.floor(vocab.length * rand() ** 3)];
  const sentence = (n) => {
    const w = [];
    for (let i = 0; i < n; i++) w.push(pick());
    return `${w.join(' ')}.`;
  };
  const t0 = Date.UTC(2026, 0, 1);
  const rare = new Set();
  for (let s = 0; s < sessions; s++) {
    const id = `b${String(s).padStart(7, '0')}`;
    let at = t0 + s * 60_000;
    const lines = [
      JSON.stringify({
        v: 2,
        k: 'session',
        id,
        at,
        created: new Date(at).toISOString(),
        model: 'claude-sonnet-4-5',
        system: null,
        title: null,
      }),
    ];
    for (let m = 0; m < messages; m += 2) {
      at += 1000;
      let text = `${sentence(12)} ${sentence(10)}`;
      if (s % 2000 === 7 && m === 10) {
        text += ' What about the xylophone?';
        rare.add(id);
      }
      lines.push(JSON.stringify({ v: 2, k: 'user', id: `u${m}`, at, message: { role: 'user', id: `u${m}`, text, createdAt: at } }));
      if (m + 1 >= messages) break;
      at += 1000;
      const reply = `${sentence(14)} ${sentence(16)}\n\n${sentence(18)} ${sentence(12)}`;
      lines.push(
        JSON.stringify({
          v: 2,
          k: 'assistant',
          id: `a${m}`,
          at,
          message: {
            role: 'assistant',
            id: `a${m}`,
            model: 'claude-sonnet-4-5',
            content: [{ type: 'text', text: reply }],
            blocks: [{ startedAt: at, stoppedAt: at, partialJson: '' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            stop_details: null,
            usage: { input_tokens: 100, output_tokens: 80, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
            usageFinal: true,
            status: 'complete',
            interruption: null,
            requestId: null,
            apiId: null,
            startedAt: at,
            firstTokenAt: at,
            endedAt: at,
          },
        }),
      );
    }
    writeFileSync(path.join(dir, `${id}.jsonl`), `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return { rare, common: vocab[0], second: vocab[1] };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/** Runs `fn`: wall time and this process's CPU time (user + system, all threads), in ms. */
function timed(fn) {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const d = process.cpuUsage(c);
  return { ms: performance.now() - t, cpu: (d.user + d.system) / 1000, value };
}

function parse(argv) {
  const o = { sessions: 10_000, messages: 50, runs: 9, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sessions') o.sessions = Number(argv[++i]);
    else if (a === '--messages') o.messages = Number(argv[++i]);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--keep') o.keep = argv[++i];
  }
  return o;
}

export async function main(argv) {
  const o = parse(argv.filter((a) => a !== '--search'));
  await build({
    entryPoints: [path.join(ROOT, 'src/sessions/search.ts')],
    outfile: OUT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'error',
  });
  const lib = await import(pathToFileURL(OUT).href);
  const home = o.keep ?? mkdtempSync(path.join(os.tmpdir(), 'inkwell-search-bench-'));
  const dir = path.join(home, 'data', 'sessions');
  try {
    log(`search bench: ${o.sessions.toLocaleString('en-US')} sessions × ${o.messages} messages, Node ${process.versions.node}`);
    const gen = timed(() => generate(dir, o.sessions, o.messages));
    const { rare, common, second } = gen.value;
    log(`  generated in ${ms(gen.ms)}`);

    const first = timed(() => lib.searchSessions(dir, 'xylophone'));
    if (first.value.engine !== 'index') throw new Error('the index was not used (node:sqlite missing?)');
    const indexBytes = statSync(path.join(dir, '.search-index.sqlite')).size;
    log(`  index built (first search) in ${ms(first.ms)} (CPU ${ms(first.cpu)}); ${(indexBytes / 1e6).toFixed(0)} MB on disk`);
    if (first.value.total !== rare.size) throw new Error(`expected ${rare.size} hits, got ${first.value.total}`);

    const queries = [
      ['rare word (5 sessions)', 'xylophone'],
      [`common word "${common}" (${'every'} session)`, common],
      [`two words "${common} ${second}"`, `${common} ${second}`],
      ['no hit', 'zzyzx'],
    ];
    const rows = [];
    for (const [label, q] of queries) {
      const times = [];
      const cpus = [];
      let total = 0;
      for (let r = 0; r < o.runs; r++) {
        const t = timed(() => lib.searchSessions(dir, q));
        times.push(t.ms);
        cpus.push(t.cpu);
        total = t.value.total;
      }
      rows.push([label, median(times), median(cpus), total]);
      log(
        `  ${label}: median ${ms(median(times))} (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}; CPU median ${ms(median(cpus))}), ${total} sessions match`,
      );
    }

    // One session grows by a turn: only its tail is read.
    const grown = path.join(dir, 'b0000042.jsonl');
    const at = Date.UTC(2027, 0, 1);
    appendFileSync(
      grown,
      `${JSON.stringify({ v: 2, k: 'user', id: 'u999', at, message: { role: 'user', id: 'u999', text: 'and the marimba?', createdAt: at } })}\n`,
    );
    const inc = timed(() => lib.searchSessions(dir, 'marimba'));
    log(`  after one session grew: ${ms(inc.ms)} (CPU ${ms(inc.cpu)}; ${inc.value.total} match)`);

    const scan = timed(() => lib.searchSessions(dir, 'xylophone', { engine: 'scan' }));
    log(`  plain scan of every file (no node:sqlite): ${ms(scan.ms)} (CPU ${ms(scan.cpu)}; ${scan.value.total} match)`);

    const cli = path.join(ROOT, 'dist/inkwell.js');
    const env = { ...process.env, INKWELL_HOME: home };
    delete env.CI;
    const run = (args) => {
      const times = [];
      for (let r = 0; r < Math.min(o.runs, 5); r++) {
        const t = performance.now();
        execFileSync(MEASURED_NODE, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
        times.push(performance.now() - t);
      }
      return median(times);
    };
    const cliTimes = [run(['sessions', 'search', 'xylophone'])];
    const startOnly = run(['--version']);
    log(`  inkwell sessions search xylophone, end to end: median ${ms(cliTimes[0])} (inkwell --version: ${ms(startOnly)})`);
    return { build: first.ms, indexBytes, rows, incremental: inc.ms, scan: scan.ms, cli: cliTimes[0], startOnly };
  } finally {
    if (!o.keep) rmSync(home, { recursive: true, force: true });
  }
}
