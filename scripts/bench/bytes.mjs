// The byte budget (issue 14): real documents streamed as replies to the built app at several
// widths, every byte it writes to the terminal during the reply sorted by budget.mjs into text,
// SGR, cursor and clears, and the status bar.
//
//   npm run bench -- --bytes                                  all documents at 80, 120 and 200 columns
//   npm run bench -- --bytes --docs chalk,picomatch --widths 80
//   npm run bench -- --bytes --dump /tmp/bytes                keep each run's raw output (<doc>-<width>.raw)
//
// Flags: --docs LIST, --widths LIST (default 80,120,200), --rows N (40), --rate N|max (100: the
// rate of the main bench's "bytes ÷ reply bytes" row), --max-bytes N (each document cut at the
// last blank line outside a code fence before N bytes; default 12000, 0 = whole), --runs N (1),
// --dump DIR, --out FILE, --cli PATH (the app to run; default dist/inkwell.js: others rebuilding
// dist/ in a shared tree change what is measured, so a build of a clean snapshot can be named).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { classifyOutput } from './budget.mjs';
import { bundleBench, ROOT } from './bundle.mjs';
import { launcherNodeArgs, MEASURED_NODE, ptyEnv, sleep, spawnRecorded, until } from './pty.mjs';
import { startBenchServer } from './server.mjs';

const PROMPT = 'Summarise the notes.';
const READY_TEXT = 'Ask Claude';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/**
 * The documents: real READMEs from node_modules (present after `npm ci`; the bench ships none of
 * them) of different shapes, and the main bench's two replies.
 * `kind` says what the document is mostly made of.
 */
export const BYTE_DOCS = [
  { name: 'chalk', kind: 'lists, short code', path: 'node_modules/chalk/readme.md' },
  { name: 'picomatch', kind: 'tables, code, lists', path: 'node_modules/picomatch/README.md' },
  { name: 'hljs-langs', kind: 'one long table', path: 'node_modules/highlight.js/SUPPORTED_LANGUAGES.md' },
  { name: 'hljs', kind: 'code-heavy, prose', path: 'node_modules/highlight.js/README.md' },
  { name: 'commander', kind: 'code-heavy, lists', path: 'node_modules/commander/Readme.md' },
  { name: 'atomically', kind: 'nested lists', path: 'node_modules/atomically/readme.md' },
  { name: 'long-md', kind: 'real reply (bench fixture)', sse: 'test/fixtures/anthropic/03-text-long-markdown-compaction-opus46.sse' },
  { name: 'gen-8k', kind: 'generated (bench)', generate: 8000 },
];

/**
 * `text` cut at the last blank line before `maxBytes` (UTF-8) that is outside a code fence, so a
 * cut document is still well-formed markdown (when that would keep less than half, at the last
 * line end outside a fence: a long table keeps its first rows); the whole text when it fits or
 * `maxBytes` is 0.
 */
export function cutDocument(text, maxBytes) {
  if (!maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let inFence = false;
  let blank = 0;
  let lineEnd = 0;
  let at = 0;
  for (const line of text.split('\n')) {
    const end = at + line.length + 1;
    if (Buffer.byteLength(text.slice(0, end), 'utf8') > maxBytes) break;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && line.trim() === '') blank = at;
    if (!inFence) lineEnd = end;
    at = end;
  }
  const cut = Buffer.byteLength(text.slice(0, blank), 'utf8') >= maxBytes / 2 ? blank : lineEnd;
  return text.slice(0, cut).trimEnd() + '\n';
}

function parseArgs(argv) {
  const o = {
    docs: BYTE_DOCS.map((d) => d.name),
    widths: [80, 120, 200],
    rows: 40,
    rate: '100',
    maxBytes: 12000,
    runs: 1,
    dump: null,
    out: null,
    cli: path.join(ROOT, 'dist/inkwell.js'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--bytes':
        break;
      case '--docs':
        o.docs = val().split(',');
        break;
      case '--widths':
        o.widths = val().split(',').map(Number);
        break;
      case '--rows':
        o.rows = Number(val());
        break;
      case '--rate':
      case '--rates':
        o.rate = val();
        break;
      case '--max-bytes':
        o.maxBytes = Number(val());
        break;
      case '--runs':
        o.runs = Number(val());
        break;
      case '--dump':
        o.dump = val();
        break;
      case '--out':
        o.out = val();
        break;
      case '--cli':
        o.cli = path.resolve(val());
        break;
      default:
        throw new Error(`unknown flag for --bytes: ${a}`);
    }
  }
  for (const d of o.docs)
    if (!BYTE_DOCS.some((b) => b.name === d)) throw new Error(`unknown document ${d} (${BYTE_DOCS.map((b) => b.name).join(', ')})`);
  return o;
}

