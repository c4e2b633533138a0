/**
 * More injected faults: malformed SSE JSON, an empty 200 body, an `event: error` before
 * message_start (fixture 20), a reset after N bytes in the middle of a frame (fixture 02), and a
 * slow trickle (paced deltas, and a long content-free stretch kept alive by pings).
 *
 * Each test ends with the app taking a new prompt and the session file holding every message.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PING_FRAME, sseForText } from '../../src/server/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { parseSse } from '../helpers/sse.js';
import {
  ask,
  expectSessionAfterFault,
  flat,
  fullReply,
  idle,
  MODEL,
  messageEnd,
  messagePosts,
  messageStart,
  partialReply,
  rig,
  screenHistory,
  sse,
  stillTakesInput,
  sleep,
  textBlock,
} from '../helpers/faults.js';
import type { AppInPty } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

/** The full-screen layout is intact: status bar and prompt in the last two rows, nothing written over them. */
function expectLayoutIntact(a: AppInPty): void {
  const lines = a.lines();
  expect(lines.at(-1)).toMatch(/^› /);
  expect(lines.at(-2)).toContain(MODEL);
  // The model as a segment of the status bar (first, between others, or last while the context
  // window is still being looked up), on exactly one row.
  const segment = new RegExp(`(^| · )${MODEL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( · |$)`);
  expect(lines.filter((l) => segment.test(l))).toHaveLength(1);
}

