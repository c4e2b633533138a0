// `npm start`: builds only when the sources changed since the last build (scripts/source-stamp.mjs),
// so an unchanged checkout starts without the ~4 s bundle.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readStamp, ROOT, sourceFingerprint } from './source-stamp.mjs';

const outputs = ['inkwell.js', 'cli.js', 'heap.js', 'server.js'].map((f) => path.join(ROOT, 'dist', f));
const fresh = outputs.every((f) => existsSync(f)) && readStamp() === sourceFingerprint();
if (!fresh) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
