/**
 * Hostile input and environments: a 1 MB paste, invalid UTF-8 piped to -p, a 10-column terminal, a
 * resize storm while a reply streams, stdin that is not a TTY, TERM=dumb and NO_COLOR. Each: no
 * crash, sensible output, and (for the chat) the app still takes input and saves what it did.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureSummary } from '../helpers/fixtures.js';
import { KEYS, lastUsage } from '../helpers/pty.js';
import {
  API_KEY,
  ask,
  byRole,
  expectSessionAfterFault,
  fullReply,
  idle,
  messagePosts,
  MODEL,
  replyText,
  rig,
  savedSession,
  stillTakesInput,
  sleep,
  type Rig,
} from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';
import { runPiped as runCliPiped, type PipedRun } from '../helpers/cli.js';

const r = provide(rig, (x) => x.close(), 'each');

/** Runs the CLI with pipes (no terminal at all). */
function runPiped(args: string[], stdin: Buffer | string | null, env: Record<string, string | undefined> = {}): Promise<PipedRun> {
  return runCliPiped(args, { stdin, env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: r.server.url, ...env } });
}

/** Display width of a screen line as the terminal holds it (xterm cells). */
function cells(line: string): number {
  return [...line].reduce(
    (n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1),
    0,
  );
}

describe('hostile input and environments', () => {
  it('a 1 MB paste: the app stays responsive, sends all of it, answers, and saves it', async () => {
    const line = 'The quick brown fox jumps over the lazy dog, again and again. ';
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 1024 * 1024; i++) {
      const l = `${String(i).padStart(6, '0')} ${line}`;
      lines.push(l);
      size += l.length + 1;
    }
    const pasted = lines.join('\n');
    const a = await r.start({ cols: 100, rows: 30 });
    const t0 = Date.now();
    // A terminal wraps a paste in bracketed-paste markers (the app turns the mode on).
    a.type(`\x1b[200~${pasted}\x1b[201~`);
    // Over 100 lines: the prompt shows the paste as one chip, and sends all of it.
    await a.waitFor((s) => /› \[pasted [\d,]+ lines\]/.test(s), 20_000);
    r.server.enqueue({ kind: 'sse', body: fullReply(['Got ', 'your ', 'megabyte.']) });
    a.type(KEYS.enter);
    await a.waitFor('Got your megabyte.', 30_000);
    await idle(a, 20_000);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(30_000);
    const body = messagePosts(r.server)[0]!.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]!.content.length).toBe(pasted.length);
    expect(body.messages[0]!.content).toBe(pasted);

    const recovery = await stillTakesInput(a, r.server);
    const s = savedSession(a.home);
    const { users, replies } = byRole(s);
    expect(users.map((u) => u.text.length)).toEqual([pasted.length, recovery.prompt.length]);
    expect(users[0]!.text).toBe(pasted);
    expect(replies.map(replyText)).toEqual(['Got your megabyte.', expect.stringContaining(recovery.marker)]);
  }, 60_000);

  it('a paste carrying escape sequences (title, clipboard, clear screen): none reaches the terminal, in the prompt line, the transcript or the status bar title', async () => {
    const a = await r.start({ cols: 120 });
    a.type('\x1b[200~pasted \x1b]0;PWNTITLE\x07 and \x1b]52;c;UEFTVEVE\x07 \x1b[2J\u202e end\x1b[201~');
    await a.waitFor('pasted');
    r.server.enqueue({ kind: 'sse', body: fullReply(['Pasted ', 'fine.']) });
    a.type(KEYS.enter);
    await a.waitFor('Pasted fine.');
    await idle(a);
    const raw = a.raw();
    for (const bad of ['\x1b]', 'PWNTITLE', 'UEFTVEVE', '\x1b[2J', '\u202e']) expect(raw).not.toContain(bad);
    const sent = (messagePosts(r.server)[0]!.body as { messages: Array<{ content: string }> }).messages[0]!.content;
    expect(sent).toMatch(/^pasted .*end$/);
    const recovery = await stillTakesInput(a, r.server);
    const { users } = byRole(savedSession(a.home));
    expect(users.map((u) => u.text)).toEqual([sent, recovery.prompt]);
  });

  it('invalid UTF-8 piped to -p: no crash; the bad bytes become U+FFFD, the rest is sent and answered', async () => {
    const bytes = Buffer.concat([
      Buffer.from('notes: '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0xc0, 0xaf]),
      Buffer.from(' end of notes\n'),
    ]);
    r.server.enqueue({ kind: 'sse', body: fullReply(['Read ', 'them.']) });
    const run = await runPiped(['--model', MODEL, '-p', 'summarise'], bytes);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.toString('utf8')).toBe('Read them.\n');
    const sent = (messagePosts(r.server)[0]!.body as { messages: Array<{ content: string }> }).messages[0]!.content;
    expect(sent.startsWith('notes: ')).toBe(true);
    expect(sent).toContain('\ufffd');
    expect(sent).toContain(' end of notes');
    expect(sent.endsWith('summarise')).toBe(true);
    // Well-formed JSON went out: no lone surrogates.
    expect(sent).toBe(sent.toWellFormed());
  });

  it('a 10-column terminal: starts, streams a markdown reply, nothing wider than 10 columns, still takes input', async () => {
    r.server.enqueue({
      kind: 'sse',
      body: fullReply([
        '# Heading\n\n',
        'Some **bold** words ',
        'and a list:\n\n- one\n- two\n\n',
        '```ts\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      ]),
    });
    // The prompt line is cut to the width: "› Ask Cla…".
    const a = await r.start({ cols: 10, rows: 24, ready: /› ?Ask/ });
    ask(a, 'hi');
    await a.waitFor((s) => s.includes('two') && !s.includes('▍'), 15_000);
    await sleep(200);
    for (const l of a.lines()) expect(cells(l)).toBeLessThanOrEqual(10);
    const recovery = await stillTakesInputNarrow(a);
    expectSessionAfterFault(a.home, {
      prompt: 'hi',
      recovery,
      reply: {
        status: 'complete',
        text: '# Heading\n\nSome **bold** words and a list:\n\n- one\n- two\n\n```ts\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      },
    });
  });

  it('a resize storm while a reply streams: no crash, the reply completes, the last frame fits the final size', async () => {
    const name = '02-text-medium-markdown-list-sonnet45.sse';
    const want = fixtureSummary(name);
    r.server.enqueue({ kind: 'sse', path: path.join(FIXTURES, name), tokensPerSecond: 60 });
    const a = await r.start({ cols: 100, rows: 30 });
    ask(a, 'describe');
    await a.waitFor('▍');
    const sizes = [
      [40, 12],
      [120, 40],
      [20, 8],
      [80, 24],
      [10, 5],
      [150, 50],
      [60, 20],
      [33, 17],
    ] as const;
    for (let i = 0; i < 40; i++) {
      const [c, rr] = sizes[i % sizes.length]!;
      a.proc.resize(c, rr);
      a.term.resize(c, rr);
      await sleep(15);
    }
    // The storm happened while the reply was still streaming (its final usage is not in yet).
    expect(a.screen()).not.toMatch(lastUsage());
    a.proc.resize(90, 30);
    a.term.resize(90, 30);
    await a.waitFor(lastUsage(want.usage.input_tokens, want.usage.output_tokens), 20_000);
    await idle(a);
    await sleep(300);
    const lines = a.lines();
    for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(90);
    expect(lines.at(-1)).toMatch(/^› /);
    expect(lines.at(-2)).toContain(MODEL);
    // One frame, not the remains of earlier sizes: exactly one status bar and one prompt line.
    expect(lines.filter((l) => l.startsWith('› Ask Claude'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(` · ${MODEL} · `))).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    const { users, replies } = byRole(savedSession(a.home));
    expect(users.map((u) => u.text)).toEqual(['describe', recovery.prompt]);
    expect(replies.map((m) => m.status)).toEqual(['complete', 'complete']);
    expect(replyText(replies[0]!)).toBe(want.text);
  });

  it('stdin that is not a TTY (chat mode with pipes): a plain message on stderr, exit 2, nothing else', async () => {
    const run = await runPiped(['--model', MODEL], 'hello\n');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'inkwell: the chat needs a terminal. To use a pipe, run inkwell -p "prompt" (piped stdin is added to the prompt).\n',
    );
    expect(run.stdout.length).toBe(0);
    expect(messagePosts(r.server)).toHaveLength(0);
  });

  it('TERM=dumb: no colour, no mouse reporting; the chat works and still takes input', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['Plain ', '**text** ', 'here.']) });
    const a = await r.start({ term: 'dumb' });
    ask(a, 'hi');
    await a.waitFor('Plain text here.');
    await idle(a);
    const raw = a.raw();
    expect(raw).not.toMatch(/\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9;]*)?m/);
    expect(raw).not.toContain('\x1b[?1000h');
    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hi', recovery, reply: { status: 'complete', text: 'Plain **text** here.' } });
  });

  it('NO_COLOR: no colour anywhere (reply, status bar, notices); the chat works and still takes input', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply(['# Title\n\n', 'Some `code` and **bold**.\n\n```js\nlet x = 1;\n```\n']) });
    const a = await r.start({ env: { NO_COLOR: '1' } });
    ask(a, 'hi');
    await a.waitFor('let x = 1;');
    await idle(a);
    expect(a.raw()).not.toMatch(/\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9;]*)?m/);
    expect(a.screen()).toContain('Title');
    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, {
      prompt: 'hi',
      recovery,
      reply: { status: 'complete', text: '# Title\n\nSome `code` and **bold**.\n\n```js\nlet x = 1;\n```\n' },
    });
  });
});

/** {@link stillTakesInput} for a narrow screen: the marker wraps, so look for its pieces. */
async function stillTakesInputNarrow(a: Awaited<ReturnType<Rig['start']>>): Promise<{ prompt: string; marker: string }> {
  const marker = 'okay';
  const prompt = 'again';
  r.server.enqueue({ kind: 'sse', body: fullReply(['okay']) });
  ask(a, prompt);
  await a.waitFor((s) => s.includes('● okay'), 15_000);
  await a.waitFor(/› ?Ask/);
  return { prompt, marker };
}
