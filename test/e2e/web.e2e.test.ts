import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer, sseForText } from '../../src/server/index.js';
import { FIXTURES, fixtureWireEvents } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';
import { linkAt, linksOnScreen } from '../helpers/links.js';
import { KEYS, lastUsage, spawnApp, type AppInPty } from '../helpers/pty.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

function app(args: string[], o: { cols: number; rows?: number; home?: string; url?: string; env?: Record<string, string> }): AppInPty {
  const a = spawnApp({
    args: ['--model', 'claude-sonnet-4-5', ...args],
    cols: o.cols,
    rows: o.rows ?? 40,
    ...(o.home ? { home: o.home } : {}),
    env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-secret', ANTHROPIC_BASE_URL: o.url ?? server.url, FORCE_HYPERLINK: '1', ...o.env },
  });
  running.push(a);
  return a;
}

const PROMPT_READY = 'Ask Claude';
const sse = (name: string) => ({ kind: 'sse' as const, path: path.join(FIXTURES, name), chunkBytes: 2048 });
const messagesRequests = () => server.requests.filter((r) => r.path === '/v1/messages');
type Body = { messages: { role: string; content: unknown }[]; tools?: { type: string }[] };

/** The content a fixture's stream builds (the test's own accumulation, independent of inkwell). */
function fixtureContent(name: string): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  const json: string[] = [];
  for (const e of fixtureWireEvents(name)) {
    const i = e.index as number;
    if (e.type === 'content_block_start') {
      blocks[i] = { ...(e.content_block as Record<string, unknown>) };
      json[i] = '';
    } else if (e.type === 'content_block_delta') {
      const d = e.delta as Record<string, string> & { citation?: unknown };
      const b = blocks[i]!;
      if (d.type === 'text_delta') b.text = (b.text as string) + d.text;
      if (d.type === 'thinking_delta') b.thinking = (b.thinking as string) + d.thinking;
      if (d.type === 'signature_delta') b.signature = d.signature;
      if (d.type === 'citations_delta') b.citations = [...((b.citations as unknown[]) ?? []), d.citation];
      if (d.type === 'input_json_delta') json[i] = (json[i] ?? '') + d.partial_json;
    } else if (e.type === 'content_block_stop' && json[i]) blocks[i]!.input = JSON.parse(json[i]!);
  }
  return blocks;
}

