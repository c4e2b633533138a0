import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMessagesServer } from '../../src/server/index.js';
import { createSession, nodeWriterFs } from '../../src/sessions/index.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const running: AppInPty[] = [];
afterEach(() => {
  while (running.length) running.pop()!.kill();
});

/**
 * An INKWELL_HOME with coldCacheWarnTokens 10,000 and one saved session whose last reply wrote
 * 18,639 tokens to the 5-minute cache 7 minutes ago: its cache has been cold for 2 minutes.
 */
function homeWithColdCache(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'inkwell-cold-'));
  mkdirSync(path.join(home, 'config'), { recursive: true });
  writeFileSync(path.join(home, 'config', 'config.json'), JSON.stringify({ coldCacheWarnTokens: 10_000 }));
  const w = createSession(
    path.join(home, 'data', 'sessions'),
    { model: 'claude-sonnet-4-6' },
    { fs: { ...nodeWriterFs, fsync: () => {} } },
  );
  const at = Date.now() - 7 * 60_000;
  w.appendUser({ role: 'user', id: 'u1', text: 'read this long document', createdAt: at });
  w.appendAssistant({
    role: 'assistant',
    id: 'a1',
    model: 'claude-sonnet-4-6',
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    content: [{ type: 'text', text: 'I read it.', citations: [] }],
    usage: {
      input_tokens: 3,
      output_tokens: 5,
      cache_creation_input_tokens: 18_639,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 18_639, ephemeral_1h_input_tokens: 0 },
    },
    usageFinal: true,
    status: 'complete',
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: at,
    firstTokenAt: at + 1,
    endedAt: at + 2,
  });
  w.close();
  return home;
}

describe('the cold-cache warning in the terminal', () => {
  it('the first Enter into an expired cache says what the send costs cold vs warm; the second Enter sends', async () => {
    const a = spawnApp({
      home: homeWithColdCache(),
      cols: 160,
      rows: 30,
      args: ['-c', '--model', 'claude-sonnet-4-6'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-secret', ANTHROPIC_BASE_URL: server.url },
    });
    running.push(a);
    await a.waitFor('I read it.');
    a.type('and now?');
    a.type(KEYS.enter);
    // 18,647 tokens: cold 5-minute write at $3.75/M ≈ $0.07, warm read at $0.30/M ≈ $0.0056.
    const held = await a.waitFor(/cache expired \d+ min ago: re-reading 19k tokens ≈ \$0\.07 \(warm: \$0\.0056\) · Enter sends/);
    expect(held).toContain('and now?'); // still in the prompt: nothing was sent
    expect(server.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0);
    server.enqueue({ kind: 'sse', path: path.join(FIXTURES, '05-max-tokens-cache-read-sonnet46.sse') });
    a.type(KEYS.enter);
    await a.waitFor('Stopped at max_tokens');
    expect(server.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
  }, 30_000);
});

describe('the context gauge in the terminal', () => {
  it('counts the draft with count_tokens after a pause in typing', async () => {
    const a = spawnApp({
      cols: 160,
      rows: 30,
      args: ['--model', 'claude-sonnet-4-6'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-secret', ANTHROPIC_BASE_URL: server.url },
    });
    running.push(a);
    await a.waitFor(/ctx 0\.0% of/);
    const count = (p: string) => server.requests.filter((r) => r.path === p).length;
    const before = count('/v1/messages/count_tokens');
    const sent = count('/v1/messages');
    a.type('lorem ipsum dolor sit amet '.repeat(400));
    await a.waitFor(/ctx (0\.[1-9]|[1-9])[\d.]*% of/);
    expect(count('/v1/messages/count_tokens')).toBe(before + 1);
    expect(count('/v1/messages')).toBe(sent); // counted, not sent
  }, 30_000);
});
