// Medians over runs, ratios to the floor, the table and the targets.
import { quantile } from './run.mjs';

const median = (xs) =>
  quantile(
    xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x)),
    0.5,
  );

/** Targets of the issue (benchmark figures, reported, never asserted). */
export const TARGETS = {
  latencyMedianMs: 33,
  cpuVsFloorAt100: 2,
  cpu1000VsEmpty: 1.2,
  bytesRatio: 3,
  coldStartMs: 250,
  peakRssMB: 150,
};

/** Group runs by (doc, rate, client, session) and take medians. */
export function aggregate(results) {
  const groups = new Map();
  for (const r of results) {
    const key = `${r.doc}|${r.rate}|${r.client}|${r.session}`;
    if (!groups.has(key)) groups.set(key, { doc: r.doc, rate: r.rate, client: r.client, session: r.session, runs: [] });
    groups.get(key).runs.push(r);
  }
  const rows = [];
  for (const g of groups.values()) {
    const ok = g.runs.filter((r) => !r.error);
    const pick = (f) => median(ok.map(f));
    rows.push({
      doc: g.doc,
      rate: g.rate,
      client: g.client,
      session: g.session,
      runs: ok.length,
      errors: g.runs.filter((r) => r.error).map((r) => r.error),
      latencyMedianMs: pick((r) => r.latency.median),
      latencyP95Ms: pick((r) => r.latency.p95),
      latencyFirstMs: pick((r) => r.latency.first),
      linesMeasured: pick((r) => r.latency.lines),
      linesProbed: pick((r) => r.latency.probes),
      cpuMsPer1kTokens: pick((r) => r.cpuMsPer1kTokens),
      bytesPerToken: pick((r) => r.bytesPerToken),
      bytesRatio: pick((r) => r.bytesRatio),
      bytes: pick((r) => r.bytes),
      writes: pick((r) => r.writes),
      chromeOnlyBytes: pick((r) => r.chromeOnlyBytes),
      chromeOnlyWrites: pick((r) => r.chromeOnlyWrites),
      scrollBytes: pick((r) => r.scrollBytes),
      inPlaceBytes: pick((r) => r.inPlaceBytes),
      sgrBytes: pick((r) => r.byteKinds?.sgr),
      cursorBytes: pick((r) => r.byteKinds?.cursor),
      textBytesWritten: pick((r) => r.byteKinds?.text),
      coldStartMs: pick((r) => r.coldStartMs),
      peakRssMB: pick((r) => r.peakRssMB),
      rssReadyMB: pick((r) => r.rssReadyMB),
      replyMs: pick((r) => r.replyMs),
      lagAfterServerMs: pick((r) => r.lagAfterServerMs),
      tokens: ok[0]?.tokens ?? null,
      textBytes: ok[0]?.textBytes ?? null,
    });
  }
  // Ratios to the floor of the same reply and rate.
  for (const row of rows) {
    const floor = rows.find((f) => f.client === 'floor' && f.doc === row.doc && f.rate === row.rate);
    const ratio = (k) => (floor && row[k] !== null && floor[k] ? row[k] / floor[k] : null);
    row.vsFloor =
      row.client === 'floor'
        ? null
        : {
            latencyMedian: ratio('latencyMedianMs'),
            latencyP95: ratio('latencyP95Ms'),
            cpu: ratio('cpuMsPer1kTokens'),
            bytes: ratio('bytesPerToken'),
            coldStart: ratio('coldStartMs'),
            peakRss: ratio('peakRssMB'),
          };
    const empty = rows.find((e) => e.client === row.client && e.doc === row.doc && e.rate === row.rate && e.session === 0);
    row.cpuVsEmptySession =
      row.session > 0 && empty?.cpuMsPer1kTokens && row.cpuMsPer1kTokens !== null ? row.cpuMsPer1kTokens / empty.cpuMsPer1kTokens : null;
  }
  return rows;
}

const f0 = (x) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-US'));
const f1 = (x) => (x === null || x === undefined ? '–' : x.toFixed(1));
const fx = (x) => (x === null || x === undefined ? '–' : `${x < 10 ? x.toFixed(1) : Math.round(x)}×`);