/** The reply text and its SSE body for a document (null when its file is absent). */
function loadDoc(doc, lib, model, maxBytes) {
  if (doc.sse) {
    const body = readFileSync(path.join(ROOT, doc.sse));
    let text = '';
    for (const f of lib.splitFrames(body)) {
      if (f.event !== 'content_block_delta') continue;
      const d = JSON.parse(f.data);
      if (d.delta?.type === 'text_delta') text += d.delta.text;
    }
    return {
      text,
      source: { path: path.join(ROOT, doc.sse) },
      deltas: lib.splitFrames(body).filter((f) => f.event === 'content_block_delta').length,
      tokens: null,
      body,
    };
  }
  let text;
  if (doc.generate) text = lib.generateMarkdownDocument(doc.generate, 1);
  else {
    const file = path.join(ROOT, doc.path);
    if (!existsSync(file)) return null;
    text = cutDocument(readFileSync(file, 'utf8'), maxBytes);
  }
  const sse = lib.sseForText(text, { model });
  const n = lib.textTokens(text).length;
  return { text, source: { body: sse }, deltas: n, tokens: n };
}

/** Output tokens of an SSE body (message_delta usage), for pacing. */
function outputTokens(body, lib) {
  let n = null;
  for (const f of lib.splitFrames(body)) {
    if (f.event !== 'message_delta') continue;
    const u = JSON.parse(f.data).usage?.output_tokens;
    if (typeof u === 'number') n = u;
  }
  return n;
}

/**
 * One reply at one width: the raw output from Enter until the app is idle again.
 * @returns { raw, statusRow, replyMs } or { error }
 */
async function runOne(ctx, doc, width, o) {
  const home = mkdtempSync(path.join(tmpdir(), 'inkwell-bytes-'));
  let rec = null;
  try {
    const env = ptyEnv({ ANTHROPIC_API_KEY: 'sk-bench', INKWELL_HOME: home });
    rec = spawnRecorded(MEASURED_NODE, [...ctx.nodeArgs, ctx.cli, '--model', ctx.model, '--base-url', ctx.server.url], {
      cols: width,
      rows: o.rows,
      env,
      cwd: ROOT,
    });
    const screen = async () => {
      await rec.sync();
      return rec.screen().split('\n');
    };
    const ready = await until(async () => rec.exitCode() !== null || (await screen()).join('\n').includes(READY_TEXT), {
      timeoutMs: 60_000,
      everyMs: 20,
    });
    if (!ready || rec.exitCode() !== null) return { error: 'the app was not ready' };
    await quiet(rec, 300, 5_000);
    rec.write(PROMPT);
    await until(async () => (await screen()).join('\n').includes(PROMPT), { timeoutMs: 5_000, everyMs: 10 });
    await quiet(rec, 150, 2_000);

    const scenario = { kind: 'sse', ...doc.source };
    if (o.rate !== 'max') scenario.tokensPerSecond = (Number(o.rate) * doc.deltas) / doc.tokens;
    const cap = ctx.server.capture(scenario);
    const enterIndex = rec.chunks.length;
    const t0 = performance.now();
    rec.write('\r');
    const expectedMs = o.rate === 'max' ? 10_000 : (doc.tokens / Number(o.rate)) * 1000;
    const served = await until(() => cap.endedAt !== null || cap.closedAt !== null, { timeoutMs: expectedMs + 60_000, everyMs: 50 });
    if (!served) return { error: 'the server never finished the reply' };
    let rows = [];
    const deadline = performance.now() + 60_000;
    for (;;) {
      await quiet(rec, 400, 5_000);
      rows = await screen();
      const bottom = rows.slice(-3).join('\n');
      if (bottom.includes(READY_TEXT) && !SPINNER.test(bottom)) break;
      if (performance.now() > deadline) return { error: 'the reply never completed on screen' };
      await sleep(50);
    }
    const replyMs = rec.chunks.at(-1).t - t0;
    ctx.server.release();
    // The prompt is the row with the placeholder; the status bar is the row above it.
    const promptRow = rows.findLastIndex((r) => r.includes(READY_TEXT)) + 1;
    return { raw: rec.rawSince(enterIndex), statusRow: promptRow - 1, replyMs };
  } finally {
    ctx.server.release();
    if (rec) {
      rec.kill('SIGKILL');
      rec.dispose();
    }
    rmSync(home, { recursive: true, force: true });
  }
}

async function quiet(rec, quietMs, timeoutMs) {
  return until(() => rec.chunks.length > 0 && performance.now() - rec.chunks.at(-1).t >= quietMs, {
    timeoutMs,
    everyMs: Math.min(50, quietMs / 2),
  });
}

const x = (n, d) => (d ? `${(n / d).toFixed(2)}×` : '–');

