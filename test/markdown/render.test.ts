import { afterEach, describe, expect, it, vi } from 'vitest';

// Make marked-terminal believe the terminal supports OSC 8 hyperlinks (it decides at import).
vi.hoisted(() => {
  process.env.FORCE_HYPERLINK = '1';
});

import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import stringWidth from 'string-width';
import { MarkdownStream } from '../../src/markdown/blocks.js';
import { renderBlock, renderMarkdown, renderStream } from '../../src/markdown/render.js';
import { stripSgr } from '../../src/text/sgr.js';
import { darkTheme, monochromeTheme, plainTheme } from '../../src/theme.js';
import { fixtureText, fixtureTextBlocks } from './fixture-text.js';

const FIXTURE_03 = fixtureText('03').text;
const ALL_REPLIES = ['01', '02', '03', '06', '07', '08', '09', '12', '14', '15', '16', '19'].flatMap((id) =>
  fixtureTextBlocks(id).map((b) => ({ name: `${id}#${b.index}`, text: b.text })),
);

/** Any escape sequence, or ESC/C1 introducer, that is not an SGR sequence. */
const NON_SGR = /\x1b(?!\[[0-9;:]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/;
const ANY_ESCAPE = /[\x1b\x9b]/;

/**
 * An independent check that a line closes every SGR attribute it opens (so no colour leaks into
 * the next terminal row). Returns the attributes still open at the end of the line.
 */
function openAttributesAtEnd(line: string): string[] {
  const open = new Set<string>();
  for (const match of line.matchAll(/\x1b\[([0-9;:]*)m/g)) {
    const codes = (match[1] as string).split(';').map((c) => (c === '' ? 0 : Number(c)));
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code === 0) open.clear();
      else if (code === 1 || code === 2) open.add('intensity');
      else if (code === 22) open.delete('intensity');
      else if (code >= 3 && code <= 9) open.add(`a${code}`);
      else if (code >= 23 && code <= 29) open.delete(`a${code - 20}`);
      else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) open.add('fg');
      else if (code === 38) {
        open.add('fg');
        i += codes[i + 1] === 5 ? 2 : 4;
      } else if (code === 39) open.delete('fg');
      else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) open.add('bg');
      else if (code === 49) open.delete('bg');
    }
  }
  return [...open];
}

