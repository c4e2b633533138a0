import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rooms of src/ and who may import whom (docs/ARCHITECTURE.md): the import graph between
 * folders has no cycle, ui imports no wiring, and only api/ imports the SDK.
 */
const SRC = path.resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** The folder under src/ a file belongs to ('' for files at the top). */
function room(file: string): string {
  const rel = path.relative(SRC, file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0]! : '';
}

/** folder → the set of folders its files import (relative imports only). */
function roomGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const f of files(SRC)) {
    const from = room(f);
    if (from === '') continue;
    const set = graph.get(from) ?? new Set<string>();
    graph.set(from, set);
    for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = room(path.resolve(path.dirname(f), m[1]!));
      if (to !== from && to !== '') set.add(to);
    }
  }
  return graph;
}

/** A cycle in the graph as a list of folders, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe('the rooms of src/', () => {
  it('import one another without a cycle', () => {
    expect(findCycle(roomGraph())).toBeNull();
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keep ui and the chat core free of the start-up wiring (main/)', () => {
    const g = roomGraph();
    for (const r of ['ui', 'chat', 'domain', 'markdown', 'transcript', 'sessions', 'api', 'terminal']) {
      expect([...(g.get(r) ?? [])], r).not.toContain('main');
    }
  });

  it('let only api/ (and the local server) import the SDK', () => {
    const offenders = files(SRC).filter((f) => {
      const r = room(f);
      return r !== 'api' && r !== 'server' && /(from |import\()'@anthropic-ai\/sdk/.test(readFileSync(f, 'utf8'));
    });
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('let only api/ import the provider SDKs, the HTTP agent and the cloud credential libraries', () => {
    const network = /(from |import\()'(@anthropic-ai\/(bedrock|vertex|foundry)-sdk|undici|google-auth-library|@aws-sdk\/|@smithy\/)/;
    const offenders = files(SRC).filter((f) => room(f) !== 'api' && network.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
    // The check itself can fail: api/ does import them.
    expect(files(SRC).some((f) => room(f) === 'api' && network.test(readFileSync(f, 'utf8')))).toBe(true);
  });

  it('keep the pure rooms free of Ink and React', () => {
    const offenders = files(SRC).filter((f) => {
      const r = room(f);
      return ['domain', 'markdown', 'transcript', 'chat'].includes(r) && /from '(ink|react)'/.test(readFileSync(f, 'utf8'));
    });
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