describe.each([100, 52])('web search in the chat at %i columns', (cols) => {
  it('--web shows web in the status bar, the search line, the results, [n] marks and the numbered sources as links', async () => {
    server.enqueue(sse('15-web-search-citations-opus41.sse'));
    const a = app(['--web'], { cols, rows: 60 });
    await a.waitFor((s) => s.includes(PROMPT_READY) && /· web( ·|$)/m.test(s));
    a.type('What is the weather in San Francisco?');
    a.type(KEYS.enter);
    const screen = await a.waitFor((s) => s.includes('abc7news.com/weather/') && /\$\d/.test(s) && !s.includes('▍'), 20_000);
    expect(screen).toContain('⌕ searched "San Francisco weather today"');
    expect(screen).toMatch(/↳ 10 results · accuweather\.com/);
    expect(screen).toMatch(/\[1\]/);
    expect(screen).toContain('[2]');
    expect(screen).toMatch(/Live Doppler 7/);
    // The request offered both tools, web fetch with its beta.
    const req = messagesRequests().at(-1)!;
    expect((req.body as Body).tools!.map((t) => t.type)).toEqual(['web_search_20250305', 'web_fetch_20250910']);
    expect(req.headers['anthropic-beta']).toContain('web-fetch-2025-09-10');
    // The source URLs are links (OSC 8) on the screen, each whole URL on every cell, wrapped or not.
    const links = linksOnScreen(a.term);
    const url = 'https://www.wunderground.com/hourly/us/ca/san-francisco';
    expect(links.has(url)).toBe(true);
    expect(links.has('https://abc7news.com/weather/')).toBe(true);
    if (cols < url.length + 6) expect(links.get(url)!.size).toBeGreaterThan(1);
    for (const rows of links.values()) for (const y of rows) expect(a.lines()[y]!.length).toBeLessThanOrEqual(cols);
    // Only inkwell's own links: every one is a URL the reply cites or a search found.
    for (const u of links.keys()) expect(u).toMatch(/^https:\/\//);
  });

  it('a paused turn goes on by itself: the paused blocks go back unchanged, the reply continues in the same message, and the next turn echoes them all', async () => {
    server.enqueue(sse('16-pause-turn-web-search-sonnet45.sse'), { kind: 'resume' });
    const a = app(['--web'], { cols, rows: 60 });
    await a.waitFor(PROMPT_READY);
    const before = messagesRequests().length;
    a.type('Research San Francisco today');
    a.type(KEYS.enter);
    const screen = await a.waitFor((s) => s.includes('The research is complete.') && /\$\d/.test(s) && !s.includes('▍'), 30_000);
    // One reply: a single ● marker, the searches above the continued text, no pause line.
    expect((screen.match(/^● /gm) ?? []).length).toBeLessThanOrEqual(1);
    const tail = screen.slice(screen.lastIndexOf('⌕ searched'));
    expect(tail).toContain('The research is complete.');
    expect(tail).not.toContain('● ');
    expect(screen).toMatch(/⌕ searched "/);
    expect(screen).not.toContain('pause_turn');
    const [first, resume] = messagesRequests().slice(before) as unknown as { body: Body }[];
    const paused = fixtureContent('16-pause-turn-web-search-sonnet45.sse');
    expect(resume!.body.messages.at(-1)!.role).toBe('assistant');
    expect(JSON.stringify(resume!.body.messages.at(-1)!.content)).toBe(JSON.stringify(paused));
    expect(resume!.body.messages.slice(0, -1)).toEqual(first!.body.messages);

    // The next turn sends every block back: the paused part, the search result that resumed it, the text.
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    a.type('thanks');
    a.type(KEYS.enter);
    await a.waitFor((s) => s.includes('› thanks') && s.includes('Captain') && !s.includes('▍'), 20_000);
    const next = messagesRequests().at(-1)!.body as Body;
    const echoed = next.messages[1]!.content as Record<string, unknown>[];
    expect(JSON.stringify(echoed.slice(0, paused.length))).toBe(JSON.stringify(paused));
    expect(echoed[paused.length]).toMatchObject({ type: 'web_search_tool_result', tool_use_id: paused.at(-1)!.id });
    expect(echoed.at(-1)).toMatchObject({ type: 'text', text: 'The research is complete.' });

    // A resumed session sends the same blocks, byte for byte.
    a.type(KEYS.ctrlC);
    await a.waitFor('Press Ctrl+C again');
    a.type(KEYS.ctrlC);
    await a.exited;
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    const b = app(['--web', '--continue'], { cols, rows: 60, home: a.home });
    await b.waitFor((s) => s.includes(PROMPT_READY) && s.includes('› thanks'));
    b.type('once more');
    b.type(KEYS.enter);
    await b.waitFor((s) => s.includes('› once more') && s.includes('Captain') && !s.includes('▍'), 20_000);
    const resumed = messagesRequests().at(-1)!.body as Body;
    expect(resumed.messages[0]).toEqual(next.messages[0]);
    expect(JSON.stringify(resumed.messages[1]!.content)).toBe(JSON.stringify(echoed));
  });
});

describe('web search: turning it on and off, and servers without it', () => {
  it('/web on and /web off change the status bar and the next request', async () => {
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    const a = app([], { cols: 80 });
    await a.waitFor(PROMPT_READY);
    expect(a.lines().at(-2)).not.toMatch(/· web/);
    a.type('/web on');
    a.type(KEYS.enter);
    await a.waitFor((s) => s.includes('Web search and web fetch are on') && /· web/.test(s));
    a.type('hi');
    a.type(KEYS.enter);
    await a.waitFor(lastUsage());
    expect((messagesRequests().at(-1)!.body as Body).tools).toHaveLength(2);
    a.type('/web off');
    a.type(KEYS.enter);
    await a.waitFor((s) => s.includes('are off from the next request') && !/· web/.test(s));
  });

  it('a gateway without server tools: one line, web off for it, and the prompt still answered', async () => {
    const gateway = await startMessagesServer({ serverTools: false });
    try {
      gateway.enqueue(sse('01-text-short-sonnet45.sse'));
      const a = app(['--web'], { cols: 80, url: gateway.url });
      await a.waitFor(PROMPT_READY);
      a.type('hi');
      a.type(KEYS.enter);
      const screen = await a.waitFor(lastUsage(), 20_000);
      expect(screen.match(/does not offer web search/g)).toHaveLength(1);
      await a.waitFor(() => !/· web( ·|$)/.test(a.lines().at(-2)!), 5000);
      const bodies = gateway.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as Body);
      expect(bodies.map((b) => b.tools !== undefined)).toEqual([true, false]);
    } finally {
      await gateway.close();
    }
  });

  it('a model-written hyperlink never reaches the terminal, even where links are on', async () => {
    const hostile = 'see \x1b]8;;https://evil.example/x\x1b\\click\x1b]8;;\x1b\\ and https://good.example/page ok\n';
    server.enqueue({ kind: 'sse', body: sseForText(hostile, { model: 'claude-sonnet-4-5' }) });
    const a = app(['--web'], { cols: 80 });
    await a.waitFor(PROMPT_READY);
    a.type('be evil');
    a.type(KEYS.enter);
    await a.waitFor(lastUsage());
    expect(a.raw()).not.toContain('evil.example');
    const row = a.lines().findIndex((l) => l.includes('https://good.example/page'));
    expect(row).toBeGreaterThanOrEqual(0);
    const col = a.lines()[row]!.indexOf('https://good.example/page');
    expect(linkAt(a.term, col + 3, row)?.uri).toBe('https://good.example/page');
    expect(linkAt(a.term, col - 2, row)).toBeNull();
  });
});
