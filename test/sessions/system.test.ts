import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { messagesApi } from '../../src/api/port.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { SessionRecorder } from '../../src/chat/recorder.js';
import { SessionControl } from '../../src/chat/session-control.js';
import { NO_SECRETS } from '../../src/domain/redact.js';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { exportJson, exportMarkdown, listSessions, loadSession, openSessionForWriting } from '../../src/sessions/index.js';
import { createSession } from '../../src/sessions/store.js';
import { provide } from '../helpers/lifecycle.js';
import { tempDir } from './helpers.js';

const MODEL = 'claude-sonnet-4-6';
const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

describe('the system prompt is saved with the session', () => {
  it('a system record supersedes the header, round trip through the file; the file stays healthy', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: MODEL, system: 'Be brief.' });
    w.appendUser({ role: 'user', id: 'u1', text: 'hi', createdAt: 1 });
    expect(w.setSystem('Answer in French.')).toBe(true);
    // The same prompt again writes nothing.
    expect(w.setSystem('Answer in French.')).toBe(false);
    w.close();
    const loaded = loadSession(dir, w.id);
    expect(loaded.header.system).toBe('Be brief.');
    expect(loaded.system).toBe('Answer in French.');
    expect(loaded.damaged).toBe(false);
    expect(loaded.problems).toEqual([]);
    expect(listSessions(dir)[0]!.damaged).toBe(false);
    // Removed (/system off) is saved too.
    const again = openSessionForWriting(dir, w.id);
    again.writer!.setSystem(null);
    again.writer!.close();
    expect(loadSession(dir, w.id).system).toBeNull();
  });

  it('exports show the system prompt in effect', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: MODEL, system: null });
    w.appendUser({ role: 'user', id: 'u1', text: 'hi', createdAt: 1 });
    w.setSystem('Talk like a pirate.');
    w.close();
    const loaded = loadSession(dir, w.id);
    expect(JSON.parse(exportJson(loaded)).system).toBe('Talk like a pirate.');
    expect(exportMarkdown(loaded)).toContain('Talk like a pirate.');
  });

  function control(dir: string) {
    const client = new Anthropic({ apiKey: 'sk-ant-test-system', baseURL: server.url, maxRetries: 0 });
    const engine = new ChatEngine({ api: messagesApi(client), model: MODEL, maxTokens: 256, system: null, maxRetries: 0 });
    const recorder = new SessionRecorder({ dir, model: MODEL, system: null, redactor: NO_SECRETS });
    return { engine, control: new SessionControl(engine, { dir, model: MODEL, system: null, redactor: NO_SECRETS }, recorder) };
  }

  it('/system in the chat (before and after the first prompt) is saved; /resume brings it back', async () => {
    const dir = tempDir();
    const { engine, control: c } = control(dir);
    engine.configure({ system: 'First system.' });
    server.enqueue({ kind: 'sse', body: sseForText('ok', { model: MODEL }) });
    engine.send('hello');
    await engine.settled();
    engine.configure({ system: 'Second system.' });
    const id = c.status().id!;
    expect(loadSession(dir, id).header.system).toBe('First system.');
    expect(loadSession(dir, id).system).toBe('Second system.');
    // Another conversation with another system prompt, then back.
    await c.newConversation();
    engine.configure({ system: null });
    expect((await c.open(id)).ok).toBe(true);
    expect(engine.settings.system).toBe('Second system.');
    // The next request carries it.
    server.enqueue({ kind: 'sse', body: sseForText('ok again', { model: MODEL }) });
    const from = server.requests.length;
    engine.send('still there?');
    await engine.settled();
    const body = server.requests.slice(from).find((r) => r.path === '/v1/messages')!.body as { system?: unknown };
    expect(JSON.stringify(body.system)).toContain('Second system.');
    c.close();
  });
});
