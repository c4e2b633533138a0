import { messagesApi } from '../../src/api/port.js';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/chat/engine.js';
import { emptyReply, initialConversation } from '../../src/domain/conversation.js';
import { startMessagesServer, sseForText } from '../../src/server/index.js';
import { type ClipboardTerminal, osc52 } from '../../src/ui/clipboard.js';
import { COMMANDS, completeCommand, helpText, KEYS, parseInput, type Command } from '../../src/ui/commands.js';
import { runCommand, type CommandContext } from '../../src/ui/run-command.js';
import { prefixBreakNotice } from '../../src/ui/commands/cache.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

function fakeTty(): ClipboardTerminal & { written: string } {
  const w = {
    written: '',
    isTTY: true,
    copy(text: string) {
      w.written += osc52(text);
    },
  };
  return w;
}

async function engineWithReply(text: string) {
  const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
  const engine = new ChatEngine({ api: messagesApi(client), model: 'claude-sonnet-4-6', maxTokens: 4096, system: null });
  server.enqueue({ kind: 'sse', body: sseForText(text, { model: 'claude-sonnet-4-6' }) });
  engine.send('q');
  await engine.settled();
  return engine;
}

const notices = (e: ChatEngine) =>
  e
    .getState()
    .messages.filter((m) => m.role === 'notice')
    .map((m) => (m.role === 'notice' ? m.text : ''));

function ctx(engine: ChatEngine, out = fakeTty()): CommandContext & { out: ReturnType<typeof fakeTty> } {
  return { engine, sessions: null, openPicker: () => {}, quit: () => {}, out, env: { TERM: 'xterm-256color' } };
}

/** A context whose engine only collects notices, and which records picker, help and quit calls. */
function bareCtx(opts: { openHelp?: boolean } = {}) {
  const seen = { notices: [] as string[], calls: [] as string[] };
  const engine = { notify: (_level: string, text: string) => void seen.notices.push(text) } as unknown as ChatEngine;
  const c: CommandContext = {
    engine,
    sessions: null,
    openPicker: () => void seen.calls.push('picker'),
    quit: () => void seen.calls.push('quit'),
    ...(opts.openHelp ? { openHelp: () => void seen.calls.push('help') } : {}),
  };
  return { c, seen };
}

describe('the command registry drives /help, completion and dispatch', () => {
  it('every registry entry is listed by /help and offered by Tab completion', () => {
    const help = helpText();
    for (const cmd of COMMANDS) {
      expect(help).toContain(`/${cmd.name}${cmd.args ? ` ${cmd.args}` : ''} — ${cmd.summary}`);
      expect(completeCommand(`/${cmd.name}`).map((c) => c.name)).toContain(cmd.name);
      for (const alias of cmd.aliases) expect(help).toContain(`/${alias}`);
    }
    expect(completeCommand('/').map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const k of KEYS) expect(help).toContain(`${k.keys} ${k.does}`);
    expect(new Set(COMMANDS.flatMap((c) => [c.name, ...c.aliases])).size, 'a name or alias used twice').toBe(
      COMMANDS.reduce((n, c) => n + 1 + c.aliases.length, 0),
    );
  });

  it('dispatch runs only registry entries: with an empty registry every command is unknown', () => {
    const { c, seen } = bareCtx();
    for (const name of COMMANDS.flatMap((cmd) => [cmd.name, ...cmd.aliases])) runCommand(name, '', c, []);
    expect(seen.calls).toEqual([]);
    expect(seen.notices).toHaveLength(COMMANDS.reduce((n, cmd) => n + 1 + cmd.aliases.length, 0));
    for (const n of seen.notices) expect(n).toMatch(/^Unknown command \/[\w-]+\. /);
  });

  it('one entry is all a command needs: its name and aliases dispatch to its run with the argument', () => {
    const ran: string[] = [];
    const zap: Command = { name: 'zap', aliases: ['z'], args: '[what]', summary: 'zap it', run: (_ctx, arg) => void ran.push(arg) };
    const { c, seen } = bareCtx();
    runCommand('zap', 'this', c, [...COMMANDS, zap]);
    runCommand('z', 'that', c, [...COMMANDS, zap]);
    expect(ran).toEqual(['this', 'that']);
    expect(seen.notices).toEqual([]);
  });

  it('an unknown command gets a plain warning, with close names when there are some', () => {
    const { c, seen } = bareCtx();
    runCommand('frobnicate', 'x', c);
    runCommand('ex', '', c);
    expect(seen.notices).toEqual([
      'Unknown command /frobnicate. /help lists them.',
      'Unknown command /ex. Did you mean /export? /help lists them.',
    ]);
  });

  it('/help opens the overlay when the screen has one, else prints the help; /exit is /quit', () => {
    const withOverlay = bareCtx({ openHelp: true });
    runCommand('help', '', withOverlay.c);
    expect(withOverlay.seen.calls).toEqual(['help']);
    expect(withOverlay.seen.notices).toEqual([]);
    const plain = bareCtx();
    runCommand('help', '', plain.c);
    expect(plain.seen.notices).toEqual([helpText()]);
    runCommand('exit', '', plain.c);
    runCommand('quit', '', plain.c);
    expect(plain.seen.calls).toEqual(['quit', 'quit']);
  });
});

