import { describe, expect, it } from 'vitest';
import { MarkdownStream, lexBlocks } from '../../src/markdown/blocks.js';
import { ESCAPE_PLACEHOLDER, sanitizeModelText } from '../../src/markdown/sanitize.js';
import { prefixChunks, randomChunks, replay, seededRandom, wholeSplit } from './stream-helpers.js';

/** Feed `text` one character at a time; returns the stream (not final). */
function streamByChar(text: string): MarkdownStream {
  const stream = new MarkdownStream();
  for (let i = 1; i <= text.length; i++) stream.update(text.slice(0, i));
  return stream;
}

/** Top-level non-space token types of a source. */
function types(source: string): string[] {
  return lexBlocks(source)
    .filter((token) => token.type !== 'space')
    .map((token) => token.type);
}

describe('MarkdownStream edge cases', () => {
  it('a paragraph followed by a setext underline becomes one heading block', () => {
    const stream = streamByChar('Title text\n');
    expect(types(stream.live)).toEqual(['paragraph']);
    stream.update('Title text\n---\n');
    expect(stream.finished).toEqual([]);
    expect(types(stream.live)).toEqual(['heading']);
    stream.update('Title text\n---\n\nBody\n');
    expect(stream.finished).toEqual(['Title text\n---\n\n']);
    expect(stream.live).toBe('Body\n');
  });

  it('a loose list stays one block until a paragraph follows', () => {
    const list = '- one\n\n- two\n\n  continued\n\n- three\n\n';
    const stream = new MarkdownStream();
    for (let i = 1; i <= list.length; i++) {
      stream.update(list.slice(0, i));
      expect(stream.finished, `after ${i} chars`).toEqual([]);
    }
    expect(types(stream.live)).toEqual(['list']);
    stream.update(list + 'After the list.\n');
    expect(stream.finished).toEqual([list]);
    expect(stream.live).toBe('After the list.\n');
  });

  it('a table whose header arrives before its delimiter row becomes a table', () => {
    const stream = streamByChar('| Name | Value |\n');
    expect(types(stream.live)).toEqual(['paragraph']);
    stream.update('| Name | Value |\n|------|-------|\n');
    expect(types(stream.live)).toEqual(['table']);
    stream.update('| Name | Value |\n|------|-------|\n| a | 1 |\n| b | 2 |\n');
    expect(stream.finished).toEqual([]);
    expect(types(stream.live)).toEqual(['table']);
    stream.update('| Name | Value |\n|------|-------|\n| a | 1 |\n| b | 2 |\n\nDone.\n');
    expect(stream.finished).toEqual(['| Name | Value |\n|------|-------|\n| a | 1 |\n| b | 2 |\n\n']);
  });

  it('an unclosed fence lexes as code while streaming', () => {
    const stream = streamByChar('```python\ndef f():\n    return 1\n\n# not a heading\n');
    expect(stream.finished).toEqual([]);
    expect(types(stream.live)).toEqual(['code']);
    stream.update('```python\ndef f():\n    return 1\n\n# not a heading\n```\nAfter\n');
    expect(stream.finished).toEqual(['```python\ndef f():\n    return 1\n\n# not a heading\n```\n']);
    expect(stream.live).toBe('After\n');
  });

  it('``` inside a longer fence, or with an info string, does not close the fence', () => {
    const text = '````md\n```js\ninner\n```\n````\n\n```\n```js\nstill code\n```\nafter\n';
    const stream = streamByChar(text);
    expect(stream.finished).toEqual(['````md\n```js\ninner\n```\n````\n\n', '```\n```js\nstill code\n```\n']);
    expect(stream.live).toBe('after\n');
  });

  it('an indented code block continues across a blank line', () => {
    const stream = streamByChar('    first\n\n');
    expect(stream.finished).toEqual([]);
    stream.update('    first\n\n    second\n');
    expect(stream.finished).toEqual([]);
    expect(types(stream.live)).toEqual(['code']);
    stream.update('    first\n\n    second\n\nText\n');
    expect(stream.finished).toEqual(['    first\n\n    second\n\n']);
  });

  it('a blockquote with a lazy continuation line stays one block', () => {
    const stream = streamByChar('> quoted\nlazy continuation\n');
    expect(stream.finished).toEqual([]);
    expect(types(stream.live)).toEqual(['blockquote']);
    stream.update('> quoted\nlazy continuation\n\nNext\n');
    expect(stream.finished).toEqual(['> quoted\nlazy continuation\n\n']);
    expect(stream.live).toBe('Next\n');
  });

  it('a paragraph glued to the next block (no blank line) is committed together with it', () => {
    const text = 'Here is the code:\n```js\nlet x = 1;\n```\nAfter.\n';
    const stream = streamByChar(text);
    expect(stream.finished).toEqual(['Here is the code:\n```js\nlet x = 1;\n```\n']);
    expect(stream.live).toBe('After.\n');
  });

  it('a closing HTML tag after a paragraph is not re-lexed on its own (marked looks back)', () => {
    // After a paragraph `</pre>` cannot start an HTML block, so here it is a setext heading.
    const text = 'para\n\n|---|---|\n</pre>\n---\n- item\n\nend\n';
    replay(prefixChunks(text));
    expect(wholeSplit(text).flatMap(types)).toEqual(types(text));
  });

  it('a line that ends a paragraph only because of the line after it is not cut early', () => {
    // GFM table interruption looks one line ahead: `x\n3) y` is one paragraph, but with `---`
    // after it marked lexes paragraph, list, rule.
    const text = 'x\n3) three\n---\n\nend\n';
    replay(prefixChunks(text));
    expect(wholeSplit(text).flatMap(types)).toEqual(types(text));
  });

  it('holds back a partial last line until its newline arrives or the stream ends', () => {
    const stream = new MarkdownStream();
    stream.update('# Title\nSome **bo');
    expect(stream.partialLine).toBe('Some **bo');
    expect(stream.live).toBe('# Title\n');
    stream.update('# Title\nSome **bold**');
    expect(stream.partialLine).toBe('Some **bold**');
    stream.update('# Title\nSome **bold**', true);
    expect(stream.partialLine).toBe('');
    expect(stream.live).toBe('');
    expect(stream.finished).toEqual(['# Title\n', 'Some **bold**']);
  });

  it('a reply that is only blank lines finishes as one blank block', () => {
    const stream = new MarkdownStream();
    stream.update('\n\n', true);
    expect(stream.finished).toEqual(['\n\n']);
  });

  it('leading blank lines belong to the first block', () => {
    expect(wholeSplit('\n\n# A\n\nb\n')).toEqual(['\n\n# A\n\n', 'b\n']);
  });

  it('sanitises hostile sequences split across deltas, in partial lines too', () => {
    const stream = new MarkdownStream();
    stream.update('title: \x1b]0;pw');
    expect(stream.partialLine).toBe(`title: ${ESCAPE_PLACEHOLDER}`);
    stream.update('title: \x1b]0;pwned\x07 ok\n\x1b[2');
    expect(stream.live).toBe(`title: ${ESCAPE_PLACEHOLDER} ok\n`);
    expect(stream.partialLine).toBe(ESCAPE_PLACEHOLDER);
    stream.update('title: \x1b]0;pwned\x07 ok\n\x1b[2J done\r', true);
    expect(stream.finished.join('')).toBe(`title: ${ESCAPE_PLACEHOLDER} ok\n${ESCAPE_PLACEHOLDER} done`);
  });

  it('a CRLF split across two deltas becomes one LF', () => {
    const stream = new MarkdownStream();
    stream.update('line one\r');
    expect(stream.partialLine).toBe('line one');
    stream.update('line one\r\nline two\r\n');
    expect(stream.live).toBe('line one\nline two\n');
  });

  it('throws when the text does not extend the previous text', () => {
    const stream = new MarkdownStream();
    stream.update('Hello wor');
    expect(() => stream.update('Hello there')).toThrow(/does not extend/);
    expect(() => stream.update('Hello')).toThrow(/does not extend/);
  });

  it('after the final update only the same text is accepted again', () => {
    const stream = new MarkdownStream();
    stream.update('done\n', true);
    expect(() => stream.update('done\n', true)).not.toThrow();
    expect(() => stream.update('done\nmore')).toThrow(/already final/);
  });
});

