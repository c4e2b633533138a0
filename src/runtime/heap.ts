import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at the size it starts with (two 1 MB semi-spaces) for the rest of
 * the process: sets `--semi-space-growth-factor=1` through `v8.setFlagsFromString`. Call it once,
 * first, before the app's code loads: dist/inkwell.js (the launcher written by scripts/build.mjs)
 * does; nothing else needs to.
 *
 * Why: V8 doubles the young generation whenever much of it survives a scavenge (start-up alone
 * takes it to 8 MB, opening a long session or streaming a reply to 32 MB and more) and never gives
 * the memory back while the process lives. Peak RSS in `npm run bench` (long reply at full speed,
 * A/B interleaved, medians of 3, 2026-12-04), without → with this: no session 129.9 → 119.4 MB,
 * 1,000 messages 132.9 → 122.4 MB, 10,000 messages 177.9 → 147.4 MB (the ≤ 150 MB target). CPU
 * per token unchanged within the noise. It replaces the launcher's `--max-semi-space-size=1`
 * (118.3 / 118.1 / 145.9 MB), which needed `env -S` on the `#!` line; that flag set here, after
 * V8 has sized its heap, changes nothing (the young generation still grows to 128 MB).
 *
 * The cost: V8 checks the code cache Node's built-in modules ship with against its flags, so
 * built-ins first loaded after this compile from source (BENCHMARKS.md, "Runtime V8 flags").
 * The growth factor is read each time the young generation would grow, so setting it late works.
 * @throws never (an unknown flag is ignored by V8)
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
