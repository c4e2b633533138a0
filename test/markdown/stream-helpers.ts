/**
 * Helpers for streaming tests: seeded randomness, chunkings, and a replay that checks the
 * MarkdownStream invariants at every step.
 */
import { expect } from 'vitest';
import { MarkdownStream } from '../../src/markdown/blocks.js';
import { sanitizeModelText } from '../../src/markdown/sanitize.js';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cut `text` into chunks of 1–`maxChunk` characters chosen by `random`. */
export function randomChunks(text: string, random: () => number, maxChunk = 40): string[] {
  const chunks: string[] = [];
  let i = 0;
  while (i < text.length) {
    const size = 1 + Math.floor(random() * maxChunk);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

/** Chunks that make every `step`-th prefix (and the whole text) an update. */
export function prefixChunks(text: string, step = 1): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += step) chunks.push(text.slice(i, i + step));
  return chunks;
}

/** The finished blocks of the whole text fed at once (the reference split). */
export function wholeSplit(text: string): readonly string[] {
  const stream = new MarkdownStream();
  stream.update(text, true);
  return stream.finished;
}

/**
 * Feed `chunks` one by one (each update gets the accumulated text) and check after every update:
 * earlier finished entries never change, finished only grows and is always a prefix of the
 * reference split of the whole text, and finished + live + partialLine is exactly the sanitised
 * text so far. `onStep` runs after each update (e.g. to render). Returns the final stream.
 */
export function replay(chunks: readonly string[], onStep?: (stream: MarkdownStream, soFar: string) => void): MarkdownStream {
  const whole = chunks.join('');
  const reference = wholeSplit(whole);
  const stream = new MarkdownStream();
  let soFar = '';
  let seen: string[] = [];
  for (const chunk of chunks) {
    soFar += chunk;
    stream.update(soFar);
    const finished = stream.finished;
    expect(finished.length).toBeGreaterThanOrEqual(seen.length);
    for (let k = 0; k < seen.length; k++) {
      if (finished[k] !== seen[k]) expect.fail(`finished[${k}] changed after ${soFar.length} chars`);
    }
    for (let k = 0; k < finished.length; k++) {
      if (finished[k] !== reference[k]) {
        expect.fail(`finished[${k}] after ${soFar.length} chars is not the whole text's block ${k}`);
      }
    }
    const joined = finished.join('') + stream.live + stream.partialLine;
    if (joined !== sanitizeModelText(soFar)) {
      expect(joined).toBe(sanitizeModelText(soFar));
    }
    if (soFar.endsWith('\n')) expect(stream.partialLine).toBe('');
    seen = [...finished];
    onStep?.(stream, soFar);
  }
  stream.update(soFar, true);
  expect(stream.finished).toEqual(reference);
  expect(stream.live).toBe('');
  expect(stream.partialLine).toBe('');
  return stream;
}
