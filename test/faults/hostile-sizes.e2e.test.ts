/**
 * Hostile or huge replies and pastes through the real app in a pty (issue 22): nested quotes and
 * lists, a paragraph of 16,000 lines, a 20 MB single event, a 10 MB paste. Responsiveness is
 * asserted by events, never by wall-clock time: Esc is acknowledged on screen while the stream is
 * still being sent (its last line never shows), SIGTERM/SIGHUP end the process with 143/129, the
 * saved reply reopens with `-c`, and the app takes a new prompt afterwards.
 */
import { describe, expect, it as base } from 'vitest';
import { hostileDone, hostileReplies, longLine, sseForDeltas } from '../../src/server/hostile.js';
import { ask, idle, messagePosts, MODEL, rig, savedSession, screenHistory, stillTakesInput } from '../helpers/faults.js';
import { KEYS } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

/** These stream megabytes through a pty on a shared machine: a generous limit (events, not time, are asserted). */
const it = (name: string, fn: () => Promise<void>) => base(name, fn, 240_000);

const REPLIES = new Map(hostileReplies().map((h) => [h.name, h]));
function reply(name: string) {
  const h = REPLIES.get(name);
  if (h === undefined) throw new Error(`no hostile reply ${name}`);
  return { ...h, body: sseForDeltas(h.text, h.deltaChars, MODEL) };
}

/** 3,000 lines each nested 200 quotes deep: a deep block that keeps growing line by line. */
function manyDeepQuotes() {
  let text = '';
  for (let i = 1; i <= 3000; i++) text += `${'>'.repeat(200)} deep quote ${i}\n`;
  text += `\n${hostileDone('quotes-3k')}\n`;
  return { text, body: sseForDeltas(text, 64, MODEL) };
}

/** A stream paced to last about `writes` × 10 ms, so that keys land while it is being sent. */
function paced(body: string, writes = 800) {
  return { kind: 'sse' as const, body, chunkBytes: Math.max(64, Math.ceil(Buffer.byteLength(body) / writes)), intervalMs: 10 };
}

/** What shows once a block is being drawn as plain text, per reason. */
const NOTE = {
  deep: 'nested more than 24 levels deep: shown as plain text',
  big: 'a block over 300 lines: shown as plain text',
  long: 'a line over 8,192 characters: shown as plain text',
};

describe('a hostile reply never freezes the chat: Esc is acknowledged while it is still streaming', () => {
  for (const [name, streaming, note] of [
    ['quotes-3k', /deep quote \d{3,4}\b/, NOTE.deep],
    ['list-1k', /- level (2[5-9]|[3-9]\d|\d{3})\b/, NOTE.deep],
    ['para-16k', /line \d{4,5} of one long paragraph/, NOTE.big],
  ] as const) {
    it(`${name}: drawn bounded as plain text (and says so); Esc stops it before its end arrives; the app goes on`, async () => {
      const h = name === 'quotes-3k' ? manyDeepQuotes() : reply(name);
      r.server.enqueue(paced(h.body));
      const a = await r.start({ cols: 100, rows: 30 });
      ask(a, 'go');
      // Its lines are on screen as they stream (the note heading the block has scrolled away).
      await a.waitFor(streaming, 60_000);
      a.type(KEYS.esc);
      const shown = await a.waitFor(/Interrupted/, 30_000);
      // The reply's last line was never sent when Esc was acknowledged.
      expect(shown).not.toContain(hostileDone(name));
      await idle(a, 30_000);
      expect(a.screen()).not.toContain(hostileDone(name));
      // Up to the top of the conversation and a page down: the note saying why it is plain shows.
      const seen = screenHistory(a);
      a.type(KEYS.home);
      await a.waitFor('› go', 30_000);
      if (!seen.seen(note)) {
        a.type(KEYS.pageDown);
        await waitUntil(() => seen.seen(note));
      }
      seen.dispose();
      a.type(KEYS.end);
      await stillTakesInput(a, r.server);
    });
  }

  it('a 20 MB single text_delta: Esc while it arrives stops the turn; sent unpaced it shows as plain text and reopens with -c', async () => {
    const h = reply('event-20m');
    r.server.enqueue(paced(h.body, 400));
    const a = await r.start({ cols: 100, rows: 30 });
    ask(a, 'go');
    // Wait until part of the event was sent (the server is writing it), then Esc.
    await waitUntil(() => messagePosts(r.server).length > 0);
    a.type(KEYS.esc);
    await a.waitFor(/Stopped before the reply began|Interrupted/, 60_000);
    expect(a.screen()).not.toContain(hostileDone('event-20m'));

    r.server.enqueue({ kind: 'sse', body: h.body, chunkBytes: 65_536 });
    ask(a, 'again');
    await a.waitFor(hostileDone('event-20m'), 120_000);
    await idle(a, 60_000);
    a.type(KEYS.pageUp);
    await a.waitFor((s) => /lorem ipsum/.test(s) && !s.includes(hostileDone('event-20m')), 30_000);
    a.kill();
    await a.exited;

    // The saved 20 MB reply opens again (it crashed every -c before).
    const b = await r.start({ cols: 80, rows: 24, home: a.home, args: ['--model', MODEL, '-c'], ready: hostileDone('event-20m') });
    await b.waitFor('Ask Claude', 60_000);
    await stillTakesInput(b, r.server);
  });
});