const visible = stripSgr;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('renderMarkdown widths', () => {
  for (const width of [10, 40, 80, 120]) {
    it(`keeps every line of fixture 03 within ${width} columns`, () => {
      const lines = renderMarkdown(FIXTURE_03, width);
      expect(lines.length).toBeGreaterThan(100);
      for (const line of lines) {
        if (stringWidth(line) > width) expect.fail(`${stringWidth(line)} > ${width}: ${JSON.stringify(line)}`);
      }
    });
  }

  it('keeps every recorded reply within the width at widths 1 to 30, coloured and not', () => {
    for (const theme of [darkTheme, plainTheme]) {
      for (const { name, text } of ALL_REPLIES) {
        for (let width = 1; width <= 30; width += 1) {
          for (const line of renderMarkdown(text, width, theme)) {
            if (stringWidth(line) > width) expect.fail(`${name} @${width}: ${JSON.stringify(line)}`);
          }
        }
      }
    }
  });

  it('treats a width below one column as one, and rejects a width that is not a number', () => {
    expect(renderMarkdown('ab', 0)).toEqual(['a', 'b']);
    expect(() => renderMarkdown('x', Number.NaN)).toThrow(RangeError);
    expect(() => renderBlock('x', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('rendered lines are safe and self-contained', () => {
  it('contain no escape sequence other than SGR, and no OSC at all', () => {
    for (const width of [10, 40, 80, 120]) {
      for (const { name, text } of ALL_REPLIES) {
        for (const line of renderMarkdown(text, width)) {
          expect(line, name).not.toMatch(NON_SGR);
          expect(line).not.toContain('\x1b]');
        }
      }
    }
  });

  it('close every style they open, line by line', () => {
    const lines = renderMarkdown(FIXTURE_03, 40);
    expect(lines.some((line) => ANY_ESCAPE.test(line))).toBe(true);
    for (const line of lines) expect(openAttributesAtEnd(line), JSON.stringify(line)).toEqual([]);
  });

  it('keep a style that wraps onto the next line (re-opened there)', () => {
    const lines = renderMarkdown('**' + 'bold words '.repeat(8).trim() + '**', 20);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      expect(line.startsWith('\x1b[1m')).toBe(true);
      expect(openAttributesAtEnd(line)).toEqual([]);
    }
  });

  it('contain no ANSI at all with the plain theme', () => {
    const lines = renderMarkdown(FIXTURE_03 + '\n\n```js\nconst x = 1;\n```\n', 60, plainTheme);
    for (const line of lines) expect(line).not.toMatch(ANY_ESCAPE);
    expect(lines).toContain('Comparison Table');
  });
});

describe('hostile model output inside markdown does not survive rendering', () => {
  const title = '\x1b]0;pwned-title\x07';
  const clipboard = '\x1b]52;c;cHduZWQtY2xpcA==\x07';
  const link = '\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\';
  const clear = '\x1b[2J\x1b[H';
  const c1 = '\x9b2J\x9d0;pwned-c1\x9c';
  const payload = `${title}${clipboard}${link}${clear}${c1}\u202e\x07`;
  const documents: Record<string, string> = {
    'a code block': `\`\`\`js\nconst a = "${payload}";\n\`\`\``,
    'an unlabelled code block': `\`\`\`\n${payload}\n\`\`\``,
    'a table cell': `| h | ${payload} |\n|---|---|\n| ${payload} | x |`,
    'a heading': `# Title ${payload}`,
    'a list item': `- item ${payload}\n  - nested ${payload}`,
    'a blockquote': `> quote ${payload}`,
    'inline code and emphasis': `text \`${payload}\` and *${payload}*`,
    'a link': `[label ${payload}](http://x.example/${payload}) <http://y.example/${payload}>`,
    'raw HTML': `<div>${payload}</div>`,
  };
  for (const [where, doc] of Object.entries(documents)) {
    it(`in ${where}`, () => {
      for (const width of [20, 80]) {
        const lines = renderMarkdown(doc, width);
        const all = lines.join('\n');
        expect(all).not.toMatch(NON_SGR);
        expect(all).not.toContain('pwned');
        expect(all).not.toContain('cHduZWQtY2xpcA');
        expect(all).not.toContain('evil.example');
        expect(all).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
        expect(all).toContain('␛');
      }
    });
  }
});

describe('character references cannot smuggle control characters', () => {
  it('shows numeric references to ESC, BEL and C1 (which marked decodes) as placeholders', () => {
    const lines = renderMarkdown('a &#27;[2J b &#x1b;]0;t&#7; c &#155;2J\n\n| &#27;[31m |\n|---|\n| x |', 80);
    const all = lines.join('\n');
    expect(all).not.toMatch(NON_SGR);
    expect(lines.map(visible)).toContain('a ␛ b ␛ c ␛');
    expect(all).not.toContain('\x1b[31m');
    expect(visible(all)).toContain('│ ␛ │');
  });
});

describe('marked-terminal configuration', () => {
  it('renders links as "text (url)", never as OSC 8 hyperlinks, even when the terminal supports them', () => {
    // Proof the hazard exists here: marked-terminal on its own emits OSC 8 in this environment.
    const stock = new Marked().use(markedTerminal({}, {}));
    expect(stock.parse('[docs](https://example.com/docs)') as string).toContain('\x1b]8;;');

    const lines = renderMarkdown('See [docs](https://example.com/docs) and <https://example.com>.', 80);
    expect(lines.join('\n')).not.toContain('\x1b]8');
    expect(visible(lines.join('\n'))).toBe('See docs (https://example.com/docs) and https://example.com.');
  });

  it('highlights a known language with SGR colours', () => {
    const lines = renderBlock('```js\nconst answer = 42; // comment\n```', 80);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\x1b\[34mconst\x1b\[39m/);
    expect(visible(lines[0] as string)).toBe('  const answer = 42; // comment');
  });

  it('shows an unknown language as plain code without crashing or printing to the console', () => {
    const spies = (['error', 'warn', 'log', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const lines = renderBlock('```no-such-language-xyz\nfoo(bar)\n```', 80);
    expect(lines.map(visible)).toEqual(['  foo(bar)']);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('shows headings without # prefixes and a rule across the width', () => {
    expect(renderMarkdown('# Title\n\n## Sub\n\n---', 12, plainTheme)).toEqual(['Title', '', 'Sub', '', '─'.repeat(12)]);
  });

  it('renders inline markup inside tight list items', () => {
    const lines = renderMarkdown('- **bold** and `code`\n- *em*', 80);
    expect(lines.map(visible)).toEqual(['  * bold and code', '  * em']);
    expect(lines[0]).toContain('\x1b[1mbold\x1b[22m');
  });

  it('numbers ordered lists from their start and keeps nested bullets as bullets', () => {
    expect(renderMarkdown('8. eight\n9. nine\n   - sub\n   - sub two\n10. ten', 80, plainTheme)).toEqual([
      '   8. eight',
      '   9. nine',
      '      * sub',
      '      * sub two',
      '  10. ten',
    ]);
  });

  it('shows one checkbox per task item', () => {
    expect(renderMarkdown('- [ ] open\n- [x] done', 80, plainTheme)).toEqual(['  * [ ] open', '  * [x] done']);
  });

  it('keeps the blank lines of a loose list', () => {
    expect(renderMarkdown('- one\n\n- two', 80, plainTheme)).toEqual(['  * one', '', '  * two']);
  });

  it('marks every line of a blockquote with a bar, wrapped lines and nested lists included', () => {
    const lines = renderMarkdown('> ' + 'quoted words '.repeat(6).trim() + '\n>\n> - item one\n> - item two', 30, plainTheme);
    for (const line of lines) expect(line.startsWith('│ ')).toBe(true);
    expect(lines).toContain('│   * item one');
    expect(lines).toContain('│   * item two');
  });

  it('keeps soft line breaks of a paragraph as line breaks', () => {
    expect(renderMarkdown('first line\nsecond line', 80, plainTheme)).toEqual(['first line', 'second line']);
  });

  it('wraps a long list item under its text, not under the bullet', () => {
    const lines = renderMarkdown('- ' + 'word '.repeat(12).trim(), 20, plainTheme);
    expect(lines[0]?.startsWith('  * word')).toBe(true);
    for (const line of lines.slice(1)) expect(line.startsWith('    word')).toBe(true);
  });
});

describe('tables', () => {
  const wide =
    '| Algorithm | Best case | Average case | Worst case | Notes |\n' +
    '|---|:---:|---|---:|---|\n' +
    '| Quick Sort | O(n log n) | O(n log n) | O(n²) | in-place, not stable, usually fastest in practice |\n' +
    '| Merge Sort | O(n log n) | O(n log n) | O(n log n) | stable, needs O(n) extra space 🙂 |';

  it('render as a box', () => {
    const lines = renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |', 80, plainTheme);
    expect(lines).toEqual(['┌───┬───┐', '│ a │ b │', '├───┼───┤', '│ 1 │ 2 │', '└───┴───┘']);
  });

  it('wider than the width wrap their cells and never exceed the width', () => {
    for (const width of [40, 60, 80]) {
      const lines = renderMarkdown(wide, width);
      expect(visible(lines[0] as string)).toMatch(/^┌─+┬/);
      for (const line of lines) expect(stringWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
      const text = lines.map(visible).join(' ');
      expect(text).toContain('🙂');
      if (width >= 60) for (const word of ['Algorithm', 'in-place,', 'fastest', 'practice']) expect(text).toContain(word);
    }
  });

  it('keep words whole when the columns can hold their longest words', () => {
    const text = renderMarkdown(wide, 60, plainTheme).join('\n');
    for (const word of ['Algorithm', 'Average', 'in-place,', 'practice']) expect(text).toContain(word);
  });

  it('too narrow for a box fall back to "header: value" lines within the width', () => {
    const lines = renderMarkdown(wide, 30, plainTheme);
    expect(lines.some((line) => line.startsWith('Algorithm:'))).toBe(true);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(30);
  });
});

describe('caching', () => {
  it('returns the same frozen lines for the same block and width', () => {
    const a = renderBlock('Some *cached* text', 50);
    expect(renderBlock('Some *cached* text', 50)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(renderBlock('Some *cached* text', 51)).not.toBe(a);
  });

  it('renders each theme its own way in one process (no shared colour state, no stale cache)', () => {
    const source = '# Title\n\nSome **bold** and `code`.\n\n```js\nconst x = 1;\n```';
    const coloured = renderBlock(source, 50, darkTheme);
    const mono = renderBlock(source, 50, monochromeTheme);
    const plain = renderBlock(source, 50, plainTheme);
    expect(coloured[0]).toBe('\x1b[1m\x1b[4m\x1b[35mTitle\x1b[39m\x1b[24m\x1b[22m');
    expect(mono[0]).toBe('\x1b[1m\x1b[4mTitle\x1b[24m\x1b[22m');
    expect(plain[0]).toBe('Title');
    // Colour: the code is highlighted; mono: weight only, no colour code at all; plain: no escape.
    expect(coloured.join('\n')).toContain('\x1b[34mconst\x1b[39m');
    expect(mono.join('\n')).toContain('\x1b[1mbold\x1b[22m');
    expect(mono.join('\n')).not.toMatch(/\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])m/);
    expect(plain.join('\n')).not.toMatch(ANY_ESCAPE);
    for (const lines of [coloured, mono, plain]) expect(lines.map(visible)).toEqual(plain);
    // Asked again in another order, each theme still gets its own lines.
    expect(renderBlock(source, 50, plainTheme)).toBe(plain);
    expect(renderBlock(source, 50, darkTheme)).toBe(coloured);
    expect(renderMarkdown(source, 50, monochromeTheme)).toEqual(mono);
  });

  it('renderStream renders a stream again when its theme changes', () => {
    const stream = new MarkdownStream();
    stream.update('Some **bold** words.\n\nMore.\n', true);
    const coloured = renderStream(stream, 80, { theme: darkTheme });
    expect(coloured[0]).toContain('\x1b[1m');
    expect(renderStream(stream, 80, { theme: plainTheme })).toEqual(['Some bold words.', '', 'More.']);
    expect(renderStream(stream, 80, { theme: darkTheme })).toEqual(coloured);
  });

  it('renderStream reuses finished blocks between calls and after a width change re-renders them', () => {
    const stream = new MarkdownStream();
    stream.update(FIXTURE_03, true);
    const at80 = renderStream(stream, 80);
    expect(renderStream(stream, 80)).toEqual(at80);
    expect(renderStream(stream, 60)).toEqual(renderMarkdown(FIXTURE_03, 60));
    expect(renderStream(stream, 80)).toEqual(at80);
  });
});