/** The table: one row per document and width, every category as a multiple of the reply's bytes. */
export function budgetTable(results) {
  const head = [
    'document',
    'cols',
    'reply B',
    'written B',
    'total',
    'text',
    'SGR',
    'cursor+clears',
    'status bar',
    'CUP',
    'erase',
    'scroll',
    'sync+save',
  ];
  const body = results.map((r) => {
    const b = r.budget;
    const rb = r.replyBytes;
    const c = b.rest.controls;
    return [
      r.doc,
      String(r.cols),
      String(rb),
      String(b.bytes),
      x(b.bytes, rb),
      x(b.rest.text, rb),
      x(b.rest.sgr, rb),
      x(b.rest.control, rb),
      x(b.status.bytes, rb),
      x(c.cup, rb),
      x(c.erase, rb),
      x(c.scroll, rb),
      x(c.sync + c.saveRestore, rb),
    ];
  });
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  return all.map((r) => r.map((c, i) => (i < 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n');
}

/** Markdown version of the table, for BENCHMARKS.md. */
export function budgetMarkdown(results) {
  const lines = [
    '| document | cols | reply B | written ÷ reply | text | SGR | cursor + clears | status bar |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const b = r.budget;
    const rb = r.replyBytes;
    lines.push(
      `| ${r.doc} | ${r.cols} | ${rb.toLocaleString('en-US')} | **${x(b.bytes, rb)}** | ${x(b.rest.text, rb)} | ${x(b.rest.sgr, rb)} | ${x(b.rest.control, rb)} | ${x(b.status.bytes, rb)} |`,
    );
  }
  return lines.join('\n');
}

/** `npm run bench -- --bytes …`: run the budget and print it. */
export async function main(argv) {
  const o = parseArgs(argv);
  const cli = o.cli;
  const bundles = await bundleBench();
  const lib = await import(pathToFileURL(bundles.serverLib).href);
  const model = 'claude-opus-4-6';
  const docs = [];
  for (const d of BYTE_DOCS.filter((b) => o.docs.includes(b.name))) {
    const loaded = loadDoc(d, lib, model, o.maxBytes);
    if (!loaded) {
      process.stderr.write(`  ${d.name}: ${d.path} not found (run npm ci): skipped\n`);
      continue;
    }
    if (loaded.tokens === null) loaded.tokens = outputTokens(loaded.body, lib);
    docs.push({ ...d, ...loaded, replyBytes: Buffer.byteLength(loaded.text, 'utf8') });
  }
  const server = await startBenchServer(lib);
  const ctx = { cli, model, server, nodeArgs: launcherNodeArgs(cli) };
  const estimate = docs.reduce((s, d) => s + 4 + (o.rate === 'max' ? 3 : d.tokens / Number(o.rate)), 0) * o.widths.length * o.runs;
  process.stderr.write(
    `inkwell byte budget: ${docs.length} documents × ${o.widths.length} widths × ${o.runs} run(s) at ${o.rate} tok/s, ${o.rows} rows; about ${Math.ceil(estimate / 60)} min\n`,
  );
  for (const d of docs) process.stderr.write(`  ${d.name} (${d.kind}): ${d.replyBytes} bytes, ${d.tokens} tokens\n`);
  const results = [];
  try {
    for (let run = 1; run <= o.runs; run++) {
      for (const width of o.widths) {
        for (const doc of docs) {
          const r = await runOne(ctx, doc, width, o);
          if (r.error) {
            process.stderr.write(`  ${doc.name} @${width}: ERROR ${r.error}\n`);
            continue;
          }
          if (o.dump) {
            mkdirSync(o.dump, { recursive: true });
            writeFileSync(path.join(o.dump, `${doc.name}-${width}.raw`), r.raw);
            writeFileSync(path.join(o.dump, `${doc.name}.md`), doc.text);
          }
          const budget = classifyOutput(r.raw, { rows: o.rows, statusRow: r.statusRow });
          const res = {
            doc: doc.name,
            kind: doc.kind,
            cols: width,
            rows: o.rows,
            run,
            replyBytes: doc.replyBytes,
            tokens: doc.tokens,
            statusRow: r.statusRow,
            replyMs: Math.round(r.replyMs),
            budget,
          };
          results.push(res);
          process.stderr.write(
            `  run ${run} ${doc.name} @${width}: ${x(budget.bytes, doc.replyBytes)} (text ${x(budget.rest.text, doc.replyBytes)}, status ${x(budget.status.bytes, doc.replyBytes)})\n`,
          );
        }
      }
    }
  } finally {
    await server.close();
  }
  results.sort(
    (a, b) => docs.findIndex((d) => d.name === a.doc) - docs.findIndex((d) => d.name === b.doc) || a.cols - b.cols || a.run - b.run,
  );
  process.stdout.write(
    `\ninkwell byte budget · ${new Date().toISOString()} · ${path.relative(ROOT, cli)} · ${o.rate} tok/s · ${o.rows} rows · documents cut at ${o.maxBytes || 'no'} bytes\n` +
      "every category as a multiple of the reply's bytes (they add up to the total); status bar = every byte\n" +
      'written on its row (and the save/restore/sync around paints of it alone); text, SGR, cursor+clears = the rest\n\n' +
      budgetTable(results) +
      '\n\n' +
      budgetMarkdown(results) +
      '\n',
  );
  const file =
    o.out ?? path.join(ROOT, 'bench-results', `bytes-${new Date().toISOString().replace(/[:]/g, '-').replace(/\..+$/, '')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        options: o,
        docs: docs.map((d) => ({ name: d.name, kind: d.kind, replyBytes: d.replyBytes, tokens: d.tokens })),
        results,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`\nJSON: ${path.relative(process.cwd(), file)}\n`);
}
