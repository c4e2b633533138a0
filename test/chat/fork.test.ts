import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { messagesApi } from '../../src/api/port.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { SessionRecorder } from '../../src/chat/recorder.js';
import { SessionControl } from '../../src/chat/session-control.js';
import { NO_SECRETS } from '../../src/domain/redact.js';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { createSession, listSessions, loadSession } from '../../src/sessions/index.js';
import { provide } from '../helpers/lifecycle.js';
import { tempDir } from '../sessions/helpers.js';

const MODEL = 'claude-sonnet-4-6';
const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

describe('/fork', () => {
  it('from a read-only session (another writer holds it): the conversation is copied into a new session that saves', async () => {
    const dir = tempDir();
    // Another window: it holds the session's lock while this one opens it.
    const other = createSession(dir, { model: MODEL, system: null, title: 'Shared' });
    other.appendUser({ role: 'user', id: 'u1', text: 'first prompt', createdAt: 1 });
    other.flush();
    const client = new Anthropic({ apiKey: 'sk-ant-test-fork', baseURL: server.url, maxRetries: 0 });
    const engine = new ChatEngine({ api: messagesApi(client), model: MODEL, maxTokens: 256, system: null, maxRetries: 0 });
    const control = new SessionControl(
      engine,
      { dir, model: MODEL, system: null, redactor: NO_SECRETS },
      new SessionRecorder({ dir, model: MODEL, system: null, redactor: NO_SECRETS }),
    );
    expect((await control.open(other.id)).ok).toBe(true);
    expect(control.status().readOnly).toMatch(/another inkwell window/);
    // Nothing is saved while read-only.
    const notice = engine.getState().messages.find((m) => m.role === 'notice');
    expect(notice?.role === 'notice' && notice.text).toContain('/fork');

    const r = control.fork();
    expect(r.ok).toBe(true);
    expect(control.status().readOnly).toBeNull();
    server.enqueue({ kind: 'sse', body: sseForText('Saved now.', { model: MODEL }) });
    engine.send('after fork');
    await engine.settled();
    control.close();
    other.close();

    const fork = listSessions(dir).find((s) => s.id !== other.id)!;
    expect(fork.title).toBe('Shared (fork)');
    const users = loadSession(dir, fork.id).messages.filter((m) => m.role === 'user');
    expect(users.map((m) => (m.role === 'user' ? m.text : ''))).toEqual(['first prompt', 'after fork']);
    // The other window's session is untouched.
    expect(loadSession(dir, other.id).messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('is refused while a reply streams', async () => {
    const dir = tempDir();
    const client = new Anthropic({ apiKey: 'sk-ant-test-fork', baseURL: server.url, maxRetries: 0 });
    const engine = new ChatEngine({ api: messagesApi(client), model: MODEL, maxTokens: 256, system: null, maxRetries: 0 });
    const control = new SessionControl(
      engine,
      { dir, model: MODEL, system: null, redactor: NO_SECRETS },
      new SessionRecorder({ dir, model: MODEL, system: null, redactor: NO_SECRETS }),
    );
    server.enqueue({ kind: 'sse', body: sseForText('slow words here', { model: MODEL }), tokensPerSecond: 5 });
    engine.send('go');
    expect(control.fork()).toMatchObject({ ok: false });
    engine.abort();
    await engine.settled();
    control.close();
  });
});
