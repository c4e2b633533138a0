// Prompt caching figures (issue 15), in process: a 20-turn conversation growing to about 100k
// tokens, sent by the app's own engine (ChatEngine → messagesApi(createClient(…))) to the local
// Messages API server, whose prompt cache (src/server/cache.ts) splits every request's usage into
// input, cache writes and cache reads as the API does. Reports, never asserts:
//   - billed input cost with caching ÷ without (input 1×, 5-minute write 1.25×, 1-hour write 2×,
//     read 0.1×), from the server's usage;
//   - the time from engine.send to the request handed to fetch, against the conversation's size,
//     as a least-squares slope in ms per 10k tokens, with caching and without.
//
//   npm run bench -- --cache [--turns 20] [--turn-tokens 5000] [--runs 3]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, '../../dist/bench/cache-lib.js');
const log = (s) => process.stdout.write(`${s}\n`);

/** Price multipliers of input kinds relative to the base input price. */
export const PRICE = { input: 1, write5m: 1.25, write1h: 2, read: 0.1 };

const MODEL = 'claude-sonnet-5';
const SYSTEM = 'You are a careful assistant for a terminal chat. Answer plainly and cite the files you were given. '.repeat(20);
const WORDS =
  'stream token buffer render terminal markdown viewport cache frame reply model message client server latency budget context window history session'.split(
    ' ',
  );

/**
 * The two conversation shapes, each 20 turns to about 100k tokens: `linear` pastes a ~5k-token
 * file every turn; `document` pastes a ~62k-token document first and asks ~2k-token follow-ups.
 * @returns the prompt size in tokens of turn `t` (1-based)
 */
export const SHAPES = {
  linear: (_t, turnTokens) => turnTokens,
  document: (t, turnTokens) => (t === 1 ? Math.round(turnTokens * 12.4) : Math.round(turnTokens * 0.4)),
};

/** A deterministic user prompt of about `tokens` tokens (~4 characters each): a pasted file. */
function prompt(turn, tokens) {
  const out = [`Turn ${turn}: here is the next file, what does it do?`];
  let chars = out[0].length;
  for (let i = 0; chars < tokens * 4; i++) {
    const line = `${WORDS[(turn * 7 + i) % WORDS.length]} ${WORDS[(turn + i * 3) % WORDS.length]} ${i} ${turn};`;
    out.push(line);
    chars += line.length + 1;
  }
  return out.join('\n');
}

/** Input cost of one request's usage in base-input-token units. */
export function inputCost(u) {
  const w1h = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const w5m = u.cache_creation ? u.cache_creation.ephemeral_5m_input_tokens : u.cache_creation_input_tokens;
  return u.input_tokens * PRICE.input + w5m * PRICE.write5m + w1h * PRICE.write1h + u.cache_read_input_tokens * PRICE.read;
}

/** Least-squares slope of ys over xs. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One conversation with `promptCache`; per turn: usage, total input tokens, send→fetch ms. */
async function conversation(lib, promptCache, turns, turnTokens, shape) {
  const server = await lib.startMessagesServer({ defaultScenario: { kind: 'demo', tokensPerSecond: 0 } });
  let sentAt = 0;
  const timed = (input, init) => {
    if (String(input).endsWith('/v1/messages')) sentAt = performance.now();
    return fetch(input, init);
  };
  try {
    const client = lib.createClient({ apiKey: 'sk-bench', authToken: null, baseURL: server.url, maxRetries: 0 }, timed);
    const engine = new lib.ChatEngine({
      api: lib.messagesApi(client),
      model: MODEL,
      maxTokens: 1024,
      system: SYSTEM,
      promptCache,
      frameMs: 0,
    });
    const rows = [];
    for (let t = 1; t <= turns; t++) {
      const text = prompt(t, SHAPES[shape](t, turnTokens));
      const t0 = performance.now();
      if (!engine.send(text)) throw new Error(`turn ${t} was not sent`);
      const outcome = await engine.settled();
      if (!outcome?.ok) throw new Error(`turn ${t} failed: ${JSON.stringify(outcome)}`);
      const last = engine
        .getState()
        .messages.filter((m) => m.role === 'assistant')
        .at(-1);
      const u = last.usage;
      rows.push({
        usage: u,
        total: u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens,
        sendMs: sentAt - t0,
      });
    }
    return rows;
  } finally {
    await server.close();
  }
}

