// Bundles the app and the local Messages API server with esbuild, so start-up reads one file.
import { build } from 'esbuild';

const banner = {
  // Bundled CommonJS dependencies (yoga-layout, cli-table3, …) still call require().
  js: "import { createRequire as __inkwellCreateRequire } from 'node:module'; const require = __inkwellCreateRequire(import.meta.url);",
};

await build({
  entryPoints: { cli: 'src/cli.tsx', server: 'src/server/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  sourcemap: 'linked',
  banner,
  // Optional at run time and never used by inkwell: Ink loads it only for React DevTools.
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
