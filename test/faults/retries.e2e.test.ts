/**
 * Failures before the first byte of a reply: inkwell retries them itself, visibly ("overloaded,
 * retrying in 4 s (attempt 2/5) · Esc cancels"), honouring retry-after / retry-after-ms; Esc
 * cancels the wait; the number of attempts comes from INKWELL_MAX_RETRIES or the `retries`
 * setting; the spend-limit 429 is not retried and says why.
 *
 * Each test ends with the app taking a new prompt and the session file holding every message.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ask,
  expectSessionAfterFault,
  flat,
  fullReply,
  httpError,
  idle,
  messagePosts,
  rig,
  screenHistory,
  stillTakesInput,
  sleep,
} from '../helpers/faults.js';
import { KEYS } from '../helpers/pty.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

const REPLY = ['The ', 'answer ', 'arrived ', 'after ', 'all.'];
const REPLY_TEXT = REPLY.join('');

/** ms between the n-th and (n+1)-th POST /v1/messages the server saw. */
function gap(n: number): number {
  const posts = messagePosts(r.server);
  return posts[n + 1]!.receivedAt - posts[n]!.receivedAt;
}

describe('before the first byte: visible, cancellable retries', () => {
  it('529 with retry-after: 2 → "overloaded, retrying in 2 s (attempt 2/5) · Esc cancels", counts down, waits 2 s, then the reply arrives', async () => {
    r.server.enqueue(httpError(529, 'overloaded_error', 'Overloaded', 'req_011CRETRY529000000001', { 'retry-after': '2' }), {
      kind: 'sse',
      body: fullReply(REPLY),
    });
    // The default number of attempts (4 retries, 5 in all) when neither env nor settings say otherwise.
    const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: undefined } });
    const h = screenHistory(a);
    ask(a, 'hello');
    await a.waitFor('overloaded, retrying in 2 s (attempt 2/5) · Esc cancels');
    await a.waitFor('overloaded, retrying in 1 s (attempt 2/5) · Esc cancels');
    const screen = await a.waitFor(REPLY_TEXT);
    await idle(a);
    expect(a.screen()).not.toContain('retrying');
    expect(flat(screen)).not.toContain('✖');
    expect(messagePosts(r.server)).toHaveLength(2);
    expect(gap(0)).toBeGreaterThanOrEqual(1950);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: { status: 'complete', text: REPLY_TEXT } });
  });

  it('retry-after-ms wins over retry-after: a 429 asking for 700 ms (and retry-after: 30) is retried after ~0.7 s', async () => {
    r.server.enqueue(
      httpError(429, 'rate_limit_error', 'This request would exceed your rate limit.', 'req_011CRETRY429MS0000001', {
        'retry-after-ms': '700',
        'retry-after': '30',
      }),
      { kind: 'sse', body: fullReply(REPLY) },
    );
    const a = await r.start({ cols: 120 });
    const h = screenHistory(a);
    ask(a, 'hello');
    await a.waitFor(REPLY_TEXT, 10_000);
    await idle(a);
    expect(h.seen('rate limited, retrying in 1 s (attempt 2/3) · Esc cancels')).toBe(true);
    expect(gap(0)).toBeGreaterThanOrEqual(680);
    expect(gap(0)).toBeLessThan(5_000);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: { status: 'complete', text: REPLY_TEXT } });
  });

  it('a connection error, 408, 409 and 500 are each retried and shown with their reason; the 5th attempt succeeds', async () => {
    const fast = { 'retry-after-ms': '250' };
    r.server.enqueue(
      // The socket is closed before any response: a connection error (SDK backoff, ~0.4–0.5 s).
      { kind: 'script', steps: [{ kind: 'reset' }] },
      httpError(408, 'timeout_error', 'Request timed out', 'req_011CRETRY408000000001', fast),
      httpError(409, 'conflict_error', 'Conflict', 'req_011CRETRY409000000001', fast),
      httpError(500, 'api_error', 'Internal server error', 'req_011CRETRY500000000001', fast),
      { kind: 'sse', body: fullReply(REPLY) },
    );
    const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: '4' } });
    const h = screenHistory(a);
    ask(a, 'hello');
    await a.waitFor(REPLY_TEXT, 15_000);
    await idle(a);
    expect(messagePosts(r.server)).toHaveLength(5);
    for (const seen of [
      'network error, retrying in 1 s (attempt 2/5)',
      'request timed out, retrying in 1 s (attempt 3/5)',
      'conflict, retrying in 1 s (attempt 4/5)',
      'server error 500, retrying in 1 s (attempt 5/5)',
    ]) {
      expect(h.seen(seen), `the status bar showed "${seen}"`).toBe(true);
    }
    // The header asked for 250 ms: honoured, not the SDK backoff.
    for (const i of [1, 2, 3]) expect(gap(i)).toBeGreaterThanOrEqual(240);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: { status: 'complete', text: REPLY_TEXT } });
  });

  it('Esc cancels the retry wait: no further request is sent, the screen says it stopped, the prompt is ready', async () => {
    r.server.enqueue(httpError(529, 'overloaded_error', 'Overloaded', 'req_011CRETRYESC000000001', { 'retry-after': '20' }));
    const a = await r.start({ cols: 120 });
    ask(a, 'hello');
    await a.waitFor(/overloaded, retrying in (20|19) s \(attempt 2\/3\) · Esc cancels/);
    a.type(KEYS.esc);
    const screen = await a.waitFor('Stopped before the reply began.');
    expect(screen).not.toContain('retrying in');
    await idle(a);
    await sleep(600);
    expect(messagePosts(r.server)).toHaveLength(1);

    const recovery = await stillTakesInput(a, r.server);
    expect(messagePosts(r.server)).toHaveLength(2);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: null, notice: 'Stopped before the reply began.' });
  });

  it('INKWELL_MAX_RETRIES=1: two 529s use both attempts, then the error says it stayed overloaded, with the request id', async () => {
    r.server.enqueue(
      httpError(529, 'overloaded_error', 'Overloaded', 'req_011CRETRYMAX000000001', { 'retry-after-ms': '300' }),
      httpError(529, 'overloaded_error', 'Overloaded', 'req_011CRETRYMAX000000002', { 'retry-after-ms': '300' }),
    );
    const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: '1' } });
    const h = screenHistory(a);
    ask(a, 'hello');
    const screen = flat(await a.waitFor(/overloaded \(529\)/));
    expect(screen).toContain(
      'The API is overloaded (529) right now, and stayed so through every retry. /retry asks again. (request id req_011CRETRYMAX000000002)',
    );
    expect(h.seen('overloaded, retrying in 1 s (attempt 2/2)')).toBe(true);
    expect(h.seen('attempt 3/')).toBe(false);
    expect(messagePosts(r.server)).toHaveLength(2);
    await idle(a);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: null, notice: 'req_011CRETRYMAX000000002' });
  });

  it('the `retries` setting sets the attempts when INKWELL_MAX_RETRIES is not set (retries: 1 → attempt 2/2, then the error)', async () => {
    r.server.enqueue(
      httpError(503, 'api_error', 'Service unavailable', 'req_011CRETRYSET000000001', { 'retry-after-ms': '300' }),
      httpError(503, 'api_error', 'Service unavailable', 'req_011CRETRYSET000000002', { 'retry-after-ms': '300' }),
    );
    const home = mkdtempSync(path.join(tmpdir(), 'inkwell-faults-'));
    mkdirSync(path.join(home, 'config'), { recursive: true });
    writeFileSync(path.join(home, 'config', 'config.json'), JSON.stringify({ retries: 1 }));
    const a = await r.start({ cols: 120, home, env: { INKWELL_MAX_RETRIES: undefined } });
    const h = screenHistory(a);
    ask(a, 'hello');
    const screen = flat(await a.waitFor(/internal error \(503\)/));
    expect(screen).toContain('(request id req_011CRETRYSET000000002)');
    expect(h.seen('server error 503, retrying in 1 s (attempt 2/2)')).toBe(true);
    expect(messagePosts(r.server)).toHaveLength(2);
    await idle(a);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: null, notice: 'req_011CRETRYSET000000002' });
  });

  it('the spend-limit 429 (enforced_spend_limit_reached, no retry-after) is not retried and says why', async () => {
    r.server.enqueue(
      httpError(
        429,
        'rate_limit_error',
        'You have reached your specified workspace API usage limits.',
        'req_011CSPENDLIMIT00000001',
        {},
        {
          error_code: 'enforced_spend_limit_reached',
        },
      ),
    );
    const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: '3' } });
    const h = screenHistory(a);
    ask(a, 'hello');
    const screen = flat(await a.waitFor(/spend limit/i));
    expect(screen).toContain('Your spend limit is reached');
    expect(screen).toContain('inkwell did not retry');
    expect(screen).toContain('(request id req_011CSPENDLIMIT00000001)');
    await idle(a);
    await sleep(700);
    expect(messagePosts(r.server)).toHaveLength(1);
    expect(h.seen('retrying')).toBe(false);
    h.dispose();

    const recovery = await stillTakesInput(a, r.server);
    expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: null, notice: 'spend limit' });
  });
});