describe('signals end the chat whatever it is drawing', () => {
  it('SIGTERM during a hostile stream exits with 143, the partial reply saved', async () => {
    const h = reply('quote-1k');
    r.server.enqueue(paced(h.body));
    const a = await r.start({ cols: 100, rows: 30 });
    ask(a, 'go');
    await a.waitFor(/>{60}/, 30_000);
    a.proc.kill('SIGTERM');
    expect(await a.exited).toBe(143);
    const replies = savedSession(a.home).messages.filter((m) => m.role === 'assistant');
    expect(replies).toHaveLength(1);
  });

  it('SIGHUP (the terminal closed) exits with 129', async () => {
    const h = reply('para-16k');
    r.server.enqueue(paced(h.body));
    const a = await r.start({ cols: 80, rows: 24 });
    ask(a, 'go');
    await a.waitFor(/line \d{4,5} of one long paragraph/, 60_000);
    a.proc.kill('SIGHUP');
    expect(await a.exited).toBe(129);
  });
});

describe('nested quotes that crashed every -c reopen as plain text', () => {
  it('10,000 nested quotes: shown, saved, reopened with -c at another width', async () => {
    const h = reply('quote-10k');
    r.server.enqueue({ kind: 'sse', body: h.body, chunkBytes: 4096 });
    const a = await r.start({ cols: 120, rows: 30 });
    ask(a, 'go');
    await a.waitFor(hostileDone('quote-10k'), 60_000);
    await idle(a);
    a.kill();
    await a.exited;
    const b = await r.start({ cols: 60, rows: 24, home: a.home, args: ['--model', MODEL, '-c'], ready: hostileDone('quote-10k') });
    b.type(KEYS.home);
    await b.waitFor(NOTE.deep.slice(0, 30), 30_000);
    b.type(KEYS.end);
    await stillTakesInput(b, r.server);
  });
});

describe('a big paste is one chip in the prompt, and sends its full text', () => {
  it('10 MB pasted (200,000 lines): the prompt shows [pasted 200,000 lines] at once, keys still work, Enter sends all of it', async () => {
    const line = `${longLine(49).trimEnd()}\n`; // 50 characters a line
    const pasted = line.repeat(200_000);
    r.server.enqueue({ kind: 'sse', body: sseForDeltas('Got it: the paste arrived.\n', 8, MODEL) });
    const a = await r.start({ cols: 100, rows: 30 });
    a.type(`\x1b[200~${pasted}\x1b[201~`);
    await a.waitFor('› [pasted 200,000 lines]', 60_000);
    a.type(' explain');
    await a.waitFor('› [pasted 200,000 lines] explain', 10_000);
    a.type(KEYS.enter);
    await a.waitFor('Got it: the paste arrived.', 60_000);
    const body = messagePosts(r.server).at(-1)!.body as { messages: { role: string; content: unknown }[] };
    const sent = JSON.stringify(body.messages.at(-1)!.content);
    expect(sent.length).toBeGreaterThan(pasted.length);
    expect(sent).toContain(' explain');
    expect(sent).not.toContain('[pasted 200,000 lines]');
  });

  it('a 150-line paste is a chip at 60 columns; Backspace removes it whole; Ctrl+O expands it into the editor', async () => {
    const pasted = Array.from({ length: 150 }, (_, i) => `row ${i + 1}`).join('\n');
    const a = await r.start({ cols: 60, rows: 30 });
    a.type(`\x1b[200~${pasted}\x1b[201~`);
    await a.waitFor('› [pasted 150 lines]');
    a.type('\x7f');
    await a.waitFor((s) => !s.includes('[pasted 150 lines') && s.includes('Ask Claude'));
    a.type(`\x1b[200~${pasted}\x1b[201~`);
    await a.waitFor('› [pasted 150 lines]');
    a.type('\x0f'); // Ctrl+O
    await a.waitFor((s) => s.includes('row 150') && !s.includes('[pasted 150 lines'));
  });
});

async function waitUntil(test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((res) => setTimeout(res, 20));
  }
}
