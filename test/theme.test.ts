import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/markdown/render.js';
import { decideColor, darkTheme, lightTheme, monochromeTheme, plainTheme, themeFromEnvironment, themeNamed } from '../src/theme.js';

describe('the one colour decision at start-up', () => {
  const tty = { TERM: 'xterm-256color' };

  it('NO_COLOR wins: no colour (weight only), even with FORCE_COLOR', () => {
    expect(decideColor({ ...tty, NO_COLOR: '1' }, true)).toEqual({ level: 0, escapes: true });
    expect(decideColor({ ...tty, NO_COLOR: '1', FORCE_COLOR: '3' }, true)).toEqual({ level: 0, escapes: true });
    expect(themeFromEnvironment({ ...tty, NO_COLOR: '1' }, true, 'dark')).toBe(monochromeTheme);
    // An empty NO_COLOR is not set (https://no-color.org).
    expect(decideColor({ ...tty, NO_COLOR: '' }, true).level).toBe(2);
  });

  it('FORCE_COLOR forces a level, even when the output is not a terminal; 0 or false forces none', () => {
    expect(decideColor({ FORCE_COLOR: '1' }, false)).toEqual({ level: 1, escapes: true });
    expect(decideColor({ FORCE_COLOR: '' }, false)).toEqual({ level: 1, escapes: true });
    expect(decideColor({ FORCE_COLOR: '3' }, false)).toEqual({ level: 3, escapes: true });
    expect(decideColor({ ...tty, FORCE_COLOR: '0' }, true)).toEqual({ level: 0, escapes: true });
    expect(decideColor({ FORCE_COLOR: 'false' }, false)).toEqual({ level: 0, escapes: false });
    expect(themeFromEnvironment({ FORCE_COLOR: '1' }, false, 'dark')).toBe(darkTheme);
  });

  it('not a terminal, or TERM=dumb: no escape at all', () => {
    expect(decideColor(tty, false)).toEqual({ level: 0, escapes: false });
    expect(decideColor({ TERM: 'dumb' }, true)).toEqual({ level: 0, escapes: false });
    expect(decideColor({ TERM: 'dumb', NO_COLOR: '1' }, true)).toEqual({ level: 0, escapes: false });
    expect(themeFromEnvironment(tty, false, 'light')).toBe(plainTheme);
  });

  it('a terminal: the depth it announces, and the palette the settings name', () => {
    expect(decideColor({ TERM: 'xterm' }, true).level).toBe(1);
    expect(decideColor({ TERM: 'screen-256color' }, true).level).toBe(2);
    expect(decideColor({ TERM: 'xterm-256color', COLORTERM: 'truecolor' }, true).level).toBe(3);
    expect(themeFromEnvironment({ TERM: 'xterm' }, true, 'dark')).toBe(darkTheme);
    expect(themeFromEnvironment({ TERM: 'xterm', COLORTERM: 'truecolor' }, true, 'light')).toBe(lightTheme);
    expect(themeFromEnvironment({ TERM: 'xterm', COLORTERM: 'truecolor' }, true, 'mono')).toBe(monochromeTheme);
    expect(themeFromEnvironment(tty, true, 'dark')).toBe(themeNamed('dark', 2));
  });
});

describe('the theme holds its colour level', () => {
  it('styles the chrome at its own level, whatever other themes exist in the process', () => {
    const light1 = themeNamed('light', 1);
    const light3 = themeNamed('light', 3);
    expect(light3.warning('w')).toBe('\x1b[38;2;154;103;0mw\x1b[39m');
    expect(light1.warning('w')).toMatch(/^\x1b\[3\dmw\x1b\[39m$/);
    expect(darkTheme.accent('m')).toBe('\x1b[36mm\x1b[39m');
    expect(monochromeTheme.accent('m')).toBe('\x1b[1mm\x1b[22m');
    expect(plainTheme.accent('m')).toBe('m');
    expect(darkTheme.inverse(' ')).toBe('\x1b[7m \x1b[27m');
  });

  it('styles markdown with the same theme: colour, weight only, or nothing', () => {
    const doc = '## Heading\n\nSee `x` and [a link](https://example.com).';
    const dark = renderMarkdown(doc, 60, darkTheme).join('\n');
    const mono = renderMarkdown(doc, 60, monochromeTheme).join('\n');
    expect(dark).toContain('\x1b[32m');
    expect(mono).toContain('\x1b[1m');
    expect(mono).not.toMatch(/\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])m/);
    expect(renderMarkdown(doc, 60, plainTheme).join('\n')).not.toContain('\x1b');
  });
});

/** Every .ts file under a folder of src/. */
function sources(room: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(name) ? [p] : [];
    });
  return walk(path.resolve(__dirname, '../src', room));
}

describe('the pure rooms read no terminal state', () => {
  it('markdown/, domain/ and transcript/ read no environment, no stdout and no chalk, and keep no colour switch', () => {
    const offenders: string[] = [];
    for (const file of ['markdown', 'domain', 'transcript'].flatMap(sources)) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (/process\.(env|stdout|stderr|stdin)|from 'chalk'|supports-color|isTTY|hasColors|getColorDepth/.test(code))
        offenders.push(path.basename(file));
      if (/^let\s+\w*(colou?r|theme|level)/im.test(code)) offenders.push(`${path.basename(file)} (module-level colour state)`);
    }
    expect(offenders).toEqual([]);
  });
});
