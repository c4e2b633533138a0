import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFingerprint } from '../../scripts/source-stamp.mjs';

/** A fake checkout: src/, scripts/ and the package files. */
function checkout(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'inkwell-stamp-'));
  mkdirSync(path.join(root, 'src', 'ui'), { recursive: true });
  mkdirSync(path.join(root, 'scripts'));
  writeFileSync(path.join(root, 'src', 'cli.tsx'), 'one');
  writeFileSync(path.join(root, 'src', 'ui', 'App.tsx'), 'two');
  writeFileSync(path.join(root, 'scripts', 'build.mjs'), 'three');
  writeFileSync(path.join(root, 'package.json'), '{}');
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  return root;
}

describe('npm start rebuilds only when the sources changed (scripts/source-stamp.mjs)', () => {
  it('the fingerprint is stable for an unchanged checkout and changes with any edit, touch, new or removed file', () => {
    const root = checkout();
    const base = sourceFingerprint(root);
    expect(sourceFingerprint(root)).toBe(base);
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, 'src', 'ui', 'App.tsx'), later, later);
    const touched = sourceFingerprint(root);
    expect(touched).not.toBe(base);
    writeFileSync(path.join(root, 'src', 'new.ts'), 'x');
    const added = sourceFingerprint(root);
    expect(added).not.toBe(touched);
    rmSync(path.join(root, 'src', 'new.ts'));
    expect(sourceFingerprint(root)).toBe(touched);
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}');
    expect(sourceFingerprint(root)).not.toBe(touched);
    // Outside the inputs: no rebuild.
    const now = sourceFingerprint(root);
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist', 'cli.js'), 'built');
    writeFileSync(path.join(root, 'README.md'), 'docs');
    expect(sourceFingerprint(root)).toBe(now);
  });
});
