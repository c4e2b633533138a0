// Bundles what the bench runs besides the app: the in-process Messages API server (from
// src/server, TypeScript), the floor program, and (optionally) the session file schema.
// Output goes to dist/bench/ (gitignored with dist/); scripts/build.mjs is left alone.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const OUT = path.join(ROOT, 'dist/bench');

const banner = {
  js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  banner,
  logLevel: 'error',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * Bundle the bench helpers.
 * @returns paths of the bundles; `sessionLib` is null when src/sessions did not bundle (the
 *   reason is in `sessionError`).
 */
export async function bundleBench() {
  const serverLib = path.join(OUT, 'server-lib.js');
  const floor = path.join(OUT, 'floor.js');
  await build({ ...common, entryPoints: [path.join(here, 'server-entry.mjs')], outfile: serverLib });
  // The floor is bundled like the app (one file to read at start-up) so cold starts compare fairly.
  await build({ ...common, entryPoints: [path.join(here, 'floor.mjs')], outfile: floor });
  let sessionLib = path.join(OUT, 'session-lib.js');
  let sessionError = null;
  try {
    await build({ ...common, entryPoints: [path.join(here, 'session-entry.mjs')], outfile: sessionLib, logLevel: 'silent' });
  } catch (err) {
    sessionLib = null;
    sessionError = err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  return { serverLib, floor, sessionLib, sessionError };
}
