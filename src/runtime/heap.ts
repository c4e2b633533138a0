import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's default for `--semi-space-growth-factor` (node --v8-options, Node 24 / V8 13). */
const DEFAULT_GROWTH_FACTOR = 2;

/**
 * Runs `work` (a burst of allocation whose results mostly stay: opening a long session) with V8's
 * young generation kept at its current size, and restores the default growth afterwards.
 *
 * Why: V8 doubles the young generation when much of it survives scavenges, and never gives the
 * memory back while the process lives. Loading a 10,000-message session grew it from 8 to 32 MB
 * (with this, the loader alone peaks at 84 MB instead of 105 MB, at the same speed; the whole
 * app with such a session, streaming a reply: 182 → 172 MB in the benchmark). The `inkwell`
 * launcher (dist/inkwell.js) caps the young generation for the whole run with
 * `--max-semi-space-size=1`, which makes this a no-op there; it still serves `node dist/cli.js`
 * and anything else started without that flag. Set and restored around the work, the flag hash is
 * back to the default before other code is compiled (the first fetch after it is as fast as without).
 * `v8.setFlagsFromString` after start-up is documented as "use with care"; the growth factor is
 * read each time the young generation would grow, and only its value changes here.
 * @returns what `work` returns; rethrows what it throws (the flag is restored either way)
 */
export function withoutYoungGenerationGrowth<T>(work: () => T): T {
  const was = held;
  holdYoungGeneration(true);
  try {
    return work();
  } finally {
    holdYoungGeneration(was);
  }
}

let held = false;

let fullGc: (() => void) | null | undefined;

/**
 * Runs a full garbage collection now, when V8 lets inkwell have one: `--expose-gc` is set just
 * long enough for a new context to be given its `gc` function, then unset (so the flag hash is
 * the default again, as in {@link withoutYoungGenerationGrowth}).
 *
 * Why: sending a long conversation (api/body.ts) leaves about twice the body's bytes of dead
 * ArrayBuffers (its chunks, and fetch's copies of them) that outlived the small young generation.
 * V8 frees such external memory only at a full collection, and starts one for it only past 64 MB.
 * With a 10,000-message conversation (a 9 MB body) that was 6–18 MB held through the whole reply.
 * @returns false when no full collection could be run (then nothing happened)
 * @throws never
 */
export function collectGarbage(): boolean {
  if (fullGc === undefined && typeof (globalThis as { gc?: unknown }).gc === 'function') {
    // Node was started with --expose-gc: use its gc and leave the flags as they are.
    fullGc = (globalThis as unknown as { gc: () => void }).gc;
  }
  if (fullGc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as unknown;
      fullGc = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      fullGc = null;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  if (fullGc === null) return false;
  fullGc();
  return true;
}

/**
 * Keeps V8's young generation at its current size (`true`) or lets it grow again (`false`), for
 * a stretch that is not one call, such as a reply while it streams (see
 * {@link withoutYoungGenerationGrowth} for why, and for the caveats). Held, V8's flag hash
 * differs from the default: Node code first loaded meanwhile compiles without its built-in cache.
 */
export function holdYoungGeneration(hold: boolean): void {
  if (hold === held) return;
  held = hold;
  setFlagsFromString(`--semi-space-growth-factor=${hold ? 1 : DEFAULT_GROWTH_FACTOR}`);
}