/** Line kinds that exercise block boundaries, glued into random documents. */
const LINES = [
  'para text',
  'more *em* text',
  '',
  '',
  '',
  '# Heading',
  '## Sub',
  '---',
  '===',
  '- item',
  '- item two',
  '  - nested',
  '1. one',
  '2. two',
  '3) three',
  '* star',
  '+ plus',
  '> quote',
  '> > deep',
  '> - item in quote',
  'lazy line',
  '```',
  '```js',
  '~~~',
  '````',
  '   ```',
  '    indented code',
  '\tTabbed',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  'a | b',
  '--|--',
  ':--|--:',
  '<div>',
  '</div>',
  '<!-- c',
  '-->',
  '<pre>',
  '</pre>',
  '<custom-el>',
  '<?php',
  '[ref]: http://x',
  '"title"',
  '[link][ref]',
  '  continuation',
  '   ',
  '- [ ] task',
  '***',
  '_ _ _',
  'Term\\',
  'two trailing  ',
  '$$',
  '1. ',
  '-',
  '>',
  '10. ten',
  '1) one',
  'red \x1b[31mtext\x1b[0m',
  '\x1b]0;t\x07title',
  'x\r',
  '\u202e bidi',
  '***bold***',
];

function randomDocument(random: () => number): string {
  const count = 3 + Math.floor(random() * 20);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(LINES[Math.floor(random() * LINES.length)] as string);
  return lines.join('\n') + (random() < 0.5 ? '\n' : '');
}

describe('MarkdownStream on random documents', () => {
  it('splits the same way however the text is chunked, and like lexing the whole text', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const random = seededRandom(seed);
      const text = randomDocument(random);
      const chunks = seed % 2 === 0 ? prefixChunks(text) : randomChunks(text, random, 12);
      const stream = replay(chunks);
      // Lexing each finished block on its own gives the whole text's top-level tokens.
      const alone = stream.finished.flatMap((block) =>
        lexBlocks(block)
          .filter((t) => t.type !== 'space')
          .map((t) => `${t.type}:${t.raw.trimEnd()}`),
      );
      const whole = lexBlocks(sanitizeModelText(text))
        .filter((t) => t.type !== 'space')
        .map((t) => `${t.type}:${t.raw.trimEnd()}`);
      expect(alone, `seed ${seed}: ${JSON.stringify(text)}`).toEqual(whole);
    }
  });
});
