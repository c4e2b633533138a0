import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { LINK_CLOSE, linkifyLines, linkOpen, linkText, safeLinkUrl } from '../../src/markdown/links.js';
import { Screen } from '../../src/terminal/screen.js';
import { linkAt, linksOnScreen } from '../helpers/links.js';

function setup(cols: number, rows: number, hyperlinks: boolean) {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  let raw = '';
  const pending: Promise<void>[] = [];
  const target = {
    write: (s: string) => {
      raw += s;
      pending.push(new Promise<void>((r) => term.write(s, r)));
    },
  };
  const screen = new Screen(target, { columns: cols, rows }, { hyperlinks });
  screen.start({ mouse: false });
  screen.setInkFrame('› prompt');
  screen.flush();
  const paint = async (region: string[], top = 0) => {
    const pad = [...region, ...new Array<string>(Math.max(0, rows - 1 - region.length)).fill('')];
    screen.setRegion(pad, top, rows - 1);
    screen.flush();
    await Promise.all(pending);
  };
  return { term, paint, raw: () => raw };
}

const URL = 'https://example.com/a/very/long/path/that/wraps/over/rows?q=1';

describe("inkwell's own hyperlinks (OSC 8)", () => {
  it('a URL cut over rows is one link: the same id and the exact URL on every cell of every row', async () => {
    const { term, paint } = setup(24, 8, true);
    const rows = linkText(URL, 20).map((r) => `  ${r}`);
    expect(rows.length).toBeGreaterThan(2);
    await paint(rows);
    const links = linksOnScreen(term);
    expect([...links.keys()]).toEqual([URL]);
    expect([...links.get(URL)!]).toEqual(rows.map((_, i) => i));
    const ids = new Set<string | undefined>();
    for (let y = 0; y < rows.length; y++) for (let x = 2; x < 22; x++) if (linkAt(term, x, y)) ids.add(linkAt(term, x, y)!.id);
    expect(ids.size).toBe(1);
    // Nothing outside the URL's cells is linked.
    expect(linkAt(term, 0, 0)).toBeNull();
  });

  it('stays right when a row is rewritten in part, cut at the width, or scrolled', async () => {
    const { term, paint } = setup(30, 6, true);
    const linked = `see ${linkOpen(URL)}link${LINK_CLOSE} and more`;
    await paint(['first row of text here', linked]);
    // The row grows after the link: only its tail may be written; the link stays on its cells only.
    await paint(['first row of text here', `${linked} and even more`]);
    expect(linkAt(term, 4, 1)?.uri).toBe(URL);
    expect(linkAt(term, 7, 1)?.uri).toBe(URL);
    expect(linkAt(term, 9, 1)).toBeNull();
    expect(linkAt(term, 20, 1)).toBeNull();
    // A row wider than the terminal is cut: the link is closed, the prompt row is not linked.
    await paint(['x', `${'y'.repeat(26)}${linkOpen(URL)}abcdefghij${LINK_CLOSE}`]);
    expect(linkAt(term, 27, 1)?.uri).toBe(URL);
    expect(linksOnScreen(term).get(URL)).toEqual(new Set([1]));
    // Scrolled up by a row: the link moves with its row.
    await paint(['a', 'b', linked, 'c', 'd'], 0);
    await paint(['b', linked, 'c', 'd', 'e'], 1);
    expect(linkAt(term, 4, 1)?.uri).toBe(URL);
    expect(linksOnScreen(term).get(URL)).toEqual(new Set([1]));
  });

  it('a terminal without hyperlinks gets the URL text and no OSC 8 at all', async () => {
    const { term, paint, raw } = setup(40, 6, false);
    await paint([`see ${linkOpen(URL)}link${LINK_CLOSE} ok`]);
    expect(raw()).not.toContain('\x1b]8;');
    expect(term.buffer.active.getLine(0)!.translateToString(true)).toBe('see link ok');
  });

  it('linkifyLines links markdown URLs, one link over a hard-wrapped URL, and never a non-web scheme', () => {
    const width = 20;
    const lines = ['a link (https://exa', 'mple.com/x) here', 'javascript:alert(1) file:///etc/passwd'];
    // "https://exa" does not fill the row: not joined.
    expect(linkifyLines(lines, width)[0]).toContain(`${linkOpen('https://exa')}https://exa${LINK_CLOSE}`);
    const full = ['see https://example.c', 'om/x/y done'];
    const out = linkifyLines(full, 21);
    expect(out[0]).toContain(linkOpen('https://example.com/x/y'));
    expect(out[1]).toBe(`${linkOpen('https://example.com/x/y')}om/x/y${LINK_CLOSE} done`);
    expect(linkifyLines([lines[2]!], 60)[0]).toBe(lines[2]);
    expect(safeLinkUrl('https://a.b/\x1b]8;;evil')).toBeNull();
  });
});