/** The results table (monospace text). */
export function table(rows, notes = []) {
  const head = [
    'scenario',
    'rate',
    'client',
    'latency ms: med / p95 (1st line)',
    'lines seen',
    'CPU ms/1k tok',
    'B/tok',
    'B/text',
    'cold ms',
    'RSS MB',
    'vs floor: cpu · lat · bytes · rss',
  ];
  const body = rows.map((r) => {
    const client =
      r.client === 'floor' ? 'floor' : r.session > 0 ? `inkwell+${r.session >= 1000 ? `${r.session / 1000}k` : r.session} msgs` : 'inkwell';
    if (r.runs === 0)
      return { cells: [r.doc, r.rate, client], text: `error: ${r.errors[0] ?? 'no runs'}`.replace(/\s+/g, ' ').slice(0, 120) };
    const v = r.vsFloor;
    const extra = r.cpuVsEmptySession !== null ? ` (cpu ${fx(r.cpuVsEmptySession)} of 0 msgs)` : '';
    return [
      r.doc,
      r.rate,
      client,
      `${f1(r.latencyMedianMs)} / ${f1(r.latencyP95Ms)} (${f1(r.latencyFirstMs)})`,
      `${f0(r.linesMeasured)}/${f0(r.linesProbed)}`,
      f0(r.cpuMsPer1kTokens),
      f0(r.bytesPerToken),
      fx(r.bytesRatio),
      f0(r.coldStartMs),
      f0(r.peakRssMB),
      v ? `${fx(v.cpu)} · ${fx(v.latencyMedian)} · ${fx(v.bytes)} · ${fx(v.peakRss)}${extra}` : '',
    ];
  });
  for (const n of notes) body.push({ cells: [n.doc, n.rate, n.client], text: n.text });
  const all = [head, ...body];
  const widths = head.map((_, i) =>
    Math.max(...all.map((r) => (Array.isArray(r) ? [...String(r[i])].length : i < 3 ? [...String(r.cells[i])].length : 0))),
  );
  const right = new Set([4, 5, 6, 7, 8, 9]);
  const line = (r) =>
    Array.isArray(r)
      ? r
          .map((c, i) => (right.has(i) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
          .join('  ')
          .trimEnd()
      : [...r.cells.map((c, i) => String(c).padEnd(widths[i])), r.text].join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Each target with the figures it is judged on. */
export function targets(rows) {
  const app = rows.filter((r) => r.client === 'inkwell' && r.runs > 0);
  const out = [];
  const add = (name, target, figures, good) => {
    const known = figures.filter((f) => f.value !== null && f.value !== undefined);
    out.push({
      target: name,
      limit: target,
      met: known.length === 0 ? null : known.every((f) => good(f.value)),
      figures: figures.map((f) => ({ ...f, value: f.value === null || f.value === undefined ? null : Number(f.value.toFixed(2)) })),
    });
  };
  const label = (r) => `${r.doc} @${r.rate}${r.session ? ` +${r.session} msgs` : ''}`;
  const empty = app.filter((r) => r.session === 0);
  add(
    'first glyph ≤ 33 ms median after the line arrives',
    '33 ms',
    empty.map((r) => ({ at: label(r), value: r.latencyMedianMs })),
    (v) => v <= TARGETS.latencyMedianMs,
  );
  add(
    'CPU per 1k tokens ≤ 2× floor at 100 tok/s',
    '2×',
    empty.filter((r) => r.rate === '100').map((r) => ({ at: label(r), value: r.vsFloor?.cpu ?? null })),
    (v) => v <= TARGETS.cpuVsFloorAt100,
  );
  add(
    'CPU per token with 1,000 messages ≤ 1.2× with none',
    '1.2×',
    app.filter((r) => r.session === 1000).map((r) => ({ at: label(r), value: r.cpuVsEmptySession })),
    (v) => v <= TARGETS.cpu1000VsEmpty,
  );
  add(
    "bytes written ≤ 3× the reply's bytes",
    '3×',
    empty.map((r) => ({ at: label(r), value: r.bytesRatio })),
    (v) => v <= TARGETS.bytesRatio,
  );
  add(
    'cold start ≤ 250 ms',
    '250 ms',
    empty.map((r) => ({ at: label(r), value: r.coldStartMs })),
    (v) => v <= TARGETS.coldStartMs,
  );
  add(
    'peak RSS ≤ 150 MB (also with 10,000 messages)',
    '150 MB',
    app.map((r) => ({ at: label(r), value: r.peakRssMB })),
    (v) => v <= TARGETS.peakRssMB,
  );
  return out;
}

export function targetsText(list) {
  return list
    .map((t) => {
      const mark = t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS';
      const figs = t.figures.map((f) => `${f.at}: ${f.value ?? '–'}`).join('; ');
      return `  ${mark}  ${t.target}${figs ? `  [${figs}]` : ''}`;
    })
    .join('\n');
}

const pct = (part, whole) => (part === null || !whole ? '–' : `${Math.round((part / whole) * 100)}%`);

/** Where the app's bytes went during the reply, one line per configuration. */
export function bytesText(rows) {
  return rows
    .filter((r) => r.client !== 'floor' && r.runs > 0 && r.bytes)
    .map((r) => {
      // Medians of the parts need not add up to the median of the whole: never show less than 0.
      const other = Math.max(0, r.bytes - (r.scrollBytes ?? 0) - (r.inPlaceBytes ?? 0) - (r.chromeOnlyBytes ?? 0));
      return (
        `  ${r.doc} @${r.rate}${r.session ? ` +${r.session} msgs` : ''}: ${Math.round(r.bytes).toLocaleString('en-US')} B in ${Math.round(r.writes)} writes · ` +
        `scrolled-transcript redraws ${pct(r.scrollBytes, r.bytes)} · in-place updates ${pct(r.inPlaceBytes, r.bytes)} · ` +
        `status/prompt only ${pct(r.chromeOnlyBytes, r.bytes)} (${Math.round(r.chromeOnlyWrites ?? 0)} writes) · other ${pct(other, r.bytes)} | ` +
        `text ${pct(r.textBytesWritten, r.bytes)} · colour SGR ${pct(r.sgrBytes, r.bytes)} · cursor/erase ${pct(r.cursorBytes, r.bytes)}`
      );
    })
    .join('\n');
}
