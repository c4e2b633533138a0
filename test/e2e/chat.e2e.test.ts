import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer } from '../../src/server/index.js';
import { formatTokens } from '../../src/ui/status.js';
import { FIXTURES, fixtureNames, fixtureSummary } from '../helpers/fixtures.js';
import { KEYS, lastUsage, spawnApp, type AppInPty } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];

afterEach(() => {
  while (running.length) running.pop()!.kill();
});

function app(args: string[] = [], opts: Parameters<typeof spawnApp>[0] = {}): AppInPty {
  const a = spawnApp({
    ...opts,
    args: ['--model', 'claude-sonnet-4-5', ...args],
    env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-secret', ANTHROPIC_BASE_URL: server.url, ...opts.env },
  });
  running.push(a);
  return a;
}

const PROMPT_READY = 'Ask Claude';

describe('the full-screen chat in a real terminal', () => {
  it('--demo streams a rendered markdown reply with no key and no network', async () => {
    const a = spawnApp({ args: ['--demo'], env: { ANTHROPIC_API_KEY: undefined }, rows: 60 });
    running.push(a);
    await a.waitFor((s) => s.includes(PROMPT_READY) && s.includes('Demo mode'));
    a.type('show me a table');
    a.type(KEYS.enter);
    // The demo reply has a table (drawn with box characters) and a code block.
    const screen = await a.waitFor((s) => s.includes('└') && /last in \d+/.test(s), 15_000);
    expect(screen).toContain('› show me a table');
    expect(screen).toContain('inkwell-demo');
    expect(screen).not.toContain('```');
    expect(screen).not.toContain('▍');
  });

  it('with no key at all it still starts, says so, and suggests --demo', async () => {
    const a = spawnApp({ env: { ANTHROPIC_API_KEY: undefined } });
    running.push(a);
    const screen = await a.waitFor((s) => s.includes('No API key found') && s.includes(PROMPT_READY));
    expect(screen).toContain('--demo');
  });

  it('Esc stops a streaming reply, keeps it and marks it interrupted', async () => {
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '03-text-long-markdown-compaction-opus46.sse'), tokensPerSecond: 40 });
    const a = app();
    await a.waitFor(PROMPT_READY);
    a.type('long one');
    a.type(KEYS.enter);
    // Some reply text is on screen (the fixture opens with a compaction block, then text).
    await a.waitFor(/● +[^▍\s]+/);
    a.type(KEYS.esc);
    const screen = await a.waitFor('Interrupted: you pressed Esc');
    expect(screen).not.toContain('▍');
  });

  it('Ctrl+C twice quits and the terminal leaves the alternate screen', async () => {
    const a = app();
    await a.waitFor(PROMPT_READY);
    expect(a.raw()).toContain('\x1b[?1049h');
    a.type(KEYS.ctrlC);
    await a.waitFor('Press Ctrl+C again to quit');
    a.type(KEYS.ctrlC);
    expect(await a.exited).toBe(0);
    expect(a.raw().lastIndexOf('\x1b[?1049l')).toBeGreaterThan(a.raw().lastIndexOf('\x1b[?1049h'));
  });

  it('SIGTERM restores the terminal too', async () => {
    const a = app();
    await a.waitFor(PROMPT_READY);
    a.proc.kill('SIGTERM');
    await a.exited;
    expect(a.raw().lastIndexOf('\x1b[?1049l')).toBeGreaterThan(a.raw().lastIndexOf('\x1b[?1049h'));
    expect(a.raw()).toContain('\x1b[?1000l');
  });

  it('scrolls back with PgUp, marks new lines below, and End follows the tail again', async () => {
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '03-text-long-markdown-compaction-opus46.sse'), chunkBytes: 4096 });
    const a = app([], { rows: 20 });
    await a.waitFor(PROMPT_READY);
    a.type('long one');
    a.type(KEYS.enter);
    await a.waitFor(/last in/);
    a.type(KEYS.pageUp);
    await a.waitFor(/↓ \d+ more lines below/);
    a.type(KEYS.wheelUp);
    a.type(KEYS.home);
    await a.waitFor('› long one');
    a.type(KEYS.end);
    await a.waitFor((s) => !s.includes('more lines below'));
  });

  it('a resize re-wraps the whole transcript at the new width', async () => {
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '02-text-medium-markdown-list-sonnet45.sse') });
    const a = app([], { cols: 100, rows: 40 });
    await a.waitFor(PROMPT_READY);
    a.type('describe');
    a.type(KEYS.enter);
    await a.waitFor(lastUsage());
    a.proc.resize(50, 40);
    a.term.resize(50, 40);
    await new Promise((r) => setTimeout(r, 300));
    const lines = await a.waitFor(lastUsage());
    for (const line of lines.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('model output cannot reach the terminal raw: clipboard, title, hyperlink and clear-screen are stripped', async () => {
    const hostile =
      'safe \x1b]52;c;cHduZWQ=\x07text \x1b]0;pwned\x07more \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\x1b[H end\u202e\n';
    const { sseForText } = await import('../../src/server/index.js');
    server.enqueue({ kind: 'sse', body: sseForText(hostile, { model: 'claude-sonnet-4-5' }) });
    const a = app();
    await a.waitFor(PROMPT_READY);
    a.type('be evil');
    a.type(KEYS.enter);
    const screen = await a.waitFor(/last in/);
    expect(screen).toContain('safe');
    expect(screen).toContain('end');
    const raw = a.raw();
    expect(raw).not.toContain('\x1b]52');
    expect(raw).not.toContain('\x1b]0;pwned');
    expect(raw).not.toContain('evil.example');
    expect(raw).not.toContain('\u202e');
  });
});

