import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { provide } from '../helpers/lifecycle.js';

/**
 * The package as a user gets it: `npm pack` (its prepack builds the app), `npm install -g` of the
 * tarball into a temporary prefix, and the installed `inkwell` run from another directory against
 * the local server. The pack runs in a copy of the project so that its clean build never touches
 * the dist/ the other tests are running.
 */
const ROOT = path.resolve(__dirname, '../..');
const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

/** PATH with the Node running the tests first: npm and the installed launcher (`env node`) use it. */
const PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;

function npm(args: string[], cwd: string): string {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH };
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

let work = '';
let tarball = '';
let prefix = '';

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'inkwell-pack-'));
  const copy = path.join(work, 'project');
  mkdirSync(copy);
  for (const f of ['package.json', 'tsconfig.json', 'README.md']) cpSync(path.join(ROOT, f), path.join(copy, f));
  for (const d of ['src', 'scripts']) cpSync(path.join(ROOT, d), path.join(copy, d), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  const out = path.join(work, 'out');
  mkdirSync(out);
  npm(['pack', '--pack-destination', out], copy);
  tarball = path.join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
  prefix = path.join(work, 'prefix');
  // The bundle has no run-time dependencies, so the install needs nothing but the tarball.
  npm(['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], work);
}, 180_000);

function runInstalled(bin: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PATH,
      INKWELL_HOME: mkdtempSync(path.join(tmpdir(), 'inkwell-pack-home-')),
      ANTHROPIC_API_KEY: 'sk-ant-pack-secret',
      ANTHROPIC_BASE_URL: server.url,
    };
    delete env.CI;
    const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe('the packed package', () => {
  it('holds the built app and nothing it does not need', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toContain('package/dist/inkwell.js');
    expect(files).toContain('package/dist/cli.js');
    expect(files).toContain('package/package.json');
    expect(files).toContain('package/README.md');
    expect(files.filter((f) => !/^package\/(dist\/[^/]+\.js|package\.json|README\.md)$/.test(f))).toEqual([]);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as {
      engines: { node: string };
      dependencies?: Record<string, string>;
    };
    expect(pkg.engines.node).toBe('>=22');
    // The README names the same Node version for users.
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toMatch(/Node\.js 22 or newer/);
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('has a launcher any `env` can run (no `env -S`)', () => {
    const launcher = execFileSync('tar', ['-xzOf', tarball, 'package/dist/inkwell.js'], { encoding: 'utf8' });
    expect(launcher.split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('npm install -g gives an `inkwell` that streams a reply from another directory', async () => {
    server.enqueue({ kind: 'sse', body: sseForText('Hello from the installed package.', { model: 'claude-sonnet-5-5' }) });
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'inkwell-elsewhere-'));
    const r = await runInstalled(path.join(prefix, 'bin', 'inkwell'), ['-p', 'hello'], elsewhere);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Hello from the installed package.\n');
    expect(r.code).toBe(0);
    const v = await runInstalled(path.join(prefix, 'bin', 'inkwell'), ['--version'], elsewhere);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('npx runs the tarball too', async () => {
    server.enqueue({ kind: 'sse', body: sseForText('Hello through npx.', { model: 'claude-sonnet-5-5' }) });
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'inkwell-npx-'));
    const cache = path.join(work, 'npx-cache');
    const r = await runInstalled(
      'npm',
      ['exec', '--yes', `--cache=${cache}`, `--package=${tarball}`, '--', 'inkwell', '-p', 'hi'],
      elsewhere,
    );
    expect(r.stdout).toBe('Hello through npx.\n');
    expect(r.code).toBe(0);
  });
});
