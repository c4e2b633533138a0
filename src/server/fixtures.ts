/**
 * Loading recorded fixtures (`test/fixtures/anthropic/*.sse`, `http/*.json`) into scenarios.
 * File formats: `test/fixtures/anthropic/SOURCES.md`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './types.js';

/** Directories searched for a relative fixture path, after the cwd itself. */
function fixtureRoots(): string[] {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const roots = [process.cwd(), join(process.cwd(), 'test/fixtures/anthropic')];
  // src/server/ in the repo, or dist/ when bundled.
  for (const up of ['../..', '..']) roots.push(resolve(here, up, 'test/fixtures/anthropic'));
  return roots;
}

/**
 * Resolve a fixture path: absolute paths as given; otherwise the first existing match among
 * the cwd, `<cwd>/test/fixtures/anthropic/`, and the repo's `test/fixtures/anthropic/`
 * (found relative to this module), trying `<path>` then `<path><ext>` and `http/<path>...`.
 *
 * @param path  e.g. `"/abs/x.sse"`, `"01-text-short-sonnet45.sse"`, `"429-rate-limit"`.
 * @param ext  extension to append if the name lacks it, e.g. `".json"`.
 * @returns an absolute path that exists.
 * @throws Error if nothing matches.
 */
export function resolveFixturePath(path: string, ext = ''): string {
  if (isAbsolute(path)) {
    if (existsSync(path)) return path;
    throw new Error(`fixture not found: ${path}`);
  }
  const names = ext && !path.endsWith(ext) ? [path, path + ext] : [path];
  for (const root of fixtureRoots()) {
    for (const name of names) {
      for (const candidate of [join(root, name), join(root, 'http', name)]) {
        if (existsSync(candidate)) return candidate;
      }
    }
  }
  throw new Error(`fixture not found: ${path}`);
}

/**
 * Turn an `http/*.json` fixture (`{status, headers, body, provenance}`) into an `http`
 * scenario that sends `body` unchanged with the recorded status and headers.
 *
 * @param path  a fixture name (`"529-overloaded"`, `"http/529-overloaded.json"`) or a path.
 * @returns `{kind: 'http', status, headers, body}`.
 * @throws Error if the file is missing or lacks a numeric `status` or string `body`.
 */
export function loadHttpFixture(path: string): Extract<Scenario, { kind: 'http' }> {
  const file = resolveFixturePath(path, '.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { status?: unknown; headers?: unknown; body?: unknown };
  if (typeof parsed.status !== 'number' || typeof parsed.body !== 'string') {
    throw new Error(`${file}: not an http fixture (needs numeric "status" and string "body")`);
  }
  const headers: Record<string, string> = {};
  if (typeof parsed.headers === 'object' && parsed.headers !== null) {
    for (const [k, v] of Object.entries(parsed.headers)) headers[k.toLowerCase()] = String(v);
  }
  return { kind: 'http', status: parsed.status, headers, body: parsed.body };
}
