// Why the bytes were written: replays a raw terminal recording (from `--bytes --dump DIR`) through a
// headless xterm, one positioned row write at a time, and sorts every row write by what it did to
// that row: the status bar, the streaming mark `▍`, a row's first text (it was blank or the mark),
// a row that only grew at its end, a row whose text stayed the same but whose colours changed, a
// row whose text changed (re-wrapped or re-rendered), a row cleared; plus scrolls and the
// save/restore/sync around each paint.
//
//   node scripts/bench/causes.mjs --rows 40 --cols 80 --status-row 39 FILE.raw [--examples 5]
import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';

/** Split output into pieces that each start at a positioning, scroll or save/restore sequence. */
export function rowWrites(data) {
  const cut = /\x1b\[\d*(?:;\d*)?H|\x1b\[[\d;]*r\x1b\[\d*S\x1b\[r|\x1b7|\x1b8|\x1b\[\?2026[hl]/g;
  const out = [];
  let last = 0;
  for (const m of data.matchAll(cut)) {
    if (m.index > last) out.push(data.slice(last, m.index));
    last = m.index;
  }
  if (last < data.length) out.push(data.slice(last));
  // Merge each positioning with what follows it up to the next cut.
  const merged = [];
  for (const p of out) {
    if (merged.length > 0 && !cut.test(p)) merged[merged.length - 1] += p;
    else merged.push(p);
    cut.lastIndex = 0;
  }
  return merged;
}

const plain = (s) => s.replace(/\s+$/, '');

async function main(argv) {
  const o = { rows: 40, cols: 80, statusRow: 39, examples: 0, file: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') o.rows = Number(argv[++i]);
    else if (a === '--cols') o.cols = Number(argv[++i]);
    else if (a === '--status-row') o.statusRow = Number(argv[++i]);
    else if (a === '--examples') o.examples = Number(argv[++i]);
    else o.file = a;
  }
  const data = readFileSync(o.file, 'utf8');
  const term = new xterm.Terminal({ cols: o.cols, rows: o.rows, allowProposedApi: true, scrollback: 0 });
  const write = (s) => new Promise((r) => term.write(s, r));
  const rowText = (r) => term.buffer.active.getLine(term.buffer.active.viewportY + r - 1)?.translateToString(true) ?? '';
  const bytes = {};
  const count = {};
  const examples = {};
  const note = (kind, n, ex) => {
    bytes[kind] = (bytes[kind] ?? 0) + n;
    count[kind] = (count[kind] ?? 0) + 1;
    examples[kind] ??= [];
    if (ex && examples[kind].length < o.examples) examples[kind].push(ex);
  };
  // What writer-side changes would save (bytes), estimated from the same writes.
  const save = { scrollRegionKept: 0, noEraseWhenCovered: 0, relativeNextRow: 0, sgrRunsMerged: 0, statusAt1Hz: 0 };
  let lastRow = null;
  for (const m of data.matchAll(/(?:\x1b\[[\d;]*m){2,}/g)) {
    const codes = [...m[0].matchAll(/\x1b\[([\d;]*)m/g)].map((c) => c[1] || '0');
    save.sgrRunsMerged += m[0].length - `\x1b[${codes.join(';')}m`.length;
  }
  for (const piece of rowWrites(data)) {
    const n = Buffer.byteLength(piece, 'utf8');
    const pos = /^\x1b\[(\d*)(?:;(\d*))?H/.exec(piece);
    if (!pos) {
      await write(piece);
      if (/^\x1b\[[\d;]*r/.test(piece)) {
        note('scroll', n);
        // Keep DECSTBM set between scrolls: only SU (ESC[kS) per scroll.
        save.scrollRegionKept += n - /\x1b\[\d*S/.exec(piece)[0].length;
      } else if (/^\x1b[78]|^\x1b\[\?2026/.test(piece)) note('save/restore/sync', n);
      else note('other (Ink: prompt)', n);
      lastRow = null;
      continue;
    }
    const row = Number(pos[1] || 1);
    const col = Number(pos[2] || 1);
    const before = plain(rowText(row));
    await write(piece);
    const after = plain(rowText(row));
    const ex = { row, before, after, bytes: n };
    // The row right under the last one written: CR LF (and CUF to the column) instead of CUP.
    if (lastRow !== null && row === lastRow + 1 && row < o.rows)
      save.relativeNextRow += Math.max(0, pos[0].length - (2 + (col > 1 ? `\x1b[${col - 1}C`.length : 0)));
    lastRow = row;
    // A whole-row rewrite whose new text covers every cell the old text used needs no erase.
    if (piece.startsWith('\x1b[2K', pos[0].length) && before !== '') {
      const lead = (s) => s.length - s.trimStart().length;
      if (lead(after) <= lead(before) && after.length >= before.length) save.noEraseWhenCovered += 4;
      else if (after.length >= before.length) save.noEraseWhenCovered += Math.max(0, 4 - (lead(after) - lead(before)));
    }
    if (row === o.statusRow) {
      note('status bar', n);
      save.statusAt1Hz += (n * 3) / 4;
    } else if (after.trim() === '▍') note('mark ▍', n);
    else if (after === '') note('row cleared', n);
    else if (before.trim() === '' || before.trim() === '▍') note('first text of a row', n, ex);
    else if (after === before) note('same text, colours changed', n, ex);
    else if (after.startsWith(before.replace(/▍$/, ''))) note('row grew at its end', n, ex);
    else note('row text changed', n, ex);
  }
  term.dispose();
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  const rows = Object.entries(bytes).sort((a, b) => b[1] - a[1]);
  for (const [k, v] of rows)
    process.stdout.write(
      `${k.padEnd(28)} ${String(v).padStart(8)} B  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${String(count[k]).padStart(6)} writes\n`,
    );
  process.stdout.write(`${'total'.padEnd(28)} ${String(total).padStart(8)} B\n`);
  process.stdout.write('\nwriter-side changes, estimated savings:\n');
  for (const [k, v] of Object.entries(save))
    process.stdout.write(`  ${k.padEnd(22)} ${String(Math.round(v)).padStart(8)} B  ${((v / total) * 100).toFixed(1).padStart(5)}%\n`);
  for (const [k, list] of Object.entries(examples)) {
    process.stdout.write(`\n${k}:\n`);
    for (const e of list)
      process.stdout.write(
        `  row ${e.row} (${e.bytes} B)\n    before: ${JSON.stringify(e.before)}\n    after:  ${JSON.stringify(e.after)}\n`,
      );
  }
}

main(process.argv.slice(2));
