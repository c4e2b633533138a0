// The byte budget: what every byte an app wrote to the terminal was for. Pure (no I/O): it reads
// a string of terminal output and sorts its bytes into printable text, SGR (colour) sequences and
// the other controls (cursor moves, erases, scroll region and scrolls, synchronized output, cursor
// save/restore, …), and separately counts the bytes spent on one screen row (the status bar),
// found by following the row the cursor is on.
//
// Used by bytes.mjs (`npm run bench -- --bytes`); tested by test/bench/budget.test.ts.

/** Names of the control kinds counted in `controls`. */
export const CONTROL_KINDS = ['cup', 'erase', 'scroll', 'sync', 'saveRestore', 'move', 'newline', 'osc', 'other'];

const ESC = 0x1b;

/** An empty tally: bytes of text, SGR and controls, and controls by kind. */
function tally() {
  const controls = {};
  for (const k of CONTROL_KINDS) controls[k] = 0;
  return { bytes: 0, text: 0, sgr: 0, control: 0, controls };
}

function add(t, cls, kind, n) {
  t.bytes += n;
  t[cls] += n;
  if (cls === 'control') t.controls[kind] += n;
}

/** UTF-8 bytes of the UTF-16 code unit at `i` of `s` (a surrogate pair counts 4 on its first half). */
function utf8At(s, i) {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) return 4;
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  return 3;
}

/**
 * The kind of a CSI sequence from its parameters and final byte: 'sgr', or a control kind.
 * @param params the parameter bytes (e.g. "12;1", "?2026")
 * @param final the final byte (e.g. "H", "m")
 */
export function csiKind(params, final) {
  if (final === 'm') return 'sgr';
  if (final === 'H' || final === 'f' || final === 'd' || final === 'G' || final === '`') return 'cup';
  if (final === 'K' || final === 'J' || final === 'X') return 'erase';
  if (final === 'r' || final === 'S' || final === 'T' || final === 'L' || final === 'M') return 'scroll';
  if ((final === 'h' || final === 'l') && params === '?2026') return 'sync';
  if (final === 'A' || final === 'B' || final === 'C' || final === 'D' || final === 'E' || final === 'F') return 'move';
  return 'other';
}

/**
 * Split terminal output into its bytes' categories.
 *
 * The cursor's row is followed through absolute positioning (CUP `ESC[r;cH`, VPA `ESC[rd`),
 * relative moves (`ESC[nA`/`B`/`E`/`F`), line feeds, DECSTBM (which homes the cursor), and
 * save/restore (DECSC `ESC7` / DECRC `ESC8`). A byte belongs to the status bar when the cursor is
 * on `statusRow` as it is written (a positioning sequence belongs to the row it moves to). A
 * whole save…restore span (and the synchronized-output brackets right around it) whose every
 * positioning goes to the status row is one paint of the status bar alone: its save, restore and
 * brackets count as the status bar's too.
 *
 * @param data the terminal output (a JS string, as read from the pty as UTF-8)
 * @param o.statusRow the status bar's screen row, 1-based (0 or omitted: none)
 * @param o.rows the terminal's rows (line feeds stop at the last one); default 24
 * @param o.startRow the cursor's row before `data`, 1-based; default `rows` (the prompt, bottom)
 * @returns { bytes, text, sgr, control, controls: {cup, erase, scroll, sync, saveRestore, move,
 *   newline, osc, other}, status: the same shape for the status row's bytes (also included in
 *   the totals), rest: the same shape for every other byte } — all in UTF-8 bytes
 */
