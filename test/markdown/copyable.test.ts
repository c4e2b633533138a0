import { describe, expect, it } from 'vitest';
import { copyableBlocks, sourcesBlock } from '../../src/markdown/copyable.js';

const REPLY = [
  '## Pelicans & friends',
  '',
  'Pelicans are **large** water birds with a',
  'throat pouch, see [the guide](https://example.org/p) and `code`.',
  'A hard break follows  ',
  'here.',
  '',
  '- first item that wraps',
  '  onto a second line',
  '- second',
  '  1. nested one',
  '  2. nested two',
  '',
  '| Bird | Span |',
  '|---|---:|',
  '| Brown pelican | 2 m |',
  '| *Dalmatian* | 3 m |',
  '',
  '```ts',
  'const pouch = 13;',
  '',
  'console.log(pouch);',
  '```',
  '',
  '> a quoted',
  '> line',
].join('\n');

describe('copyableBlocks', () => {
  const blocks = copyableBlocks(REPLY);

  it('finds each top-level block with its kind and markdown source', () => {
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'table', 'code', 'quote']);
    expect(blocks[1]!.markdown).toBe(REPLY.split('\n').slice(2, 6).join('\n'));
    expect(blocks[4]!.markdown).toBe('```ts\nconst pouch = 13;\n\nconsole.log(pouch);\n```');
    expect(blocks[4]!.language).toBe('ts');
  });

  it('gives plain text with soft wraps joined, marks dropped, links spelled out, entities decoded', () => {
    expect(blocks[0]!.plain).toBe('Pelicans & friends');
    expect(blocks[1]!.plain).toBe(
      'Pelicans are large water birds with a throat pouch, see the guide (https://example.org/p) and code. A hard break follows\nhere.',
    );
    expect(blocks[2]!.plain).toBe('- first item that wraps onto a second line\n- second\n  1. nested one\n  2. nested two');
    expect(blocks[3]!.plain).toBe('Bird\tSpan\nBrown pelican\t2 m\nDalmatian\t3 m');
    expect(blocks[4]!.plain).toBe('const pouch = 13;\n\nconsole.log(pouch);');
    expect(blocks[5]!.plain).toBe('a quoted line');
  });
});

describe('sourcesBlock', () => {
  it('lists each cited page once, as markdown links and as title — url lines', () => {
    const b = sourcesBlock([
      { url: 'https://a.example', title: 'A' },
      { url: 'https://a.example', title: 'A again' },
      { url: 'https://b.example', title: null },
      { url: null, title: 'no url' },
    ]);
    expect(b).toEqual({
      kind: 'sources',
      markdown: '- [A](https://a.example)\n- [https://b.example](https://b.example)',
      plain: 'A — https://a.example\nhttps://b.example',
      language: '',
    });
    expect(sourcesBlock([{ url: null }])).toBeNull();
  });
});
