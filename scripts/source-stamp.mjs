// What a build is made from, as one short fingerprint, so `npm start` rebuilds only when it changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the fingerprint of the sources of the last build is kept. */
export const STAMP = path.join(ROOT, 'dist', '.build-stamp');

/** The inputs of a build: every file under these folders, and these files. */
const FOLDERS = ['src', 'scripts'];
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json'];

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

/**
 * The fingerprint of the build's inputs: a SHA-256 over each input's path, size and modification
 * time (ns), sorted by path. A changed, added, removed or touched file changes it; reading the
 * metadata of ~200 files costs a few ms, where reading and hashing their contents would cost more.
 * @param root the repository root (tests pass another)
 * @returns 64 hex digits
 */
export function sourceFingerprint(root = ROOT) {
  const files = [];
  for (const f of FOLDERS) walk(path.join(root, f), files);
  for (const f of FILES) files.push(path.join(root, f));
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    let line;
    try {
      const st = statSync(f, { bigint: true });
      line = `${path.relative(root, f)}\t${st.size}\t${st.mtimeNs}\n`;
    } catch {
      line = `${path.relative(root, f)}\tmissing\n`;
    }
    h.update(line);
  }
  return h.digest('hex');
}

/** The fingerprint the last build recorded, or null. */
export function readStamp() {
  try {
    return readFileSync(STAMP, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Records `fingerprint` as that of the build just made. */
export function writeStamp(fingerprint) {
  writeFileSync(STAMP, `${fingerprint}\n`);
}
