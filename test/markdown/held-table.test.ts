import { describe, expect, it } from 'vitest';
import { MarkdownStream } from '../../src/markdown/blocks.js';
import { renderStream } from '../../src/markdown/render.js';

const plain = (lines: readonly string[]) => lines.map((l) => l.replace(/\x1b\[[\d;]*m/g, ''));

/** The held line of a streaming table after `n` body rows. */
function heldAfter(n: number): string {
  let text = '| name | cost |\n|---|---|\n';
  for (let i = 0; i < n; i++) text += `| row ${i} | ${i} |\n`;
  const stream = new MarkdownStream();
  stream.update(text);
  const lines = plain(renderStream(stream, 60));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('the held line of a streaming table (issue 14: bytes to the terminal)', () => {
  it('counts rows exactly below 10', () => {
    expect(heldAfter(0)).toBe('┄ table, 0 rows so far');
    expect(heldAfter(1)).toBe('┄ table, 1 row so far');
    expect(heldAfter(9)).toBe('┄ table, 9 rows so far');
  });

  it('from 10 rows on changes only at each leading digit, so a long table is not rewritten per row', () => {
    expect(heldAfter(10)).toBe('┄ table, 10+ rows so far');
    expect(heldAfter(19)).toBe('┄ table, 10+ rows so far');
    expect(heldAfter(20)).toBe('┄ table, 20+ rows so far');
    expect(heldAfter(137)).toBe('┄ table, 100+ rows so far');
    expect(heldAfter(250)).toBe('┄ table, 200+ rows so far');
    // Over a 250-row table the line takes 10 + 9 + 2 = 21 different values, not 251.
    const seen = new Set<string>();
    for (let n = 0; n <= 250; n++) seen.add(heldAfter(n));
    expect(seen.size).toBe(21);
  });
});
