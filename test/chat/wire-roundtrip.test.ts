// Every block the API sent goes back byte for byte on the next request: recorded streams are
// replayed by the local server through the real path (SDK → api/stream.ts → engine → reducer),
// the next request's body is read off the server, and its assistant content is compared with the
// blocks assembled from the recording by a small accumulator of this test's own. Then again after
// the session was saved (by the real recorder) and loaded.
import Anthropic from '@anthropic-ai/sdk';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesApi } from '../../src/api/port.js';
import { ChatEngine } from '../../src/chat/engine.js';
import { SessionRecorder } from '../../src/chat/recorder.js';
import { toApiMessages } from '../../src/domain/conversation.js';
import { NO_SECRETS } from '../../src/domain/redact.js';
import { startMessagesServer } from '../../src/server/index.js';
import { loadSession } from '../../src/sessions/load.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { provide } from '../helpers/lifecycle.js';
import { tempDir } from '../sessions/helpers.js';

const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);

type Json = Record<string, unknown>;

/**
 * The content blocks a recording describes, assembled independently of the app: each block as its
 * content_block_start sent it, text and thinking appended, the signature set, citations appended,
 * tool input parsed from its fragments at the block's stop, compaction content set.
 */
function blocksOfRecording(name: string): Json[] {
  const raw = readFileSync(path.join(FIXTURES, name), 'utf8');
  const blocks: Json[] = [];
  const json: string[] = [];
  for (const frame of raw.split('\n\n')) {
    const line = frame.split('\n').find((l) => l.startsWith('data:'));
    if (!line) continue;
    const e = JSON.parse(line.slice(5)) as Json;
    const i = e.index as number;
    if (e.type === 'content_block_start') {
      blocks[i] = { ...(e.content_block as Json) };
      json[i] = '';
    } else if (e.type === 'content_block_delta') {
      const d = e.delta as Json;
      const b = blocks[i]!;
      if (d.type === 'text_delta') b.text = (b.text as string) + (d.text as string);
      else if (d.type === 'thinking_delta') b.thinking = (b.thinking as string) + (d.thinking as string);
      else if (d.type === 'signature_delta') b.signature = d.signature;
      else if (d.type === 'citations_delta') b.citations = [...((b.citations as unknown[] | null) ?? []), d.citation];
      else if (d.type === 'input_json_delta') json[i] += d.partial_json as string;
      else if (d.type === 'compaction_delta') b.content = d.content;
    } else if (e.type === 'content_block_stop' && json[i]) {
      blocks[i]!.input = JSON.parse(json[i]!);
    }
  }
  return blocks;
}

/** What the API must get back: every block, minus the whitespace-only text blocks it refuses. */
function expectedBack(name: string): string[] {
  const blocks = blocksOfRecording(name);
  const answered = new Set<unknown>(blocks.map((b) => b.tool_use_id));
  return (
    blocks
      .filter((b) => !(b.type === 'text' && (b.text as string).trim() === ''))
      // A paused turn's last search, never resumed, has no result: the API refuses it in a later request.
      .filter((b) => !(b.type === 'server_tool_use' && !answered.has(b.id as string)))
      .map((b) => JSON.stringify(b))
  );
}

const ROUND_TRIP = [
  '06-thinking-budget-sonnet45.sse',
  '07-adaptive-thinking-opus46.sse',
  '09-thinking-omitted-signature-only-sonnet5.sse',
  '10-redacted-thinking-sonnet45.sse',
  '15-web-search-citations-opus41.sse',
  '16-pause-turn-web-search-sonnet45.sse',
  '03-text-long-markdown-compaction-opus46.sse',
];

describe('replies go back to the API exactly as it sent them', () => {
  it.each(ROUND_TRIP)('%s: the next request carries every block unchanged, also after save and load', async (name) => {
    const dir = tempDir();
    const client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const sink = new SessionRecorder({ dir, model: 'claude-sonnet-4-6', system: null, redactor: NO_SECRETS });
    // pauseContinues 0: fixture 16's pause_turn is left as it is (chat/web.test.ts covers resuming it).
    const engine = new ChatEngine({
      api: messagesApi(client),
      model: 'claude-sonnet-4-6',
      maxTokens: 1024,
      system: null,
      sink,
      pauseContinues: 0,
    });
    server.enqueue(
      { kind: 'sse', path: path.join(FIXTURES, name) },
      { kind: 'sse', path: path.join(FIXTURES, '01-text-short-sonnet45.sse') },
    );
    engine.send('first');
    expect((await engine.settled())?.ok).toBe(true);
    const before = server.requests.length;
    engine.send('second');
    expect((await engine.settled())?.ok).toBe(true);

    const want = expectedBack(name);
    const body = server.requests.slice(before).find((r) => r.path === '/v1/messages')!.body as { messages: Json[] };
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const sent = body.messages[1]!.content as Json[];
    expect(sent.map((b) => JSON.stringify(b))).toEqual(want);

    // Saved as it streamed (checkpoints, then the final record), then loaded: the same blocks go back.
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const loaded = loadSession(dir, files[0]!.replace(/\.jsonl$/, ''));
    expect(loaded.problems).toEqual([]);
    const again = toApiMessages(loaded.messages);
    expect((again[1]!.content as Json[]).map((b) => JSON.stringify(b))).toEqual(want);
    expect(JSON.stringify(again)).toBe(JSON.stringify(toApiMessages(engine.getState().messages)));
  });

  it('the test’s own accumulator sees what the fixtures hold (signatures, redacted data, encrypted results, citations, compaction)', () => {
    const all = ROUND_TRIP.flatMap((n) => blocksOfRecording(n));
    expect(all.some((b) => b.type === 'thinking' && (b.signature as string).length > 0 && b.thinking === '')).toBe(true);
    expect(all.some((b) => b.type === 'redacted_thinking' && (b.data as string).length > 0)).toBe(true);
    expect(all.some((b) => b.type === 'web_search_tool_result' && JSON.stringify(b).includes('encrypted_content'))).toBe(true);
    expect(all.some((b) => b.type === 'text' && JSON.stringify(b.citations ?? []).includes('encrypted_index'))).toBe(true);
    expect(all.some((b) => b.type === 'compaction' && typeof b.content === 'string')).toBe(true);
    expect(all.some((b) => b.type === 'server_tool_use' && Object.keys(b.input as Json).length > 0)).toBe(true);
  });
});
