import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

const MODEL = 'claude-sonnet-4-6';
const LONG =
  'Pelicans are large water birds with a throat pouch that they use to catch fish and to drain the water out before swallowing their prey whole, head first.';
const REPLY = [
  'Pelicans are large water birds',
  'with a throat **pouch**.',
  '',
  '- first item',
  '- second item',
  '',
  '```py',
  'print("pouch")',
  '```',
  '',
  LONG,
].join('\n');

function app(cols: number): AppInPty {
  const a = spawnApp({
    home: mkdtempSync(path.join(tmpdir(), 'inkwell-copy-')),
    cols,
    rows: 30,
    args: ['--model', MODEL],
    env: { ANTHROPIC_API_KEY: 'sk-ant-copy-e2e', ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '0' },
  });
  running.push(a);
  return a;
}

async function command(a: AppInPty, text: string): Promise<void> {
  a.type(text);
  await a.waitFor(`› ${text}`);
  a.type(KEYS.enter);
}

/** Every OSC 52 clipboard write so far, decoded. */
const clipboard = (a: AppInPty) =>
  [...a.raw().matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]*)\x07/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));

describe.each([100, 60])('copy anything, at %i columns', (cols) => {
  it('/copy opens a picker over the blocks; Enter copies a block as markdown, p as plain text; /copy all the session', async () => {
    const a = app(cols);
    await a.waitFor('Ask Claude');
    server.enqueue({ kind: 'sse', body: sseForText(REPLY, { model: MODEL }) });
    await command(a, 'tell me about pelicans');
    await a.waitFor(/last in|↑\d/);
    await command(a, '/copy');
    const picker = await a.waitFor('Enter copies markdown');
    expect(picker).toMatch(/▸ #1 whole reply/);
    expect(picker).toMatch(/#1 paragraph +Pelicans are large water birds/);
    expect(picker).toContain('#1 list');
    expect(picker).toContain('#1 code · py');
    // Down to the code block; Enter copies its source, fences and all.
    a.type('\x1b[B\x1b[B\x1b[B');
    await a.waitFor(/▸ #1 code · py/);
    a.type(KEYS.enter);
    await a.waitFor('Markdown: Copied');
    expect(clipboard(a).at(-1)).toBe('```py\nprint("pouch")\n```');
    // The first paragraph as plain text: its soft wrap joined, the bold marks gone.
    await command(a, '/copy');
    await a.waitFor('Enter copies markdown');
    a.type('\x1b[B');
    await a.waitFor(/▸ #1 paragraph/);
    a.type('p');
    await a.waitFor('Plain text: Copied');
    expect(clipboard(a).at(-1)).toBe('Pelicans are large water birds with a throat pouch.');
    await command(a, '/copy all');
    await a.waitFor('The whole session as markdown');
    const all = clipboard(a).at(-1)!;
    expect(all).toMatch(/^# tell me about pelicans\n/);
    expect(all).toContain('## You\n\ntell me about pelicans');
    expect(all).toContain(`## Claude\n\n${REPLY}`);
  });

  it('the raw view shows the reply as its logical lines, wrapped by the terminal (not by inkwell); Esc returns', async () => {
    const a = app(cols);
    await a.waitFor('Ask Claude');
    server.enqueue({ kind: 'sse', body: sseForText(REPLY, { model: MODEL }) });
    await command(a, 'pelicans');
    await a.waitFor(/last in|↑\d/);
    const buffer = () => a.term.buffer.active;
    const rowOf = (start: string) => {
      const b = buffer();
      for (let i = 0; i < a.term.rows; i++)
        if (
          b
            .getLine(b.viewportY + i)!
            .translateToString(true)
            .includes(start)
        )
          return b.viewportY + i;
      return -1;
    };
    // In the transcript, inkwell wraps the long line itself: its rows are not the terminal's wraps.
    const drawn = rowOf('Pelicans are large water birds with a throat pouch that');
    expect(drawn).toBeGreaterThanOrEqual(0);
    expect(buffer().getLine(drawn + 1)!.isWrapped).toBe(false);
    a.type('\x0f'); // Ctrl+O
    await a.waitFor('raw view: select with the mouse');
    const start = rowOf('Pelicans are large water birds with a throat pouch that');
    expect(start).toBeGreaterThanOrEqual(0);
    // One logical line over several rows, each continuation a soft wrap: a selection copies one line.
    let joined = buffer().getLine(start)!.translateToString(true);
    let row = start + 1;
    while (buffer().getLine(row)?.isWrapped) joined += buffer().getLine(row++)!.translateToString(true);
    expect(row - start).toBe(Math.ceil(LONG.length / cols));
    expect(joined).toBe(LONG);
    // No decoration: the markdown as written, no gutter, no bullet drawing.
    expect(a.screen()).toContain('with a throat **pouch**.');
    expect(a.screen()).toMatch(/^- first item$/m);
    a.type(KEYS.esc);
    await a.waitFor((s) => s.includes('Ask Claude') && !s.includes('raw view'));
  });
});
