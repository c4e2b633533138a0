import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHttpFixture, startMessagesServer } from '../../src/server/index.js';
import { FIXTURES, fixtureSummary } from '../helpers/fixtures.js';
import { runPiped, type PipedRun } from '../helpers/cli.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

/** Print mode with pipes, against the local server with a distinctive key. */
function runCli(args: string[], stdin?: Buffer | string, env: Record<string, string | undefined> = {}): Promise<PipedRun> {
  return runPiped(args, { stdin, env: { ANTHROPIC_API_KEY: 'sk-ant-print-secret', ANTHROPIC_BASE_URL: server.url, ...env } });
}

const sse = (name: string) => ({ kind: 'sse' as const, path: path.join(FIXTURES, name), chunkBytes: 23 });

describe('print mode (-p)', () => {
  it.each(['01-text-short-sonnet45.sse', '02-text-medium-markdown-list-sonnet45.sse', '03-text-long-markdown-compaction-opus46.sse'])(
    'stdout is the concatenated text deltas of %s, byte for byte, ending with a newline',
    async (name) => {
      server.enqueue(sse(name));
      const r = await runCli(['-p', 'hello']);
      expect(r.code).toBe(0);
      const text = fixtureSummary(name).textDeltas.join('');
      expect(r.stdout.toString('utf8')).toBe(text.endsWith('\n') ? text : `${text}\n`);
      expect(r.stderr).toBe('');
    },
  );

  it('a cited web answer: the text deltas with a [n] after each cited passage, then the numbered sources', async () => {
    server.enqueue(sse('15-web-search-citations-opus41.sse'));
    const r = await runCli(['-p', 'weather', '--web']);
    expect(r.code).toBe(0);
    const out = r.stdout.toString('utf8');
    const [answer, sources] = out.split('\n\nSources:\n');
    expect(answer!.replace(/\[\d\]/g, '')).toBe(fixtureSummary('15-web-search-citations-opus41.sse').textDeltas.join('').trimEnd());
    expect(answer!.match(/\[1\]/g)).toHaveLength(4);
    expect(answer).toContain('this weekend.[2]');
    expect(sources).toBe(
      [
        '[1] San Francisco, CA Hourly Weather Forecast | Weather Underground · wunderground.com',
        '    https://www.wunderground.com/hourly/us/ca/san-francisco',
        '[2] Live Doppler 7 | Bay Area Weather News - ABC7 San Francisco · abc7news.com',
        '    https://abc7news.com/weather/',
        '',
      ].join('\n'),
    );
    // --web offered the tools.
    const req = server.requests.filter((x) => x.path === '/v1/messages').at(-1)!;
    expect((req.body as { tools: { type: string }[] }).tools.map((t) => t.type)).toEqual(['web_search_20250305', 'web_fetch_20250910']);
  });

  it('--output-format json keeps the citations as the API gave them', async () => {
    server.enqueue(sse('15-web-search-citations-opus41.sse'));
    const r = await runCli(['-p', 'weather', '--output-format', 'json']);
    const msg = JSON.parse(r.stdout.toString()) as { content: { type: string; citations?: { encrypted_index: string }[] }[] };
    const cites = msg.content.flatMap((b) => b.citations ?? []);
    expect(cites).toHaveLength(5);
    expect(cites.every((c) => c.encrypted_index.length > 0)).toBe(true);
    expect(r.stdout.toString()).not.toContain('Sources:');
  });

  it('piped stdin is sent with the prompt', async () => {
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    const before = server.requests.length;
    const r = await runCli(['-p', 'summarise'], '# notes\nbuy milk\n');
    expect(r.code).toBe(0);
    const req = server.requests.slice(before).find((x) => x.path === '/v1/messages')!;
    expect((req.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: '# notes\nbuy milk\n\nsummarise' }]);
  });

  it('invalid UTF-8 on stdin is replaced, not fatal', async () => {
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    const r = await runCli(['-p', 'x'], Buffer.from([0x66, 0xff, 0xfe, 0x6f, 0x0a]));
    expect(r.code).toBe(0);
  });

  it('--output-format json prints the final message with usage', async () => {
    server.enqueue(sse('04-max-tokens-cache-write-sonnet46.sse'));
    const r = await runCli(['-p', 'x', '--output-format', 'json']);
    const msg = JSON.parse(r.stdout.toString()) as { stop_reason: string; usage: Record<string, unknown>; content: unknown[] };
    expect(msg.stop_reason).toBe('max_tokens');
    // The usage as the API gave it: the four counts, and the cache writes' breakdown by TTL.
    expect(msg.usage).toEqual({
      ...fixtureSummary('04-max-tokens-cache-write-sonnet46.sse').usage,
      cache_creation: { ephemeral_5m_input_tokens: 18639, ephemeral_1h_input_tokens: 0 },
    });
    expect(r.stderr).toContain('max_tokens');
  });

  it('--output-format stream-json prints one wire event per line (pings are keep-alives, the SDK drops them)', async () => {
    server.enqueue(sse('06-thinking-budget-sonnet45.sse'));
    const r = await runCli(['-p', 'x', '--output-format', 'stream-json']);
    const lines = r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    const wire = fixtureSummary('06-thinking-budget-sonnet45.sse').wireEvents.filter((e) => e.type !== 'ping');
    expect(lines).toEqual(wire);
  });

  it('an HTTP error goes to stderr in plain words with a non-zero exit, and never the key', async () => {
    server.enqueue(loadHttpFixture(path.join(FIXTURES, 'http/401-authentication.json')));
    const r = await runCli(['-p', 'x']);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toContain('ANTHROPIC_API_KEY');
    expect(r.stderr).not.toContain('sk-ant-print-secret');
  });

  it('a mid-stream error keeps the partial text on stdout and says why on stderr', async () => {
    server.enqueue(sse('18-error-overloaded-midstream.sse'));
    const r = await runCli(['-p', 'x']);
    expect(r.code).toBe(1);
    expect(r.stdout.toString().length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/overloaded/i);
  });

  it('no key: a plain message and exit code 2', async () => {
    const r = await runCli(['-p', 'x'], undefined, { ANTHROPIC_API_KEY: undefined, ANTHROPIC_AUTH_TOKEN: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--demo');
  });

  it('--demo works in print mode too', async () => {
    const r = await runCli(['--demo', '-p', 'hello there'], undefined, { ANTHROPIC_API_KEY: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain('```');
  });
});

describe('the inkwell launcher (dist/inkwell.js run through its #! line, as the installed command is)', () => {
  it('runs through a plain `#!/usr/bin/env node` line, which any env (BusyBox, old coreutils) can run', async () => {
    const { execFile } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const { promisify } = await import('node:util');
    const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist/inkwell.js');
    expect(readFileSync(cli, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    const r = await promisify(execFile)(cli, ['--version'], { env: { ...process.env, CI: '1' } });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