describe('slash commands', () => {
  it('parses commands, escapes "//" and completes names', () => {
    expect(parseInput('/rename  My title ')).toEqual({ kind: 'command', name: 'rename', arg: 'My title' });
    expect(parseInput('//not a command')).toEqual({ kind: 'prompt', text: '/not a command' });
    expect(parseInput('what is /etc?')).toEqual({ kind: 'prompt', text: 'what is /etc?' });
    expect(completeCommand('/re').map((c) => c.name)).toEqual(['resume', 'rename', 'retry']);
    expect(completeCommand('/re x')).toEqual([]);
    expect(completeCommand('hello')).toEqual([]);
  });

  it('/copy writes the last reply’s raw markdown as OSC 52', async () => {
    const reply = '# Title\n\nSome **bold** text.\n';
    const e = await engineWithReply(reply);
    const c = ctx(e);
    runCommand('copy', '', c);
    expect(c.out.written).toBe(osc52(reply));
    expect(c.out.written).toBe(`\x1b]52;c;${Buffer.from(reply).toString('base64')}\x07`);
    expect(notices(e).at(-1)).toMatch(/Copied/);
  });

  it('/copy code 2 copies the second code block', async () => {
    const e = await engineWithReply('One:\n\n```sh\nls -la\n```\n\nTwo:\n\n```python\nprint("hi")\n```\n');
    const c = ctx(e);
    runCommand('copy', 'code 2', c);
    expect(c.out.written).toBe(osc52('print("hi")'));
    runCommand('copy', 'code 3', c);
    expect(notices(e).at(-1)).toMatch(/has 2 code blocks/);
  });

  it('/copy says so when the terminal cannot', async () => {
    const e = await engineWithReply('text\n');
    const c = { ...ctx(e), env: { TERM: 'dumb' } };
    runCommand('copy', '', c);
    expect(c.out.written).toBe('');
    expect(notices(e).at(-1)).toMatch(/cannot take a clipboard write/);
  });

  it('/max-tokens, /system and /thinking change the next request', async () => {
    const e = await engineWithReply('ok\n');
    runCommand('max-tokens', '2,000', ctx(e));
    runCommand('system', 'Be terse.', ctx(e));
    runCommand('thinking', 'effort high', ctx(e));
    runCommand('max-tokens', 'lots', ctx(e));
    expect(notices(e).at(-1)).toMatch(/whole number/);
    server.enqueue({ kind: 'sse', body: sseForText('fine\n', { model: 'claude-sonnet-4-6' }) });
    e.send('again');
    await e.settled();
    const body = server.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      max_tokens: 2000,
      system: 'Be terse.',
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
    });
  });

  it('/cache says the setting, changes it for the next request and hands it on to be saved', async () => {
    const saved: string[] = [];
    const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
    const e = new ChatEngine({
      api: messagesApi(client),
      model: 'claude-sonnet-4-6',
      maxTokens: 4096,
      system: null,
      onPromptCacheChanged: (v) => saved.push(v),
    });
    runCommand('cache', '', ctx(e));
    expect(notices(e).at(-1)).toMatch(/^Prompt caching is 5m \(on, entries live 5 minutes/);
    runCommand('cache', 'weekly', ctx(e));
    expect(notices(e).at(-1)).toMatch(/Use \/cache 5m, \/cache 1h, \/cache off/);
    runCommand('cache', '1H', ctx(e));
    expect(saved).toEqual(['1h']);
    server.enqueue({ kind: 'sse', body: sseForText('fine\n', { model: 'claude-sonnet-4-6' }) });
    e.send('again');
    await e.settled();
    const body = server.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as Record<string, unknown>;
    expect(body.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
    runCommand('cache', 'off', ctx(e));
    runCommand('cache', '', ctx(e));
    expect(notices(e).at(-1)).toMatch(/^Prompt caching is off/);
    expect(saved).toEqual(['1h', 'off']);
  });

  it('/system, /model and /thinking on|off say in one line that the cache prefix starts again, only when they change it', async () => {
    const e = await engineWithReply('ok\n');
    const prefixLines = () => notices(e).filter((n) => n.startsWith('The next request starts a new cache prefix'));
    runCommand('system', 'Be terse.', ctx(e));
    expect(prefixLines().at(-1)).toBe(prefixBreakNotice('system'));
    expect(prefixBreakNotice('system')).toBe(
      'The next request starts a new cache prefix (the system prompt changed): it is written to the cache again.',
    );
    runCommand('system', 'Be terse.', ctx(e));
    expect(prefixLines()).toHaveLength(1);
    runCommand('model', 'claude-opus-4-6', ctx(e));
    expect(prefixLines().at(-1)).toMatch(/\(the model changed\)/);
    runCommand('thinking', 'on', ctx(e));
    expect(prefixLines().at(-1)).toMatch(/\(extended thinking was switched\)/);
    runCommand('thinking', 'on', ctx(e));
    runCommand('max-tokens', '2000', ctx(e));
    expect(prefixLines()).toHaveLength(3);
    runCommand('thinking', 'off', ctx(e));
    runCommand('thinking', 'effort high', ctx(e));
    expect(prefixLines()).toHaveLength(5);
    runCommand('thinking', 'effort low', ctx(e));
    runCommand('cache', 'off', ctx(e));
    runCommand('thinking', 'off', ctx(e));
    expect(prefixLines()).toHaveLength(5);
  });

  it('/cost reports the turn and the session in dollars', async () => {
    const e = await engineWithReply('ok\n');
    runCommand('cost', '', ctx(e));
    expect(notices(e).at(-1)).toMatch(/This turn: \$[\d.]+\. This session: \$[\d.]+\./);
  });

  it('/cost breaks the session down by kind: tokens and dollars each, and the total (hand-computed)', () => {
    // Sonnet: input $3, output $15, 5m writes $3.75, 1h writes $6, reads $0.30 per million; searches $10 per 1,000.
    const a = { ...emptyReply('a1', 'claude-sonnet-4-6', 0), status: 'complete' as const };
    a.usage = {
      input_tokens: 1_000,
      output_tokens: 2_000,
      cache_creation_input_tokens: 30_000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 20_000 },
    };
    // No breakdown: its writes are 5-minute ones.
    const b = { ...emptyReply('a2', 'claude-sonnet-4-6', 0), status: 'complete' as const };
    b.usage = {
      input_tokens: 500,
      output_tokens: 1_000,
      cache_creation_input_tokens: 4_000,
      cache_read_input_tokens: 100_000,
      server_tool_use: { web_search_requests: 3 },
    };
    const state = { ...initialConversation(), messages: [a, b] };
    const { c, seen } = bareCtx();
    (c.engine as unknown as { getState: () => unknown }).getState = () => state;
    runCommand('cost', '', c);
    const lines = seen.notices.at(-1)!.split('\n');
    // a: 0.003 + 0.03 + 0.0375 + 0.12 = 0.1905; b: 0.0015 + 0.015 + 0.015 + 0.03 + 0.03 = 0.0915
    expect(lines[0]).toBe('This turn: $0.09. This session: $0.28.');
    expect(lines.find((l) => l.includes('cache writes 5m'))).toMatch(/cache writes 5m\s+14,000 tokens\s+\$0\.0525$/);
    expect(lines.find((l) => l.includes('cache writes 1h'))).toMatch(/cache writes 1h\s+20,000 tokens\s+\$0\.1200$/);
    expect(lines.find((l) => l.includes('cache reads'))).toMatch(/cache reads\s+100,000 tokens\s+\$0\.0300$/);
    expect(lines.find((l) => l.includes('web searches'))).toMatch(/web searches\s+3 searches\s+\$0\.0300$/);
    expect(lines.find((l) => l.trimStart().startsWith('input'))).toMatch(/input\s+1,500 tokens\s+\$0\.0045$/);
    expect(lines.find((l) => l.trimStart().startsWith('output'))).toMatch(/output\s+3,000 tokens\s+\$0\.0450$/);
    expect(lines.at(-1)).toMatch(/^ {2}total\s+\$0\.2820$/);
    expect(lines).toHaveLength(8);
    // The dollars line up in one column.
    const ends = lines.slice(1).map((l) => l.length);
    expect(new Set(ends).size).toBe(1);
  });

  it('an unknown command suggests close ones', async () => {
    const e = await engineWithReply('ok\n');
    runCommand('ren', '', ctx(e));
    expect(notices(e).at(-1)).toMatch(/Unknown command \/ren\. Did you mean .*\/rename/);
  });
});
