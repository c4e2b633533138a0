import Anthropic from '@anthropic-ai/sdk';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesApi } from '../../src/api/port.js';
import { WEB_FETCH_BETA, WEB_OFF, type WebToolsSetting } from '../../src/api/server-tools.js';
import { ChatEngine } from '../../src/chat/engine.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { startMessagesServer } from '../../src/server/index.js';
import { FIXTURES, fixtureWireEvents } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

const WEB: WebToolsSetting = { ...WEB_OFF, on: true };
const sse = (name: string) => ({ kind: 'sse' as const, path: path.join(FIXTURES, name), chunkBytes: 4096 });

interface Sent {
  body: string;
  headers: Headers;
}

function recordingEngine(overrides: Partial<ConstructorParameters<typeof ChatEngine>[0]> = {}) {
  const sent: Sent[] = [];
  const record: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string' && String(input).endsWith('/v1/messages'))
      sent.push({ body: init.body, headers: new Headers(init.headers) });
    return fetch(input, init);
  };
  const client = new Anthropic({ apiKey: 'sk-ant-test-secret-1234', baseURL: server.url, maxRetries: 0, fetch: record });
  const engine = new ChatEngine({ api: messagesApi(client), model: 'claude-sonnet-4-5', maxTokens: 8192, system: null, ...overrides });
  return { engine, sent };
}

/** The content blocks a fixture's stream builds, accumulated here independently of inkwell's reducer. */
function fixtureContent(name: string): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  const json: string[] = [];
  for (const e of fixtureWireEvents(name)) {
    const i = e.index as number;
    if (e.type === 'content_block_start') {
      blocks[i] = { ...(e.content_block as Record<string, unknown>) };
      json[i] = '';
    } else if (e.type === 'content_block_delta') {
      const d = e.delta as Record<string, string> & { citation?: unknown };
      const b = blocks[i]!;
      if (d.type === 'text_delta') b.text = (b.text as string) + d.text;
      if (d.type === 'thinking_delta') b.thinking = (b.thinking as string) + d.thinking;
      if (d.type === 'signature_delta') b.signature = d.signature;
      if (d.type === 'citations_delta') b.citations = [...((b.citations as unknown[]) ?? []), d.citation];
      if (d.type === 'input_json_delta') json[i] = (json[i] ?? '') + d.partial_json;
    } else if (e.type === 'content_block_stop' && json[i]) blocks[i]!.input = JSON.parse(json[i]!);
  }
  return blocks;
}

const lastMessage = (s: Sent) => (JSON.parse(s.body) as { messages: { role: string; content: unknown }[] }).messages.at(-1)!;

describe('web search and web fetch on a request', () => {
  it('offers both tools with the web fetch beta when on, and neither when off', async () => {
    const { engine, sent } = recordingEngine({ web: { ...WEB, maxUses: 3, allowedDomains: ['example.com'] } });
    server.enqueue(sse('01-text-short-sonnet45.sse'), sse('01-text-short-sonnet45.sse'));
    engine.send('hi');
    await engine.settled();
    const tools = JSON.parse(sent[0]!.body).tools;
    expect(tools).toEqual([
      { type: 'web_search_20250305', name: 'web_search', max_uses: 3, allowed_domains: ['example.com'] },
      { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 3, allowed_domains: ['example.com'], citations: { enabled: true } },
    ]);
    expect(sent[0]!.headers.get('anthropic-beta')).toContain(WEB_FETCH_BETA);
    engine.configure({ web: WEB_OFF });
    engine.send('again');
    await engine.settled();
    expect(JSON.parse(sent[1]!.body).tools).toBeUndefined();
    expect(sent[1]!.headers.get('anthropic-beta') ?? '').not.toContain(WEB_FETCH_BETA);
  });

  it('a server that refuses the tools turns the web off for it with one line, and the prompt is answered', async () => {
    const local = await startMessagesServer({ serverTools: false });
    try {
      let remembered = 0;
      const client = new Anthropic({ apiKey: 'sk-ant-test-secret-1234', baseURL: local.url, maxRetries: 0 });
      const engine = new ChatEngine({
        api: messagesApi(client),
        model: 'claude-sonnet-4-5',
        maxTokens: 1024,
        system: null,
        web: WEB,
        onWebRejected: () => remembered++,
      });
      local.enqueue(sse('01-text-short-sonnet45.sse'));
      engine.send('hi');
      expect((await engine.settled())?.ok).toBe(true);
      const bodies = local.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as { tools?: unknown });
      expect(bodies).toHaveLength(2);
      expect(bodies[0]!.tools).toBeDefined();
      expect(bodies[1]!.tools).toBeUndefined();
      expect(remembered).toBe(1);
      expect(engine.effectiveWeb.on).toBe(false);
      const notices = engine.getState().messages.filter((m) => m.role === 'notice');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.role === 'notice' && notices[0]!.text).toMatch(/does not offer web search.*web is off/);
    } finally {
      await local.close();
    }
  });
});

