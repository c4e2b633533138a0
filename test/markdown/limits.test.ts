import { describe, expect, it } from 'vitest';
import { MarkdownStream } from '../../src/markdown/blocks.js';
import { firstHazard, lineNesting, MAX_NESTING, plainReason } from '../../src/markdown/limits.js';
import { wrapPlainLine } from '../../src/markdown/plain.js';
import { renderMarkdown, renderStream } from '../../src/markdown/render.js';
import { bigTable, longLine, longParagraph, nestedLists, nestedQuotes } from '../../src/server/hostile.js';
import { stripSgr } from '../../src/text/sgr.js';

const plain = (lines: readonly string[]) => lines.map(stripSgr);

describe('nesting and size limits (issue 22)', () => {
  it('counts the nesting a line opens', () => {
    expect(lineNesting('plain text')).toBe(0);
    expect(lineNesting('> > - x')).toBe(4); // an over-estimate: spaces count too
    expect(lineNesting('>>>> x')).toBe(4);
    expect(lineNesting('    - x')).toBe(3);
    expect(lineNesting('1. 2) x')).toBe(3);
    expect(lineNesting('* * * * *')).toBe(0); // a thematic break
  });

  it('finds deep and long lines, and says why a block is plain', () => {
    expect(firstHazard(nestedQuotes(MAX_NESTING))).toBeNull();
    expect(firstHazard(`ok\n${nestedQuotes(MAX_NESTING + 1)}`)).toEqual({ at: 3, reason: 'deep' });
    expect(plainReason(longLine(9000))).toBe('long-line');
    expect(plainReason(longParagraph(301))).toBe('big');
    expect(plainReason('# fine\n')).toBeNull();
  });

  it('10,000 nested quotes render (plain, with a note) instead of overflowing the stack', () => {
    const lines = plain(renderMarkdown(`${nestedQuotes(10_000)}\nafter\n`, 80));
    expect(lines[0]).toContain('nested more than 24 levels deep: shown as plain text');
    expect(lines.join('\n')).toContain('deep');
    expect(lines.at(-1)).toBe('after');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('1,000 nested lists are flattened: indentation capped, every level shown', () => {
    const lines = plain(renderMarkdown(nestedLists(1000), 60));
    expect(lines.join('\n')).toContain('level 1000');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
  });

  it('a 20 MB line wraps in O(n): no markdown, one note', () => {
    const lines = renderMarkdown(longLine(2_000_000), 100);
    expect(stripSgr(lines[0]!)).toContain('a line over 8,192 characters');
    expect(lines.length).toBeGreaterThan(19_000);
  });

  it('streamed line by line, a growing block past the limit turns plain and equals the whole render', () => {
    for (const text of [longParagraph(1000), bigTable(700), `${nestedLists(40)}\n\nafter the list\n`]) {
      const s = new MarkdownStream();
      let seen = false;
      for (let i = 0; i < text.length; i += 97) {
        s.update(text.slice(0, i));
        renderStream(s, 70);
        if (s.livePlain !== null) seen = true;
      }
      s.update(text, true);
      expect(seen).toBe(true);
      expect(renderStream(s, 70)).toEqual(renderMarkdown(text, 70));
    }
  });

  it('a big fenced code block stays one plain block until its closing fence', () => {
    const code = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n\n');
    const text = `\`\`\`\n${code}\n\`\`\`\n\nafter\n`;
    const s = new MarkdownStream();
    for (let i = 0; i < text.length; i += 50) s.update(text.slice(0, i));
    s.update(text, true);
    expect(s.finished).toHaveLength(2);
    expect(s.finished[1]).toBe('after\n');
  });

  it('wraps plain lines at spaces, hard when a word is too long, wide characters by columns', () => {
    expect(wrapPlainLine('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapPlainLine('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapPlainLine('日本語日本語', 4)).toEqual(['日本', '語日', '本語']);
  });
});

describe('the partial line is not copied per update', () => {
  it('hasPartialLine agrees with partialLine', () => {
    const s = new MarkdownStream();
    for (const t of ['a\n', 'a\n   ', 'a\n  x', 'a\n\u200b', 'a\n\x07']) {
      const fresh = new MarkdownStream();
      fresh.update(t);
      expect(fresh.hasPartialLine).toBe(fresh.partialLine.trim() !== '');
    }
    s.update('x');
    expect(s.hasPartialLine).toBe(true);
  });
});