function parse(argv) {
  const o = { turns: 20, turnTokens: 5000, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--turns') o.turns = Number(argv[++i]);
    else if (argv[i] === '--turn-tokens') o.turnTokens = Number(argv[++i]);
    else if (argv[i] === '--runs') o.runs = Number(argv[++i]);
  }
  return o;
}

/** `npm run bench -- --cache`: prints the figures. */
export async function main(argv) {
  const o = parse(argv);
  await build({
    entryPoints: [path.join(here, 'cache-entry.mjs')],
    outfile: OUT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cacheCreateRequire } from 'node:module'; const require = __cacheCreateRequire(import.meta.url);",
    },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const lib = await import(pathToFileURL(OUT).href);
  log(`prompt caching: ${o.turns} turns, ${MODEL}, the demo model's short replies, ${o.runs} runs per setting (medians per turn)`);
  // Warm the engine, the SDK and the server up once so turn 1 of the first setting is not a cold JIT.
  await conversation(lib, '5m', 3, 1000, 'linear');
  const all = {};
  for (const shape of Object.keys(SHAPES)) {
    log(`${shape}:`);
    all[shape] = await report(lib, o, shape);
  }
  return all;
}

async function report(lib, o, shape) {
  const results = { '5m': [], '1h': [], off: [] };
  // Interleave the settings run by run so drift on a shared machine hits all three alike.
  for (let r = 0; r < o.runs; r++) {
    for (const setting of Object.keys(results)) results[setting].push(await conversation(lib, setting, o.turns, o.turnTokens, shape));
  }
  for (const [setting, runs] of Object.entries(results)) {
    results[setting] = runs[0].map((row, i) => ({ ...row, sendMs: median(runs.map((run) => run[i].sendMs)) }));
  }
  const cost = (rows) => rows.reduce((a, r) => a + inputCost(r.usage), 0);
  const off = cost(results.off);
  const last = results.off.at(-1).total;
  log(`  conversation: ${results.off[0].total} → ${last} input tokens; without caching ${off} token-units billed`);
  for (const setting of ['5m', '1h']) {
    const rows = results[setting];
    const reads = rows.reduce((a, r) => a + r.usage.cache_read_input_tokens, 0);
    const writes = rows.reduce((a, r) => a + r.usage.cache_creation_input_tokens, 0);
    const inputs = rows.reduce((a, r) => a + r.usage.input_tokens, 0);
    log(
      `  promptCache ${setting}: cost ${cost(rows).toFixed(0)} → ratio ${(cost(rows) / off).toFixed(3)} (reads ${reads}, writes ${writes}, uncached ${inputs}); last turn hit ${((100 * rows.at(-1).usage.cache_read_input_tokens) / rows.at(-1).total).toFixed(1)}%`,
    );
  }
  const n = o.turns;
  log(`  floor for ${n} requests of equal size, 5m: (1.25 + 0.1 × ${n - 1}) / ${n} = ${((1.25 + 0.1 * (n - 1)) / n).toFixed(4)}`);
  for (const setting of ['5m', '1h', 'off']) {
    const rows = results[setting];
    const s = slope(
      rows.map((r) => r.total),
      rows.map((r) => r.sendMs),
    );
    log(
      `  send → request sent, promptCache ${setting.padEnd(3)}: median per turn ${median(rows.map((r) => r.sendMs)).toFixed(2)} ms (turn 1 ${rows[0].sendMs.toFixed(2)}, turn ${n} ${rows.at(-1).sendMs.toFixed(2)}); slope ${(s * 10_000).toFixed(3)} ms per 10k tokens`,
    );
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