export function classifyOutput(data, o = {}) {
  const rows = o.rows ?? 24;
  const statusRow = o.statusRow ?? 0;
  let row = o.startRow ?? rows;
  let saved = row;
  const total = tally();
  const status = tally();
  const rest = tally();
  // Inside a save…restore span: its entries wait until the restore says whose they are.
  let span = null;
  /** Bytes of a synchronized-output start written just before a save (it opens the span). */
  let pendingSyncOn = 0;
  /** The span closed last: where it ended and whether it was the status bar's alone. */
  let lastSpan = null;
  const commit = (entry, toStatus) => {
    add(total, entry.cls, entry.kind, entry.n);
    add(toStatus ? status : rest, entry.cls, entry.kind, entry.n);
  };
  /** Note `n` bytes of class `cls` written with the cursor on row `at`. */
  const emit = (cls, kind, n, at = row) => {
    if (n === 0) return;
    const entry = { cls, kind, n, status: statusRow > 0 && at === statusRow, wrapper: false };
    if (span) span.entries.push(entry);
    else commit(entry, entry.status);
  };
  const clampRow = (r) => Math.max(1, Math.min(rows, r));

  let i = 0;
  const len = data.length;
  let textRun = 0;
  const flushText = () => {
    if (textRun > 0) emit('text', null, textRun);
    textRun = 0;
  };
  while (i < len) {
    const c = data.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) {
      textRun += utf8At(data, i);
      i++;
      continue;
    }
    flushText();
    if (c !== ESC) {
      // C0 controls: line feed moves down a row, the rest (CR, BS, BEL, tab) stay on it.
      if (c === 0x0a || c === 0x0b || c === 0x0c) {
        emit('control', 'newline', 1);
        row = clampRow(row + 1);
      } else emit('control', c === 0x0d ? 'newline' : 'other', 1);
      i++;
      continue;
    }
    const next = data[i + 1];
    if (next === '[') {
      let j = i + 2;
      while (j < len && data.charCodeAt(j) >= 0x30 && data.charCodeAt(j) <= 0x3f) j++;
      const params = data.slice(i + 2, j);
      while (j < len && data.charCodeAt(j) >= 0x20 && data.charCodeAt(j) <= 0x2f) j++;
      const final = data[j] ?? '';
      const n = j + 1 - i;
      const kind = csiKind(params, final);
      const parts = params.split(';');
      const num = (k, dflt) => (/^\d+$/.test(parts[k] ?? '') ? Number(parts[k]) : dflt);
      if (final === 'H' || final === 'f' || final === 'd') row = clampRow(num(0, 1));
      else if (final === 'A' || final === 'F') row = clampRow(row - num(0, 1));
      else if (final === 'B' || final === 'E') row = clampRow(row + num(0, 1));
      else if (final === 'r') row = 1;
      if (kind === 'sgr') emit('sgr', null, n);
      else if (kind === 'sync' && span === null && final === 'l' && lastSpan?.closedAt === i) {
        // The bracket closing a span that was the status bar's alone.
        commit({ cls: 'control', kind: 'sync', n }, lastSpan.status);
      } else if (kind === 'sync' && final === 'h' && data.startsWith('\x1b7', j + 1)) {
        pendingSyncOn = n;
      } else emit('control', kind, n);
      i = j + 1;
      continue;
    }
    if (next === ']') {
      // OSC: up to BEL or ST.
      let j = i + 2;
      while (j < len && data.charCodeAt(j) !== 0x07 && !(data.charCodeAt(j) === ESC && data[j + 1] === '\\')) j++;
      const end = j >= len ? len : data.charCodeAt(j) === 0x07 ? j + 1 : j + 2;
      emit('control', 'osc', Buffer.byteLength(data.slice(i, end), 'utf8'));
      i = end;
      continue;
    }
    if (next === '7') {
      saved = row;
      span = { entries: [], syncOn: pendingSyncOn };
      pendingSyncOn = 0;
      span.entries.push({ cls: 'control', kind: 'saveRestore', n: 2, status: false, wrapper: true });
      i += 2;
      continue;
    }
    if (next === '8') {
      row = saved;
      if (span) {
        span.entries.push({ cls: 'control', kind: 'saveRestore', n: 2, status: false, wrapper: true });
        const placed = span.entries.filter((e) => !e.wrapper && e.cls === 'control' && e.kind === 'cup');
        const statusOnly = statusRow > 0 && placed.length > 0 && span.entries.every((e) => e.wrapper || e.status);
        if (span.syncOn) commit({ cls: 'control', kind: 'sync', n: span.syncOn }, statusOnly);
        for (const e of span.entries) commit(e, e.wrapper ? statusOnly : e.status);
        lastSpan = { closedAt: i + 2, status: statusOnly };
        span = null;
      } else emit('control', 'saveRestore', 2);
      i += 2;
      continue;
    }
    // Any other escape: ESC and one more byte (ESC alone at the end: one byte).
    const n = i + 1 < len ? 1 + utf8At(data, i + 1) : 1;
    emit('control', 'other', n);
    i += 1 + (i + 1 < len ? 1 : 0);
  }
  flushText();
  if (pendingSyncOn) commit({ cls: 'control', kind: 'sync', n: pendingSyncOn }, false);
  if (span) {
    // Never restored: each entry goes by its own row.
    if (span.syncOn) commit({ cls: 'control', kind: 'sync', n: span.syncOn }, false);
    for (const e of span.entries) commit(e, e.status);
  }
  return { ...total, status, rest };
}
