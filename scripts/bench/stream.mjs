// What is in a reply stream: its text, its real token count, and for every line of the text a
// probe — a piece of the line that is unique in the reply and survives markdown rendering — with
// the SSE frames that complete the line and that carry the probe's last character.
import { readFileSync } from 'node:fs';

/** Characters a probe may contain: words, digits and punctuation markdown leaves alone. */
const PROBE_CHARS = /[A-Za-z0-9 ,.;:!?()/=+-]+/g;
/** Shortest probe, in non-blank characters. */
const MIN_PROBE = 12;
/** Longest probe, in non-blank characters. */
const MAX_PROBE = 40;

/** How a probe is compared with the screen: no whitespace, lower case. */
export const squash = (s) => s.replace(/\s+/g, '').toLowerCase();
/** The reply as it could appear on screen once markdown syntax is gone (for uniqueness). */
const rendered = (s) => squash(s.replace(/[*_`#|>~[\]]/g, ''));

function count(haystack, needle) {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * Analyse an SSE body.
 * @param body the exact bytes the server sends (Buffer)
 * @param lib the bundled server library (for `splitFrames`)
 * @returns { frames, text, textBytes, textDeltas, outputTokens, lines: [{ index, text, probe,
 *   newlineFrameEnd, charsFrameEnd }] } where the *FrameEnd values are byte offsets just past the
 *   frame in `body` (so `sentAt(capture, offset)` gives when it was sent).
 */
export function analyzeStream(body, lib) {
  const frames = lib.splitFrames(body);
  // Per text block: the text and, for each delta, its [start, end) in the text and frame end.
  const blocks = [];
  let current = null;
  let outputTokens = null;
  let textDeltas = 0;
  for (const f of frames) {
    if (f.event !== 'content_block_start' && f.event !== 'content_block_delta' && f.event !== 'message_delta') continue;
    let data;
    try {
      data = JSON.parse(f.data);
    } catch {
      continue;
    }
    if (data.type === 'content_block_start') {
      current = data.content_block?.type === 'text' ? { text: '', deltas: [] } : null;
      if (current) blocks.push(current);
    } else if (data.type === 'content_block_delta' && data.delta?.type === 'text_delta' && current) {
      const t = data.delta.text;
      current.deltas.push({ start: current.text.length, end: current.text.length + t.length, frameEnd: f.end });
      current.text += t;
      textDeltas++;
    } else if (data.type === 'message_delta' && typeof data.usage?.output_tokens === 'number') {
      outputTokens = data.usage.output_tokens;
    }
  }
  const text = blocks.map((b) => b.text).join('\n\n');
  const all = rendered(text);
  const lines = [];
  for (const block of blocks) {
    const frameAt = (offset) => {
      // First delta whose range contains offset.
      let lo = 0;
      let hi = block.deltas.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (block.deltas[mid].end > offset) hi = mid;
        else lo = mid + 1;
      }
      return block.deltas[lo]?.frameEnd ?? null;
    };
    let start = 0;
    for (;;) {
      const nl = block.text.indexOf('\n', start);
      if (nl === -1) break; // the last line without "\n" completes with the block: not sampled
      const line = block.text.slice(start, nl);
      const probe = pickProbe(line, all);
      if (probe) {
        lines.push({
          index: lines.length,
          text: line,
          probe: probe.key,
          newlineFrameEnd: frameAt(nl),
          charsFrameEnd: frameAt(start + probe.lastChar),
        });
      }
      start = nl + 1;
    }
  }
  return {
    frames: frames.length,
    text,
    textBytes: Buffer.byteLength(text, 'utf8'),
    textDeltas,
    outputTokens: outputTokens ?? textDeltas,
    lines,
  };
}

/** The last piece of `line` that is long enough and unique in the reply, or null. */
function pickProbe(line, all) {
  // List markers, heading marks and quote marks are drawn differently (• for -, …): skip them.
  const lead = /^\s*(?:(?:[-*+]|\d+[.)]|#{1,6}|>)\s+)*/.exec(line)[0].length;
  const segments = [...line.slice(lead).matchAll(PROBE_CHARS)]
    .map((m) => ({ 0: m[0], index: m.index + lead }))
    .filter((m) => squash(m[0]).length >= MIN_PROBE);
  for (let s = segments.length - 1; s >= 0; s--) {
    const seg = segments[s];
    const trimmed = seg[0].replace(/\s+$/, '');
    const lastChar = seg.index + trimmed.length - 1;
    const key = squash(trimmed);
    // Prefer the tail of the segment (it arrives last); widen it until it is unique.
    for (let len = Math.min(key.length, 24); len <= Math.min(key.length, MAX_PROBE); len += 8) {
      const k = key.slice(key.length - len);
      if (count(all, k) === 1) return { key: k, lastChar };
      if (len === Math.min(key.length, MAX_PROBE)) break;
      if (len + 8 > MAX_PROBE) len = MAX_PROBE - 8;
    }
  }
  return null;
}

/** Read a fixture or literal body into bytes. */
export function bodyBytes(source) {
  return source.path ? readFileSync(source.path) : Buffer.from(source.body, 'utf8');
}
