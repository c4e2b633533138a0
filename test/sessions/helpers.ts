import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { conversationReducer, initialConversation, type ConversationState } from '../../src/domain/conversation.js';
import type { AssistantMessage, Message } from '../../src/domain/types.js';
import type { SessionWriter } from '../../src/sessions/store.js';
import { fixtureEvents } from '../helpers/fixtures.js';

const made: string[] = [];

/** A fresh sessions directory under the OS temp dir, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inkwell-sessions-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The reply with this id in a conversation. */
export function reply(state: ConversationState | { messages: Message[] }, id: string): AssistantMessage {
  const m = state.messages.find((x) => x.id === id);
  if (m?.role !== 'assistant') throw new Error(`no reply ${id}`);
  return m;
}

/**
 * One turn as the UI drives it: the prompt is sent (appendUser), the recorded stream arrives one
 * event per frame (checkpoint after every frame), and the reply ends (appendAssistant) — or, with
 * `stopAfter`, the stream is cut after that many events and nothing more is written (a crash).
 * @returns the conversation after the turn
 */
export function streamTurn(
  state: ConversationState,
  writer: SessionWriter | null,
  n: number,
  fixture: string,
  opts: { stopAfter?: number; abortAfter?: number; at?: number } = {},
): ConversationState {
  const at = opts.at ?? n * 10_000;
  let s = conversationReducer(state, {
    type: 'user_sent',
    userId: `u${n}`,
    assistantId: `a${n}`,
    text: `Prompt number ${n}: tell me about ${fixture}`,
    model: 'claude-sonnet-4-5',
    at,
  });
  const user = s.messages[s.messages.length - 2]!;
  if (user.role === 'user') writer?.appendUser(user);
  const events = fixtureEvents(fixture);
  const limit = opts.stopAfter ?? opts.abortAfter ?? events.length;
  for (let i = 0; i < limit && i < events.length; i++) {
    s = conversationReducer(s, { type: 'stream_events', id: `a${n}`, events: [events[i]!], at: at + i + 1 });
    writer?.checkpoint(reply(s, `a${n}`));
  }
  if (opts.stopAfter !== undefined) return s;
  if (opts.abortAfter !== undefined) {
    s = conversationReducer(s, { type: 'stream_aborted', id: `a${n}`, reason: 'you pressed Esc', at: at + 5000 });
  } else {
    s = conversationReducer(s, { type: 'stream_completed', id: `a${n}`, requestId: `req_${n}`, at: at + 5000 });
  }
  const last = s.messages.find((m) => m.id === `a${n}`);
  if (last?.role === 'assistant') writer?.appendAssistant(last);
  for (const m of s.messages) if (m.role === 'notice' && !state.messages.includes(m)) writer?.appendNotice(m);
  return s;
}

export { initialConversation };

let bundled: Promise<string> | null = null;

/**
 * src/sessions bundled by esbuild into one ESM file that a plain `node` child can import, so
 * crash and multi-process tests run the real code in a real separate process.
 * @returns path of the bundle (built once per test file)
 */
export function sessionsBundle(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'inkwell-sessions-bundle-'));
    const outfile = path.join(outDir, 'sessions.mjs');
    await build({
      entryPoints: [path.resolve(import.meta.dirname, '../../src/sessions/index.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return outfile;
  })();
  return bundled;
}
