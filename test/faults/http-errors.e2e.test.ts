/**
 * HTTP errors in plain words, each with its request id: 400 (and prompt-too-long, which suggests
 * /new), 401 (how to set the key), 403, 404 (unknown model: the available ones are listed), 413,
 * 429 (with the reset time from the rate-limit headers), 500 and 529. Error bodies are the recorded
 * ones in test/fixtures/anthropic/http where there is one.
 *
 * Each test ends with the app taking a new prompt and the session file holding every message.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, loadHttpFixture, type Scenario } from '../../src/server/index.js';
import {
  API_KEY,
  ask,
  expectSessionAfterFault,
  flat,
  httpError,
  idle,
  messagePosts,
  rawText,
  rig,
  stillTakesInput,
} from '../helpers/faults.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

/**
 * Sends a prompt answered by `scenario` (no retries), waits for `expected` on screen, checks the
 * request id is shown and the app still takes input, and that the session holds the prompt and the
 * error notice.
 * @returns the screen with the error, whitespace collapsed
 */
async function errorCase(
  scenario: Scenario,
  expected: string | RegExp,
  requestId: string,
  o: { args?: string[]; env?: Record<string, string> } = {},
) {
  r.server.enqueue(scenario);
  const a = await r.start({ cols: 120, env: { INKWELL_MAX_RETRIES: '0', ...o.env }, ...(o.args ? { args: o.args } : {}) });
  ask(a, 'hello');
  await a.waitFor('✖');
  await idle(a);
  const screen = flat(a.screen());
  if (typeof expected === 'string') expect(screen).toContain(expected);
  else expect(screen).toMatch(expected);
  expect(screen).toContain(`(request id ${requestId})`);
  // No partial reply, nothing to continue: the prompt is marked not sent and is back in the editor.
  expect(screen).toContain('✗ not sent');
  expect(a.lines().filter((l) => l.startsWith('› hello'))).toHaveLength(2);
  expect(screen).not.toContain('●');
  expect(rawText(a)).not.toContain(API_KEY);
  expect(messagePosts(r.server)).toHaveLength(1);
  return { a, screen };
}

async function recoverAndCheckSession(a: Awaited<ReturnType<typeof errorCase>>['a'], notice: string | RegExp) {
  const recovery = await stillTakesInput(a, r.server);
  expectSessionAfterFault(a.home, { prompt: 'hello', recovery, reply: null, notice });
}

describe('HTTP errors in plain words, with the request id', () => {
  it('400 invalid_request_error: the API message, verbatim', async () => {
    const f = loadHttpFixture('400-trailing-whitespace');
    const { a } = await errorCase(
      f,
      'The API rejected the request (400): messages: final assistant content cannot end with trailing whitespace.',
      f.headers!['request-id']!,
    );
    await recoverAndCheckSession(a, 'The API rejected the request (400)');
  });

  it('400 prompt is too long: says the conversation no longer fits and suggests /new', async () => {
    const f = loadHttpFixture('400-prompt-too-long');
    const { a, screen } = await errorCase(
      f,
      "The conversation no longer fits the model's context window (prompt is too long: 1073758 tokens > 1000000 maximum).",
      f.headers!['request-id']!,
    );
    expect(screen).toContain('/new');
    await recoverAndCheckSession(a, 'no longer fits');
  });

  it('401: the key was rejected, and how to set one', async () => {
    const f = loadHttpFixture('401-authentication');
    const { a } = await errorCase(
      f,
      'The API key was rejected (401). Set a valid key: export ANTHROPIC_API_KEY=sk-ant-',
      f.headers!['request-id']!,
    );
    await recoverAndCheckSession(a, 'rejected (401)');
  });

  it('403 permission_error: permission denied with the API message', async () => {
    const { a } = await errorCase(
      httpError(
        403,
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
        'req_011CPERMISSION0000001',
      ),
      'Permission denied (403): Your API key does not have permission to use the specified resource. This key may not have access to that model or feature.',
      'req_011CPERMISSION0000001',
    );
    await recoverAndCheckSession(a, 'Permission denied (403)');
  });

  it('404 unknown model: says which model, and lists the models the API offers', async () => {
    const f = loadHttpFixture('404-not-found-model');
    f.headers = { ...f.headers, 'request-id': 'req_011CVEA3SF7rnb3DuBZytqQa' };
    const { a } = await errorCase(
      f,
      'Not found (404): model: claude-does-not-exist. Check the model name (--model).',
      'req_011CVEA3SF7rnb3DuBZytqQa',
      {
        args: ['--model', 'claude-does-not-exist'],
      },
    );
    const screen = flat(await a.waitFor('Models this API offers:'));
    for (const m of DEFAULT_MODELS) expect(screen).toContain(m.id);
    expect(screen).toMatch(/Pick one with .*--model <id>\./);
    // The prompt that follows uses the same (unknown) model; the server answers it anyway.
    await recoverAndCheckSession(a, 'Not found (404)');
  });

  it('413 request_too_large: too large, start a new conversation or send less', async () => {
    const f = loadHttpFixture('413-request-too-large');
    const { a } = await errorCase(
      f,
      'The request is too large (413). Start a new conversation or send less text.',
      f.headers!['request-id']!,
    );
    await recoverAndCheckSession(a, 'too large (413)');
  });

  it('429 rate_limit_error asking to wait 4300 s: not waited out; says when the limit resets (from the rate-limit headers)', async () => {
    const f = loadHttpFixture('429-rate-limit');
    const reset = new Date(Date.now() + 72 * 60_000);
    reset.setMilliseconds(0);
    f.headers = {
      ...f.headers,
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': reset.toISOString(),
      'anthropic-ratelimit-tokens-remaining': '1000',
      'anthropic-ratelimit-tokens-reset': new Date(Date.now() + 5_000).toISOString(),
    };
    // Retries allowed: the 4300 s retry-after is what stops them.
    const { a } = await errorCase(
      f,
      `Rate limited (429): This request would exceed your account's rate limit. Please try again later. The limit resets at ${reset.toTimeString().slice(0, 8)}. /retry asks again.`,
      f.headers['request-id']!,
      { env: { INKWELL_MAX_RETRIES: '3' } },
    );
    expect(a.screen()).not.toContain('retrying');
    await recoverAndCheckSession(a, 'Rate limited (429)');
  });

  it('500 api_error: an internal error, /retry asks again', async () => {
    const f = loadHttpFixture('500-api-error');
    const { a } = await errorCase(
      f,
      'The API had an internal error (500): Internal server error. /retry asks again.',
      f.headers!['request-id']!,
    );
    await recoverAndCheckSession(a, 'internal error (500)');
  });

  it('529 overloaded_error: overloaded right now, /retry asks again', async () => {
    const f = loadHttpFixture('529-overloaded');
    const { a } = await errorCase(f, 'The API is overloaded (529) right now', f.headers!['request-id']!);
    expect(flat(a.screen())).toContain('/retry asks again.');
    await recoverAndCheckSession(a, 'overloaded (529)');
  });
});
