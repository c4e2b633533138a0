// Summarises V8 .cpuprofile files (node --cpu-prof): self time per function and per source
// module, with bundle positions mapped back to sources through dist/*.js.map.
//
//   node scripts/bench/profile.mjs bench-results/prof/*.cpuprofile
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64V = new Map([...B64].map((c, i) => [c, i]));

/** Decode a source map's mappings to per-line arrays of [genCol, sourceIndex, srcLine]. */
function decodeMappings(mappings) {
  const lines = [];
  let src = 0;
  let srcLine = 0;
  for (const lineStr of mappings.split(';')) {
    const segs = [];
    let genCol = 0;
    for (const seg of lineStr.split(',')) {
      if (!seg) continue;
      const vals = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = B64V.get(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += vals[0];
      if (vals.length >= 4) {
        src += vals[1];
        srcLine += vals[2]; // vals[3], the source column, is not needed
        segs.push([genCol, src, srcLine]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

const maps = new Map();
function sourceOf(url, line, col) {
  if (!url.startsWith('file://')) return url || '(native)';
  const file = fileURLToPath(url);
  if (!maps.has(file)) {
    let m = null;
    try {
      if (existsSync(`${file}.map`)) {
        const raw = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
        m = { sources: raw.sources, lines: decodeMappings(raw.mappings) };
      }
    } catch {
      m = null;
    }
    maps.set(file, m);
  }
  const m = maps.get(file);
  if (!m) return file;
  const segs = m.lines[line] ?? [];
  let best = null;
  for (const s of segs) {
    if (s[0] <= col) best = s;
    else break;
  }
  if (!best) return file;
  return m.sources[best[1]] ?? file;
}

/** Where a source path belongs: `src/…` file, or the npm package. */
function moduleOf(source) {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = source.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const s = source.indexOf('src/');
  return s >= 0 ? source.slice(s) : source;
}

/**
 * @param files .cpuprofile paths
 * @returns { totalMs, functions: [{ name, where, ms, pct }], modules: [{ module, ms, pct }] }
 */
export function summarise(files, top = 25) {
  const byFn = new Map();
  const byModule = new Map();
  let total = 0;
  for (const entry of files) {
    // `fromMs`: skip samples earlier than this many ms after the profile started (start-up).
    const { file, fromMs = 0 } = typeof entry === 'string' ? { file: entry } : entry;
    const prof = JSON.parse(readFileSync(file, 'utf8'));
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    const self = new Map();
    let at = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      const dt = (prof.timeDeltas[i] ?? 0) / 1000;
      at += dt;
      if (at < fromMs) continue;
      self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
    }
    for (const [id, ms] of self) {
      const cf = nodes.get(id).callFrame;
      if (cf.functionName === '(idle)' || cf.functionName === '(program)') continue;
      total += ms;
      const source = cf.url
        ? sourceOf(cf.url, cf.lineNumber, cf.columnNumber)
        : cf.functionName.startsWith('(')
          ? cf.functionName
          : '(native)';
      const mod = moduleOf(source);
      const name = cf.functionName || '(anonymous)';
      const key = `${name}\u0000${mod}`;
      byFn.set(key, (byFn.get(key) ?? 0) + ms);
      byModule.set(mod, (byModule.get(mod) ?? 0) + ms);
    }
  }
  const pct = (ms) => (total > 0 ? (ms / total) * 100 : 0);
  const functions = [...byFn]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, ms]) => {
      const [name, where] = k.split('\u0000');
      return { name, where, ms, pct: pct(ms) };
    });
  const modules = [...byModule]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([module, ms]) => ({ module, ms, pct: pct(ms) }));
  return { totalMs: total, functions, modules };
}

export function summaryText(s) {
  const out = [`busy time sampled: ${Math.round(s.totalMs)} ms (idle and (program) excluded)`, '', 'by module (self time):'];
  for (const m of s.modules.slice(0, 15))
    out.push(`  ${m.pct.toFixed(1).padStart(5)}%  ${Math.round(m.ms).toString().padStart(6)} ms  ${m.module}`);
  out.push('', 'top functions (self time):');
  for (const f of s.functions)
    out.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${Math.round(f.ms).toString().padStart(6)} ms  ${f.name}  (${f.where})`);
  return out.join('\n');
}

/**
 * Who calls a function: self time of every function named `name` (in `module`, if given), summed
 * per chain of its `depth` nearest callers, heaviest first.
 * @returns [{ chain: string (callee ← caller ← …), ms }]
 */
export function callers(files, name, depth = 5, fromMs = 0) {
  const byChain = new Map();
  for (const file of files) {
    const prof = JSON.parse(readFileSync(file, 'utf8'));
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const label = (n) => {
      const cf = n.callFrame;
      const src = cf.url ? moduleOf(sourceOf(cf.url, cf.lineNumber, cf.columnNumber)) : '';
      return `${cf.functionName || '(anon)'}[${src}]`;
    };
    let at = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      const dt = (prof.timeDeltas[i] ?? 0) / 1000;
      at += dt;
      if (at < fromMs) continue;
      let id = prof.samples[i];
      if (nodes.get(id).callFrame.functionName !== name) continue;
      const chain = [];
      for (let d = 0; d <= depth && id !== undefined; d++) {
        chain.push(label(nodes.get(id)));
        id = parent.get(id);
      }
      const key = chain.join(' ← ');
      byChain.set(key, (byChain.get(key) ?? 0) + dt);
    }
  }
  return [...byChain].sort((a, b) => b[1] - a[1]).map(([chain, ms]) => ({ chain, ms }));
}

/** What a stack is doing, by the innermost-first search of its frames' modules. */
const CATEGORIES = [
  [
    'markdown',
    (m) =>
      m.startsWith('src/markdown') ||
      m === 'marked' ||
      m === 'marked-terminal' ||
      m === 'highlight.js' ||
      m === 'wrap-ansi' ||
      m === 'fast-wrap-ansi',
  ],
  ['layout', (m) => m.startsWith('src/transcript')],
  ['paint', (m) => m.startsWith('src/ui') || m === '@alcalzone/ansi-tokenize'],
  ['state', (m) => m.startsWith('src/domain') || m.startsWith('src/app')],
  ['sessions', (m) => m.startsWith('src/sessions')],
  ['sdk/net', (m) => m === '@anthropic-ai/sdk' || m.includes('undici') || m.includes('streams') || m.startsWith('src/api')],
];

/**
 * A profile as a timeline: per bucket of `bucketMs` (from `fromMs`), ms spent per category
 * (markdown, layout, paint, state, sessions, sdk/net, gc, other; idle left out).
 * @returns [{ at: ms since fromMs, by: { category: ms } }]
 */
export function timeline(file, bucketMs = 10, fromMs = 0) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const catOf = new Map();
  const category = (id) => {
    if (catOf.has(id)) return catOf.get(id);
    const leaf = nodes.get(id).callFrame.functionName;
    let cat = leaf === '(garbage collector)' ? 'gc' : leaf === '(idle)' || leaf === '(program)' ? null : undefined;
    if (cat === undefined) {
      const mods = [];
      for (let n = id; n !== undefined; n = parent.get(n)) {
        const cf = nodes.get(n).callFrame;
        if (cf.url) mods.push(moduleOf(sourceOf(cf.url, cf.lineNumber, cf.columnNumber)));
      }
      cat = CATEGORIES.find(([, test]) => mods.some(test))?.[0] ?? 'other';
    }
    catOf.set(id, cat);
    return cat;
  };
  const buckets = [];
  let at = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    at += dt;
    if (at < fromMs) continue;
    const cat = category(prof.samples[i]);
    if (cat === null) continue;
    const b = Math.floor((at - fromMs) / bucketMs);
    buckets[b] ??= { at: b * bucketMs, by: {} };
    buckets[b].by[cat] = (buckets[b].by[cat] ?? 0) + dt;
  }
  return buckets.filter(Boolean);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--from-ms');
  const fromMs = i >= 0 ? Number(args.splice(i, 2)[1]) : 0;
  const c = args.indexOf('--callers');
  const name = c >= 0 ? args.splice(c, 2)[1] : null;
  if (args.length === 0) {
    process.stderr.write(
      'usage: node scripts/bench/profile.mjs [--from-ms N] [--callers FUNCTION | --timeline BUCKET_MS] FILE.cpuprofile…\n',
    );
    process.exit(2);
  }
  const tl = args.indexOf('--timeline');
  if (tl >= 0) {
    const bucket = Number(args.splice(tl, 2)[1]);
    for (const b of timeline(args[0], bucket, fromMs)) {
      const parts = Object.entries(b.by)
        .sort((x, y) => y[1] - x[1])
        .map(([k, ms]) => `${k} ${ms.toFixed(1)}`);
      process.stdout.write(`${b.at.toFixed(0).padStart(6)} ms  ${parts.join(' · ')}\n`);
    }
  } else if (name) {
    for (const r of callers(args, name, 6, fromMs).slice(0, 15))
      process.stdout.write(`${Math.round(r.ms).toString().padStart(6)} ms  ${r.chain}\n`);
  } else process.stdout.write(summaryText(summarise(args.map((file) => ({ file, fromMs })))) + '\n');
}