describe('every recorded fixture replays through the app', () => {
  const replayable = fixtureNames();
  it.each(replayable)('%s: no crash, the reply ends rendered, the status bar shows its final usage', async (name) => {
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, name), chunkBytes: 512 });
    // A paused turn is resumed by itself: the server answers the resume as the API does (+100 in, +12 out).
    const paused = name.startsWith('16-');
    if (paused) server.enqueue({ kind: 'resume' });
    // An error before any content would be retried (and then answered by the demo model): no retries here.
    const a = app([], { cols: 120, rows: 50, env: { INKWELL_MAX_RETRIES: '0' } });
    await a.waitFor(PROMPT_READY);
    a.type('replay');
    a.type(KEYS.enter);
    const want = fixtureSummary(name);
    if (name.startsWith('18-') || name.startsWith('20-')) {
      // The error is said, and the prompt is back for the next question (20: no reply began, so
      // the prompt itself is back in the editor, marked not sent in the transcript).
      await a.waitFor(
        (s) => /overloaded/i.test(s) && (/› (Ask Claude|Enter continues)/.test(s) || (s.includes('✗ not sent') && s.includes('› replay'))),
      );
      return;
    }
    const u = want.usage;
    // The last request is the resume; the reply's total is both parts.
    const expected = paused
      ? (s: string) =>
          lastUsage('100', '12').test(s) &&
          s.includes(`total in ${formatTokens(u.input_tokens + 100)} out ${formatTokens(u.output_tokens + 12)}`)
      : lastUsage(formatTokens(u.input_tokens), formatTokens(u.output_tokens));
    const screen = await a.waitFor(expected, 15_000);
    expect(screen).not.toContain('▍');
    if (u.cache_creation_input_tokens || u.cache_read_input_tokens) {
      expect(screen).toContain(`cache w${formatTokens(u.cache_creation_input_tokens)} r${formatTokens(u.cache_read_input_tokens)}`);
    }
    // The last words of the reply text are on screen (the view follows the tail).
    const lastWords = paused
      ? 'complete.'
      : (want.text
          .trim()
          .split(/\s+/)
          .slice(-1)[0]
          ?.replace(/[*_`#|$\\]/g, '') ?? '');
    if (lastWords.length > 2) expect(screen.replace(/\s+/g, ' ')).toContain(lastWords.slice(0, 20));
    expect(a.proc.pid).toBeGreaterThan(0);
    a.type('x');
    await a.waitFor('› x');
  });
});

describe('copying in a real terminal', () => {
  it('/copy puts the last reply on the clipboard with OSC 52 in the pty byte stream', async () => {
    const reply = 'Copy **me**, please.\n';
    const { sseForText } = await import('../../src/server/index.js');
    server.enqueue({ kind: 'sse', body: sseForText(reply, { model: 'claude-sonnet-4-5' }) });
    const a = app();
    await a.waitFor(PROMPT_READY);
    a.type('say it');
    a.type(KEYS.enter);
    await a.waitFor(/last in/);
    a.type('/copy');
    await a.waitFor('› /copy');
    a.type(KEYS.enter);
    // The picker opens on the whole reply: Enter copies it as the model wrote it.
    await a.waitFor(/▸ #1 whole reply/);
    a.type(KEYS.enter);
    await a.waitFor('Copied');
    expect(a.raw()).toContain(`\x1b]52;c;${Buffer.from(reply).toString('base64')}\x07`);
  });
});
