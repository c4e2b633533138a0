import { messagesApi } from '../../src/api/port.js';
import Anthropic from '@anthropic-ai/sdk';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChatEngine } from '../../src/chat/engine.js';
import { startMessagesServer, sseForText } from '../../src/server/index.js';
import { osc52 } from '../../src/ui/clipboard.js';
import { completeCommand, parseInput } from '../../src/ui/commands.js';
import { runCommand, type CommandContext } from '../../src/ui/run-command.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(() => startMessagesServer(), (s) => s.close());

function fakeTty(): NodeJS.WriteStream & { written: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      (w as unknown as { written: string }).written += String(chunk);
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { written: string };
  w.written = '';
  (w as unknown as { isTTY: boolean }).isTTY = true;
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

const notices = (e: ChatEngine) => e.getState().messages.filter((m) => m.role === 'notice').map((m) => (m.role === 'notice' ? m.text : ''));

function ctx(engine: ChatEngine, out = fakeTty()): CommandContext & { out: ReturnType<typeof fakeTty> } {
  return { engine, sessions: null, openPicker: () => {}, quit: () => {}, out, env: { TERM: 'xterm-256color' } };
}

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
    expect(body).toMatchObject({ max_tokens: 2000, system: 'Be terse.', thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
  });

  it('/cost reports the turn and the session in dollars', async () => {
    const e = await engineWithReply('ok\n');
    runCommand('cost', '', ctx(e));
    expect(notices(e).at(-1)).toMatch(/This turn: \$[\d.]+\. This session: \$[\d.]+\./);
  });

  it('an unknown command suggests close ones', async () => {
    const e = await engineWithReply('ok\n');
    runCommand('ren', '', ctx(e));
    expect(notices(e).at(-1)).toMatch(/Unknown command \/ren\. Did you mean .*\/rename/);
  });
});
