/**
 * A tiny reader for the recorded Claude streams in `test/fixtures/anthropic/*.sse` (wire SSE:
 * `event: X\ndata: {json}\n\n`). It returns, per text content block, the concatenated
 * `text_delta` texts and the list of delta strings, so tests can replay the real chunking.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One text content block of a recorded reply. */
export interface FixtureTextBlock {
  /** The content block index in the message. */
  readonly index: number;
  /** The whole text: every delta concatenated. */
  readonly text: string;
  /** The `text_delta` strings in wire order. */
  readonly deltas: readonly string[];
}

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/anthropic/', import.meta.url));

/**
 * Parse one fixture by number prefix (e.g. `'03'`) and return its text blocks in index order.
 * Throws if no fixture file starts with that prefix or a `data:` line is not JSON.
 */
export function fixtureTextBlocks(prefix: string): FixtureTextBlock[] {
  const file = fixtureFile(prefix);
  const sse = readFileSync(file, 'utf8');
  const byIndex = new Map<number, string[]>();
  for (const event of sse.split('\n\n')) {
    const dataLine = event.split('\n').find((line) => line.startsWith('data:'));
    if (dataLine === undefined) continue;
    const payload = JSON.parse(dataLine.slice('data:'.length)) as {
      type?: string;
      index?: number;
      delta?: { type?: string; text?: string };
    };
    if (payload.type !== 'content_block_delta' || payload.delta?.type !== 'text_delta') continue;
    const index = payload.index ?? 0;
    const list = byIndex.get(index) ?? [];
    list.push(payload.delta.text ?? '');
    byIndex.set(index, list);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([index, deltas]) => ({ index, text: deltas.join(''), deltas }));
}

/** The first (or only) text block of a fixture; throws if it has none. */
export function fixtureText(prefix: string): FixtureTextBlock {
  const first = fixtureTextBlocks(prefix)[0];
  if (first === undefined) throw new Error(`fixture ${prefix} has no text block`);
  return first;
}

function fixtureFile(prefix: string): string {
  const names = readdirNames();
  const name = names.find((n) => n.startsWith(prefix) && n.endsWith('.sse'));
  if (name === undefined) throw new Error(`no fixture ${prefix}*.sse in ${FIXTURE_DIR}`);
  return FIXTURE_DIR + name;
}

let cachedNames: string[] | undefined;
function readdirNames(): string[] {
  cachedNames ??= readdirSync(FIXTURE_DIR).sort();
  return cachedNames;
}
