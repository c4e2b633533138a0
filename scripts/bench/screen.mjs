// Replays a recorded pty session through a headless xterm, chunk by chunk, after the run: what
// was on screen after each chunk, hence when each line of the reply first appeared, when the
// app was ready and when the reply was complete on screen, and what the written bytes did.
import xterm from '@xterm/headless';
import { screenRows } from './pty.mjs';
import { squash } from './stream.mjs';

/** Give up on a probe this long after its characters were sent (it scrolled past unseen). */
const PROBE_EXPIRY_MS = 60_000;

/**
 * @param rec the recording from spawnRecorded
 * @param o.cols, o.rows terminal size
 * @param o.enterIndex index of the first chunk after Enter was pressed
 * @param o.readyTest (rows[], rawTail) => boolean: the program is ready for input
 * @param o.doneTest (rows[], rawTail) => boolean: the reply is complete on screen
 * @param o.probes [{ probe, charsAt, newlineAt }] (times in performance.now() ms)
 * @param o.markerBytes bytes of in-band markers in the done chunk not to count (floor)
 * @param o.stopAtDone stop at the first chunk that passes the done test (the floor's marker is
 *   its last write); otherwise read on to the end of that burst of writes
 * doneAt: arrival of the last chunk of the burst in which the done test came to hold (and held);
 * statusDoneAt: the first chunk from which it holds.
 * @returns { readyAt, doneAt, doneIndex, samples: [{ index, latency, seenAt, ref }], missed,
 *   bytes, chunks, transcriptBytes, chromeOnlyBytes, chromeOnlyChunks }
 */
export async function replay(rec, o) {
  const term = new xterm.Terminal({ cols: o.cols, rows: o.rows, allowProposedApi: true, scrollback: 0 });
  const chunks = rec.chunks;
  const probes = [...o.probes].filter((p) => p.charsAt !== null && p.newlineAt !== null).sort((a, b) => a.charsAt - b.charsAt);
  let next = 0;
  const active = new Set();
  const samples = [];
  let readyAt = null;
  let doneAt = null;
  let doneIndex = null;
  let statusDoneAt = null;
  let tail = '';
  let bytes = 0;
  let chromeOnlyBytes = 0;
  let chromeOnlyChunks = 0;
  let scrollBytes = 0;
  let scrollChunks = 0;
  let inPlaceBytes = 0;
  let chunkCount = 0;
  let prevBody = null;
  let prevChrome = null;
  let prevBodyRows = null;
  const kinds = { sgr: 0, cursor: 0, text: 0 };
  const chromeRows = o.chromeRows ?? 0;
  for (let i = 0; i < chunks.length; i++) {
    const { t, data } = chunks[i];
    // After the done test first holds, the rest of that burst of writes still belongs to the
    // reply (a final frame may come in several writes); a pause of 100 ms ends it.
    if (doneIndex !== null && i > 0 && t - chunks[i - 1].t > 100) break;
    await new Promise((r) => term.write(data, r));
    tail = (tail + data).slice(-256);
    const rows = screenRows(term);
    if (readyAt === null && o.readyTest(rows, tail)) readyAt = t;
    if (i < o.enterIndex) continue;
    // Bytes written during the reply, and which of them changed only the chrome (status bar,
    // prompt) but not the transcript above it.
    const n = Buffer.byteLength(data, 'utf8');
    bytes += n;
    chunkCount++;
    classifyBytes(data, kinds);
    if (chromeRows > 0) {
      const bodyRows = rows.slice(0, rows.length - chromeRows);
      const body = bodyRows.join('\n');
      const chrome = rows.slice(rows.length - chromeRows).join('\n');
      if (prevBody !== null && body === prevBody) {
        if (chrome !== prevChrome) {
          chromeOnlyBytes += n;
          chromeOnlyChunks++;
        }
      } else if (prevBodyRows !== null && shifted(prevBodyRows, bodyRows)) {
        scrollBytes += n;
        scrollChunks++;
      } else if (prevBodyRows !== null) inPlaceBytes += n;
      prevBody = body;
      prevBodyRows = bodyRows;
      prevChrome = chrome;
    }
    while (next < probes.length && probes[next].charsAt <= t) active.add(probes[next++]);
    if (active.size > 0) {
      const seen = squash(rows.join(''));
      for (const p of active) {
        if (seen.includes(p.probe)) {
          const ref = t >= p.newlineAt ? p.newlineAt : p.charsAt;
          samples.push({ index: p.index, latency: t - ref, seenAt: t, ref, beforeNewline: t < p.newlineAt });
          active.delete(p);
        } else if (t - p.charsAt > PROBE_EXPIRY_MS) active.delete(p);
      }
    }
    // The reply is complete on screen once the done test holds (and keeps holding to the end of
    // the burst, see above).
    if (o.doneTest(rows, tail)) {
      if (doneIndex === null) {
        doneIndex = i;
        statusDoneAt = t;
      }
      doneAt = t;
      if (o.stopAtDone) {
        bytes -= o.markerBytes ?? 0;
        break;
      }
    } else if (doneIndex !== null) {
      doneIndex = null;
      doneAt = null;
      statusDoneAt = null;
    }
  }
  term.dispose();
  samples.sort((a, b) => a.index - b.index);
  return {
    readyAt,
    doneAt,
    doneIndex,
    statusDoneAt,
    samples,
    probes: probes.length,
    missed: probes.length - samples.length,
    bytes,
    chunks: chunkCount,
    chromeOnlyBytes,
    chromeOnlyChunks,
    scrollBytes,
    scrollChunks,
    inPlaceBytes,
    kinds,
  };
}

/** True when `now` is `before` moved up by 1–12 rows (the transcript scrolled). */
function shifted(before, now) {
  const h = before.length;
  for (let k = 1; k <= 12 && k < h - 4; k++) {
    // Compare all but the last few rows, which the new content changes anyway.
    let same = 0;
    let nonBlank = 0;
    for (let i = 0; i < h - k - 2; i++) {
      if (before[i + k] !== '') nonBlank++;
      if (now[i] === before[i + k]) same++;
    }
    if (nonBlank >= 4 && same >= h - k - 3) return true;
  }
  return false;
}

/** Adds the bytes of `data` to SGR (colours), cursor/erase controls, or text. */
function classifyBytes(data, kinds) {
  let controls = 0;
  for (const m of data.matchAll(/\x1b\[[0-9;?]*([A-Za-z])|\x1b\][^\x07]*\x07/g)) {
    const n = m[0].length;
    controls += n;
    if (m[1] === 'm') kinds.sgr += n;
    else kinds.cursor += n;
  }
  kinds.text += Buffer.byteLength(data, 'utf8') - controls;
}
