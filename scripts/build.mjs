// Bundles the app and the local Messages API server with esbuild, so start-up reads one file.
import { build } from 'esbuild';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFingerprint, writeStamp } from './source-stamp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * marked-terminal imports cli-highlight (all of highlight.js) and node-emoji (emojilib) eagerly;
 * inkwell uses neither through it. Point those two imports, from marked-terminal only, at small
 * stand-ins so start-up does not parse and run them (scripts/shims/).
 */
const lazyMarkedTerminalDeps = {
  name: 'lazy-marked-terminal-deps',
  setup(b) {
    b.onResolve({ filter: /^(cli-highlight|node-emoji)$/ }, (args) =>
      args.importer.includes(`${path.sep}marked-terminal${path.sep}`) ? { path: path.join(here, 'shims', `${args.path}.mjs`) } : undefined,
    );
  },
};

/**
 * conf imports ajv and ajv-formats (with fast-uri) eagerly, but builds a validator only when given
 * a `schema`, `rootSchema` or `ajvOptions`; inkwell passes none (settings are checked with zod/mini
 * in src/config/settings.ts). Point those imports, from conf only, at a stand-in that throws if it
 * is ever constructed, so start-up does not parse and run them (scripts/shims/ajv*.mjs). semver
 * likewise: conf uses it only for `migrations`, which inkwell does not pass (scripts/shims/semver.mjs).
 */
const confWithoutSchemaOrMigrations = {
  name: 'conf-without-schema-or-migrations',
  setup(b) {
    b.onResolve({ filter: /^(ajv(-formats)?|semver)(\/.*)?$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}conf${path.sep}`)) return undefined;
      const shim = args.path.startsWith('ajv-formats') ? 'ajv-formats.mjs' : args.path.startsWith('semver') ? 'semver.mjs' : 'ajv.mjs';
      return { path: path.join(here, 'shims', shim) };
    });
  },
};

/**
 * Every import of string-width 8 (Ink, wrap-ansi, cli-truncate, slice-ansi, widest-line, inkwell)
 * goes through src/text/width.ts, which answers the same without grapheme segmentation for text of
 * one-column characters (the first segmentation costs ~15 ms of start-up, each later one a pass).
 * The wrapper itself, and packages on older string-width majors, get the real module.
 */
const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    const wrapper = path.join(here, '..', 'src', 'text', 'width.ts');
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.importer === wrapper || args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      const v8 =
        real.path.endsWith(path.join('node_modules', 'string-width', 'index.js')) &&
        !real.path.includes(`node_modules${path.sep}string-width${path.sep}node_modules`) &&
        /"version": "8\./.test(await readFile(path.join(path.dirname(real.path), 'package.json'), 'utf8'));
      return v8 ? { path: wrapper } : real;
    });
  },
};

const banner = {
  // Bundled CommonJS dependencies (yoga-layout, cli-table3, …) still call require().
  js: "import { createRequire as __inkwellCreateRequire } from 'node:module'; const require = __inkwellCreateRequire(import.meta.url);",
};

// Taken before bundling: a file saved while the build runs makes the next `npm start` build again.
const fingerprint = sourceFingerprint();
// --clean (npm pack's prepack): start from an empty dist/, so no chunk of an older build is packed.
if (process.argv.includes('--clean')) await rm('dist', { recursive: true, force: true });

const result = await build({
  // heap: what the launcher (below) runs before the app's code loads (src/runtime/heap.ts).
  entryPoints: { cli: 'src/cli.tsx', server: 'src/server/main.ts', heap: 'src/runtime/heap.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // ES module entries first: the AWS SDK (Bedrock's credential chain) loads its CommonJS packages
  // with import(), and a bundled CommonJS module reached that way shows only `default` ("t is not a
  // function"); their `module` entries keep the named exports.
  mainFields: ['module', 'main'],
  target: 'node22',
  jsx: 'automatic',
  sourcemap: 'linked',
  banner,
  // Optional at run time and never used by inkwell: Ink loads it only for React DevTools.
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  minify: true,
  plugins: [lazyMarkedTerminalDeps, confWithoutSchemaOrMigrations, fastStringWidth],
  logLevel: 'warning',
  // BUILD_META=1: print what each output file is made of (to see what start-up loads).
  metafile: process.env.BUILD_META === '1',
});

if (result.metafile) {
  for (const [out, o] of Object.entries(result.metafile.outputs)) {
    if (out.endsWith('.map') || o.bytes < 10_000) continue;
    const byPackage = {};
    for (const [input, i] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1] : input.split('/').slice(0, 2).join('/');
      byPackage[key] = (byPackage[key] ?? 0) + i.bytesInOutput;
    }
    const top = Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16);
    console.log(`${out} ${(o.bytes / 1024).toFixed(0)} KB: ${top.map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`).join(', ')}`);
  }
}

// The entry people run (the `inkwell` command; `npm start` runs it through its #! line), plain
// `#!/usr/bin/env node` so that any `env` runs it (BusyBox and coreutils before 8.30 have no -S).
// First it keeps V8's young generation small (src/runtime/heap.ts says why and what it holds),
// before the bundle allocates; then it turns on Node's on-disk compile cache (Node >= 22.1), so
// every start after the first skips compiling ~0.8 MB of JavaScript. The cache lives in the
// user's own cache folder (`$XDG_CACHE_HOME/inkwell/compile-cache`, else `~/.cache/…`), made
// private (0700) like every folder inkwell writes: Node's default is a shared, world-readable
// folder in /tmp that any user could create first and fill.
const launcher = `#!/usr/bin/env node
import module from 'node:module';
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { keepYoungGenerationSmall } from './heap.js';
keepYoungGenerationSmall();
try {
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'inkwell', 'compile-cache');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  module.enableCompileCache?.(dir);
} catch {}
await import('./cli.js');
`;
await writeFile('dist/inkwell.js', launcher);
await chmod('dist/inkwell.js', 0o755);

// What this build was made from, for `npm start` (scripts/build-if-stale.mjs).
writeStamp(fingerprint);