describe('pause_turn', () => {
  it('is resumed by itself: the paused content goes back unchanged as the last message, and the reply goes on in the same message', async () => {
    const { engine, sent } = recordingEngine({ web: WEB, thinking: { mode: 'on', budgetTokens: 4096, effort: null } });
    server.enqueue(sse('16-pause-turn-web-search-sonnet45.sse'), { kind: 'resume' });
    engine.send('research San Francisco');
    await engine.settled();
    expect(sent).toHaveLength(2);
    const paused = fixtureContent('16-pause-turn-web-search-sonnet45.sse');
    const resume = lastMessage(sent[1]!);
    expect(resume.role).toBe('assistant');
    // Byte for byte: the same fields in the same order, every encrypted_content and signature.
    expect(JSON.stringify(resume.content)).toBe(JSON.stringify(paused));
    // The same request otherwise: the tools are offered again.
    expect(JSON.parse(sent[1]!.body).tools).toEqual(JSON.parse(sent[0]!.body).tools);

    const replies = engine.getState().messages.filter((m): m is AssistantMessage => m.role === 'assistant');
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.status).toBe('complete');
    expect(reply.stop_reason).toBe('end_turn');
    // The continuation opens with the result of the search the turn paused on.
    const pending = paused.at(-1)!;
    expect(reply.content[paused.length]).toMatchObject({ type: 'web_search_tool_result', tool_use_id: pending.id });
    // …and its text follows as a block of its own, nothing stitched onto the paused part.
    expect(reply.content.length).toBe(paused.length + 2);
    expect(reply.content.at(-1)).toMatchObject({ type: 'text', text: 'The research is complete.' });
    const both = reply.content;
    expect(JSON.stringify(both.slice(0, paused.length))).toBe(JSON.stringify(paused));
    // Both parts' searches are counted (10 + 1).
    expect(reply.usage.server_tool_use?.web_search_requests).toBe(11);

    // The next turn echoes every block of both parts (blank text blocks aside, as the API refuses them).
    server.enqueue(sse('01-text-short-sonnet45.sse'));
    engine.send('thanks');
    await engine.settled();
    const history = JSON.parse(sent[2]!.body).messages as { role: string; content: unknown }[];
    const echoed = history[1]!;
    expect(echoed.role).toBe('assistant');
    const expected = both.filter((b) => b.type !== 'text' || String(b.text).trim() !== '');
    expect(JSON.stringify(echoed.content)).toBe(JSON.stringify(expected));
  });

  it('stops after the limit with a line saying why, and /continue resumes it', async () => {
    const { engine, sent } = recordingEngine({ web: WEB, pauseContinues: 0, thinking: { mode: 'on', budgetTokens: 4096, effort: null } });
    server.enqueue(sse('16-pause-turn-web-search-sonnet45.sse'));
    engine.send('research');
    await engine.settled();
    expect(sent).toHaveLength(1);
    const notice = engine.getState().messages.at(-1)!;
    expect(notice.role === 'notice' && notice.text).toMatch(/paused this reply 1 time in a row.*resumed it 0 times.*\/continue/);
    expect(engine.continueBlocker()).toBeNull();
    // Nothing queued: the server resumes the paused turn by itself, as the API does.
    expect(server.pending()).toBe(0);
    expect(engine.continueReply()).toBe(true);
    await engine.settled();
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(lastMessage(sent[1]!).content)).toBe(JSON.stringify(fixtureContent('16-pause-turn-web-search-sonnet45.sse')));
    const replies = engine.getState().messages.filter((m): m is AssistantMessage => m.role === 'assistant');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.stop_reason).toBe('end_turn');
  });

  it('a continuation that fails keeps the partial and offers /continue', async () => {
    const { engine } = recordingEngine({ web: WEB, thinking: { mode: 'on', budgetTokens: 4096, effort: null } });
    server.enqueue(sse('16-pause-turn-web-search-sonnet45.sse'), {
      kind: 'http',
      status: 400,
      body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'something went wrong' } }),
    });
    engine.send('research');
    await engine.settled();
    const reply = engine.getState().messages.find((m): m is AssistantMessage => m.role === 'assistant')!;
    expect(reply.content.length).toBe(fixtureContent('16-pause-turn-web-search-sonnet45.sse').length);
    expect(engine.continueBlocker()).toBeNull();
  });
});
