import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/markdown/html.js';
import { renderMarkdown } from '../../src/markdown/render.js';
import { colorMarkdown, plainMarkdown } from '../../src/markdown/style.js';
import { stripSgr } from '../../src/text/sgr.js';

const md = (text: string, width = 80) => renderMarkdown(text, width).map(stripSgr).join('\n');

describe('HTML in markdown', () => {
  it('renders inline tags and strips comments', () => {
    expect(md('a<br>b <b>bold</b> <kbd>Ctrl</kbd> x<sup>2</sup> H<sub>2</sub>O <!-- gone -->\n').trimEnd()).toBe('a\nb bold Ctrl x^2 H_2O');
    expect(renderHtml('<b>', colorMarkdown, false)).toBe('\x1b[1m');
    expect(renderHtml('</b>', colorMarkdown, false)).toBe('\x1b[22m');
    expect(renderHtml('<b>', plainMarkdown, false)).toBe('');
  });

  it('keeps what is not a known tag, such as generics', () => {
    expect(md('Use Vec<T> here\n')).toBe('Use Vec<T> here');
  });

  it('renders details/summary, lists and images in HTML blocks; drops scripts', () => {
    const out = md(
      '<details>\n<summary>More</summary>\n<ul><li>one</li><li>two</li></ul>\n<img src="a.png" alt="pic">\n<script>alert(1)</script>\n</details>\n',
    );
    expect(out).toContain('▸ More');
    expect(out).toContain('• one');
    expect(out).toContain('[image: pic] a.png');
    expect(out).not.toContain('alert');
    expect(out).not.toMatch(/<\/?\w+/);
  });

  it('images as [image: alt] url; inline code with colons in lists and tables', () => {
    expect(md('![the alt](http://x/y.png)\n')).toBe('[image: the alt] http://x/y.png');
    expect(md('![](http://x/y.png)\n')).toBe('[image] http://x/y.png');
    expect(md('- a `b:c` d\n')).toContain('a b:c d');
    expect(md('| a |\n|---|\n| `x:y` |\n')).toContain('x:y');
  });

  it('gives each heading level its own style', () => {
    const styles = [1, 2, 3, 4, 5, 6].map((n) => renderMarkdown(`${'#'.repeat(n)} H\n`, 40)[0]);
    expect(new Set(styles).size).toBe(6);
    for (const s of styles) expect(stripSgr(s!)).toBe('H');
  });
});