describe('injected stream faults', () => {
  it('malformed SSE JSON mid-stream: partial kept and marked interrupted, plain words (no parser jargon), nothing written over the screen', async () => {
    const pieces = ['Before ', 'the ', 'garbage.'];
    r.server.enqueue({
      kind: 'script',
      steps: [{ kind: 'write', data: `${partialReply(pieces)}event: content_block_delta\ndata: {not json at all\n\n` }, { kind: 'end' }],
    });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await a.waitFor('Interrupted:');
    await idle(a);
    await sleep(300);
    const screen = flat(a.screen());
    expect(screen).toContain('● Before the garbage.');
    expect(screen).toMatch(/malformed/i);
    expect(screen).not.toMatch(/Expected property name|position \d+|SyntaxError/);
    expect(screen).toContain('/retry');
    // Library log lines must not land on the terminal beside Ink's frame.
    for (const l of a.lines()) expect(l).not.toMatch(/^(Could not parse|From chunk)/);
    expectLayoutIntact(a);
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    expectLayoutIntact(a);
    expectSessionAfterFault(a.home, {
      prompt: 'tell me',
      recovery,
      reply: { status: 'interrupted', text: 'Before the garbage.' },
      notice: /malformed/i,
    });
  });

  it('an empty 200 body: no reply is kept, the error says nothing arrived and offers /retry (not /continue)', async () => {
    r.server.enqueue({ kind: 'script', steps: [{ kind: 'head', status: 200 }, { kind: 'end' }] });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await a.waitFor('✖');
    await idle(a);
    const screen = flat(a.screen());
    expect(screen).not.toContain('●');
    expect(screen).toContain('/retry');
    expect(screen).not.toContain('/continue');
    expect(screen).not.toContain('Anything that arrived is kept');
    // Nothing was answered: the prompt is marked not sent and put back in the editor.
    expect(screen).toContain('✗ not sent');
    expect(screen).toMatch(/› tell me\s*$/);
    expectLayoutIntact(a);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: null, notice: /retry/ });
  });

  it('an error event before message_start is retried like an overload (fixture 20), and the reply then arrives', async () => {
    r.server.enqueue(
      { kind: 'sse', path: path.join(FIXTURES, '20-error-overloaded-before-message-start.sse') },
      { kind: 'sse', body: fullReply(['Second ', 'time ', 'lucky.']) },
    );
    const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: '2' } });
    const h = screenHistory(a);
    ask(a, 'tell me');
    await a.waitFor('Second time lucky.');
    await idle(a);
    expect(h.seen(/overloaded, retrying in 1 s \(attempt 2\/3\)/)).toBe(true);
    expect(flat(a.screen())).not.toContain('✖');
    expect(messagePosts(r.server)).toHaveLength(2);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: { status: 'complete', text: 'Second time lucky.' } });
  });

  it('an error event before message_start on every attempt: the overload is reported with no reply kept, /retry offered (not /continue), and /retry works', async () => {
    const f20 = { kind: 'sse' as const, path: path.join(FIXTURES, '20-error-overloaded-before-message-start.sse') };
    r.server.enqueue(f20, f20);
    const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: '1' } });
    ask(a, 'tell me');
    await a.waitFor('✖');
    await idle(a);
    const screen = flat(a.screen());
    expect(screen).toMatch(/overloaded/i);
    expect(screen).toMatch(/request id req_/);
    expect(screen).not.toContain('●');
    expect(screen).toContain('/retry');
    expect(screen).not.toContain('/continue');
    expect(messagePosts(r.server)).toHaveLength(2);

    r.server.enqueue({ kind: 'sse', body: fullReply(['Retried ', 'by ', 'hand.']) });
    ask(a, '/retry');
    await a.waitFor('Retried by hand.');
    await idle(a);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: { status: 'complete', text: 'Retried by hand.' } });
  });

  it('a server that accepts the request and never answers (no headers): given up after INKWELL_IDLE_TIMEOUT, no reply kept, /retry offered', async () => {
    r.server.enqueue({ kind: 'script', steps: [{ kind: 'stall' }] });
    const a = await r.start({ cols: 120, env: { INKWELL_IDLE_TIMEOUT: '2' } });
    const t0 = Date.now();
    ask(a, 'tell me');
    await a.waitFor('No data arrived for 2 s', 8_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_500);
    await idle(a);
    const screen = flat(a.screen());
    expect(screen).toContain('/retry asks again');
    expect(screen).not.toContain('/continue');
    expect(screen).not.toContain('●');
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: null, notice: 'No data arrived for 2 s' });
  });

  it('a reset after N bytes, mid-frame (fixture 02): exactly the text of the complete frames is kept, shown and saved', async () => {
    const file = path.join(FIXTURES, '02-text-medium-markdown-list-sonnet45.sse');
    const bytes = readFileSync(file);
    const cut = Math.floor(bytes.length * 0.55);
    // The expected partial: text deltas of the frames that end before the cut.
    const whole = bytes.subarray(0, cut).toString('utf8');
    const complete = whole.slice(0, whole.lastIndexOf('\n\n') + 2);
    const expected = parseSse(complete)
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => JSON.parse(e.data) as { delta: { type: string; text?: string } })
      .filter((e) => e.delta.type === 'text_delta')
      .map((e) => e.delta.text)
      .join('');
    expect(expected.length).toBeGreaterThan(100);
    r.server.enqueue({ kind: 'sse', path: file, resetAfterBytes: cut, chunkBytes: 97 });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await a.waitFor('Interrupted: the connection dropped.');
    await idle(a);
    const lastWord = expected
      .trim()
      .split(/\s+/)
      .at(-1)!
      .replace(/[*_`#]/g, '');
    expect(flat(a.screen())).toContain(lastWord);
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, {
      prompt: 'tell me',
      recovery,
      reply: { status: 'interrupted', text: expected, reason: 'the connection dropped' },
    });
  });

  it('a slow trickle (6 deltas/s, then 3 s of pings only, with INKWELL_IDLE_TIMEOUT=2) streams visibly and completes: pings keep it alive', async () => {
    // One line per delta: a partial line is held back until its newline, so lines show the progress.
    const first = ['- slow one\n', '- slow two\n', '- slow three\n', '- slow four\n', '- slow five\n', '- slow six\n'];
    const rest = ['- after seven\n', '- after eight\n', '- after nine\n', '- after ten\n', '- after the pause.\n'];
    const text = [...first, ...rest].join('');
    const pings: Array<{ kind: 'delay'; ms: number } | { kind: 'write'; data: string }> = [];
    for (let i = 0; i < 5; i++) pings.push({ kind: 'delay', ms: 600 }, { kind: 'write', data: PING_FRAME });
    const trickle = (pieces: string[], index: number) =>
      pieces.flatMap((t) => [
        { kind: 'delay' as const, ms: 160 },
        { kind: 'events' as const, events: [{ type: 'content_block_delta', index, delta: { type: 'text_delta', text: t } }] },
      ]);
    r.server.enqueue({
      kind: 'script',
      steps: [
        { kind: 'events', events: [messageStart(), ...textBlock([], 0, true)] },
        ...trickle(first, 0),
        ...pings,
        ...trickle(rest, 0),
        { kind: 'write', data: sse([{ type: 'content_block_stop', index: 0 }, ...messageEnd(11)]) },
      ],
    });
    const a = await r.start({ cols: 120, env: { INKWELL_IDLE_TIMEOUT: '2' } });
    const h = screenHistory(a);
    ask(a, 'tell me');
    await a.waitFor('after the pause.', 15_000);
    await idle(a);
    // The reply grew on screen, line by line, with the live mark.
    const growing = new Set(
      h.screens.filter((s) => s.includes('▍')).map((s) => (s.match(/slow (one|two|three|four|five|six)/g) ?? []).length),
    );
    expect(growing.size).toBeGreaterThanOrEqual(5);
    for (const w of ['one', 'six', 'seven', 'ten']) expect(a.screen()).toMatch(new RegExp(`(slow|after) ${w}`));
    expect(a.screen()).not.toContain('Interrupted');
    expect(a.screen()).not.toContain('No data arrived');
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: { status: 'complete', text } });
  });

  it('a slow byte trickle (the SSE body 3 bytes at a time) reassembles exactly', async () => {
    // Two-, three- and four-byte UTF-8 (𝒳 is a surrogate pair), all cut across writes. (No emoji: the
    // headless xterm measures them with Unicode 6 widths, unlike string-width and real terminals.)
    const text = 'Bytes arrive in tiny pieces: ünïcödé, math 𝒳𝒴, and CJK 漢字 split across writes.';
    r.server.enqueue({ kind: 'sse', body: sseForText(text, { model: MODEL }), chunkBytes: 3, intervalMs: 1 });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await a.waitFor('split across writes.', 15_000);
    await idle(a);
    expect(a.screen()).toContain('ünïcödé, math 𝒳𝒴, and CJK 漢字');

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: { status: 'complete', text } });
  });
});
