/**
 * Failures after the first byte: an in-stream `event: error` (overloaded_error, api_error), a reset
 * connection, a stream that ends without message_stop, and a stream that goes silent (the idle
 * watchdog, INKWELL_IDLE_TIMEOUT). Each keeps the partial reply on screen, saves it marked
 * interrupted with the reason, offers /retry and /continue, is not retried behind the user's back,
 * and leaves the app taking new prompts.
 */
import { describe, expect, it } from 'vitest';
import {
  ask,
  byRole,
  errorEvent,
  expectSessionAfterFault,
  flat,
  fullReply,
  idle,
  messagePosts,
  messageStart,
  partialReply,
  replyText,
  rig,
  savedSession,
  sse,
  stillTakesInput,
  sleep,
  textBlock,
} from '../helpers/faults.js';
import type { AppInPty } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

const PIECES = ['Partial ', 'answer ', 'about ', 'sailing ', 'ships.'];
const PARTIAL = PIECES.join('');

/** What every interrupted reply shows: the partial text, why it stopped, and what can be done. */
async function expectInterruptedOnScreen(a: AppInPty, reason: string): Promise<string> {
  const screen = flat(await a.waitFor(`Interrupted: ${reason}.`, 10_000));
  await idle(a);
  const now = flat(a.screen());
  expect(now).toContain(`● ${PARTIAL}`);
  expect(now).toContain(`Interrupted: ${reason}. The partial reply is kept`);
  expect(now).toContain('/continue carries it on');
  expect(now).toContain('/retry asks again');
  // The prompt offers to continue the cut reply.
  expect(now).toContain('› Enter continues the cut reply');
  expect(now).not.toContain('▍');
  return screen;
}

