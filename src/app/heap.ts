import { setFlagsFromString } from 'node:v8';

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