describe('after the first byte: the partial reply is kept, saved, marked interrupted', () => {
  it('in-stream overloaded_error: partial kept, the error in plain words with the request id, not retried; /retry asks again and replaces it', async () => {
    r.server.enqueue({
      kind: 'sse',
      body: sse([messageStart(), ...textBlock(PIECES, 0, true), errorEvent('overloaded_error', 'Overloaded')]),
      headers: { 'request-id': 'req_011CMIDOVERLOADED00001' },
    });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await expectInterruptedOnScreen(a, 'the server was overloaded');
    expect(flat(a.screen())).toContain('The API is overloaded and stopped this reply (overloaded_error).');
    expect(flat(a.screen())).toContain('(request id req_011CMIDOVERLOADED00001)');
    await sleep(800);
    expect(messagePosts(r.server)).toHaveLength(1);

    // Saved as it was shown.
    {
      const s = savedSession(a.home);
      const { users, replies, notices } = byRole(s);
      expect(users.map((u) => u.text)).toEqual(['tell me']);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.status).toBe('interrupted');
      expect(replies[0]!.interruption?.reason).toBe('the server was overloaded');
      expect(replyText(replies[0]!)).toBe(PARTIAL);
      expect(replies[0]!.requestId).toBe('req_011CMIDOVERLOADED00001');
      expect(notices.some((n) => n.text.includes('req_011CMIDOVERLOADED00001'))).toBe(true);
    }

    // /retry asks the same prompt again; the new reply replaces the cut one.
    r.server.enqueue({ kind: 'sse', body: fullReply(['A ', 'complete ', 'second ', 'answer.']) });
    ask(a, '/retry');
    await a.waitFor('A complete second answer.');
    await idle(a);
    expect(a.screen()).not.toContain(PARTIAL);
    const retried = messagePosts(r.server).at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };
    expect(retried.messages).toEqual([{ role: 'user', content: 'tell me' }]);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'tell me', recovery, reply: { status: 'complete', text: 'A complete second answer.' } });
  });

  it('in-stream api_error: partial kept with the API message and the request id; /continue carries the reply on in place', async () => {
    r.server.enqueue({
      kind: 'sse',
      body: sse([messageStart(), ...textBlock(PIECES, 0, true), errorEvent('api_error', 'Internal server error')]),
      headers: { 'request-id': 'req_011CMIDAPIERROR0000001' },
    });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await expectInterruptedOnScreen(a, 'the server reported an error');
    expect(flat(a.screen())).toContain('The API reported an error part-way through the reply: Internal server error.');
    expect(flat(a.screen())).toContain('(request id req_011CMIDAPIERROR0000001)');
    expect(messagePosts(r.server)).toHaveLength(1);
    {
      const { replies } = byRole(savedSession(a.home));
      expect(replies.map((m) => [m.status, m.interruption?.reason, replyText(m)])).toEqual([
        ['interrupted', 'the server reported an error', PARTIAL],
      ]);
    }

    // /continue: the request carries the partial reply, and the new text joins it in the same reply.
    r.server.enqueue({ kind: 'sse', body: fullReply([' And ', 'then ', 'they ', 'sailed ', 'home.']) });
    ask(a, '/continue');
    await a.waitFor('they sailed home.');
    await idle(a);
    const cont = messagePosts(r.server).at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(cont.messages)).toContain('Partial answer about sailing ships.');
    expect(flat(a.screen())).toMatch(/● Partial answer about sailing ships\.\s*And then they sailed home\./);
    expect(a.screen()).not.toContain('Interrupted:');

    const recovery = await stillTakesInput(a, r.server);
    const s = savedSession(a.home);
    const { users, replies } = byRole(s);
    expect(users.map((u) => u.text)).toEqual(['tell me', recovery.prompt]);
    expect(replies).toHaveLength(2);
    expect(replies[0]!.status).toBe('complete');
    expect(replyText(replies[0]!)).toMatch(/^Partial answer about sailing ships\.\s*And then they sailed home\.$/);
    expect(replyText(replies[1]!)).toContain(recovery.marker);
  });

  it('a reset connection mid-stream: partial kept and saved, "the connection dropped", not retried', async () => {
    r.server.enqueue({ kind: 'script', steps: [{ kind: 'write', data: partialReply(PIECES) }, { kind: 'reset' }] });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await expectInterruptedOnScreen(a, 'the connection dropped');
    expect(flat(a.screen())).toContain('The connection dropped before the reply finished.');
    await sleep(800);
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    const s = expectSessionAfterFault(a.home, {
      prompt: 'tell me',
      recovery,
      reply: { status: 'interrupted', text: PARTIAL, reason: 'the connection dropped' },
      notice: 'The connection dropped before the reply finished.',
    });
    // The headers had arrived: the request id is kept with the partial reply.
    expect(byRole(s).replies[0]!.requestId).toMatch(/^req_/);
  });

  it('a stream that ends without message_stop (clean close after content): partial kept and saved, marked interrupted', async () => {
    r.server.enqueue({
      kind: 'script',
      steps: [{ kind: 'write', data: partialReply(PIECES) + sse([{ type: 'content_block_stop', index: 0 }]) }, { kind: 'end' }],
    });
    const a = await r.start({ cols: 120 });
    ask(a, 'tell me');
    await expectInterruptedOnScreen(a, 'the connection dropped');
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, {
      prompt: 'tell me',
      recovery,
      reply: { status: 'interrupted', text: PARTIAL, reason: 'the connection dropped' },
      notice: 'The connection dropped before the reply finished.',
    });
  });

  it('idle watchdog (INKWELL_IDLE_TIMEOUT=2): a stream silent for 2 s is closed, the partial kept and saved, "no data for 2 s"', async () => {
    const body = partialReply(PIECES);
    r.server.enqueue({
      kind: 'sse',
      body: body + sse([{ type: 'content_block_stop', index: 0 }]),
      stallAfterBytes: Buffer.byteLength(body),
    });
    const a = await r.start({ cols: 120, env: { INKWELL_IDLE_TIMEOUT: '2' } });
    ask(a, 'tell me');
    // The reply is streaming (its partial line is held back until a newline; the mark shows it).
    await a.waitFor('● ▍');
    const shownAt = Date.now();
    // Still streaming (the stall is not yet a failure) for a while.
    await sleep(1000);
    expect(a.screen()).toContain('▍');
    expect(a.screen()).not.toContain('Interrupted');
    await expectInterruptedOnScreen(a, 'no data for 2 s');
    const waited = Date.now() - shownAt;
    expect(waited).toBeGreaterThanOrEqual(1500);
    expect(waited).toBeLessThan(6000);
    expect(flat(a.screen())).toContain('No data arrived for 2 s, so the connection was closed.');
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, {
      prompt: 'tell me',
      recovery,
      reply: { status: 'interrupted', text: PARTIAL, reason: 'no data for 2 s' },
      notice: 'No data arrived for 2 s',
    });
  });
});
