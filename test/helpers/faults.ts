/**
 * Helpers for the fault-injection suites (test/faults): a fresh local Messages API server per test,
 * the app in a pty pointed at it, hand-built SSE streams, the saved session, and the checks every
 * fault test ends with ("the app still takes input", "the session holds every message").
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect } from 'vitest';
import {
  encodeEvent,
  messageStartEvent,
  sseForText,
  startMessagesServer,
  type MessagesServer,
  type RecordedRequest,
  type Scenario,
} from '../../src/server/index.js';
import { listSessions, loadSession, type LoadedSession } from '../../src/sessions/index.js';
import type { AssistantMessage, Message, NoticeMessage, UserMessage } from '../../src/domain/types.js';
import { KEYS, spawnApp, type AppInPty, type SpawnOptions } from './pty.js';
import { UNSENT_MARK } from '../../src/transcript/layout.js';
import { spawnAppWithTerm } from './pty-term.js';

/** A distinctive API key: the secrets test greps for it everywhere. */
export const API_KEY = 'sk-ant-api03-FAULTS-Zq8rW2xYv7Lk3Nm9Pp4Tt6Uu1Ss5Rr0-secretTAIL';

/** Shown in the prompt line while the app is idle and ready for a new prompt. */
export const READY = 'Ask Claude';

/** The model every fault test asks for (its window is known to the local server). */
export const MODEL = 'claude-sonnet-5-5';

/** Plain text of everything the app ever wrote (escape sequences removed). */
export function rawText(app: AppInPty): string {
  return stripVTControlCharacters(app.raw());
}

/** The screen with runs of whitespace collapsed: wrapped sentences can be matched whole. */
export function flat(screen: string): string {
  return screen.replace(/\s+/g, ' ');
}

/** The `POST /v1/messages` requests the server has seen. */
export function messagePosts(server: MessagesServer): RecordedRequest[] {
  return server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
}

/** Sleeps `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One server and the apps started against it; `close()` in afterEach. */
export interface Rig {
  server: MessagesServer;
  /** Starts the app (chat mode) against this rig's server and waits until it takes input (`ready`: what to wait for). */
  start(o?: SpawnOptions & { ready?: boolean | string | RegExp; term?: string }): Promise<AppInPty>;
  /** Kills the apps, stops the server and removes the apps' INKWELL_HOME directories. */
  close(): Promise<void>;
}

/** A fresh local server (demo model by default) and a launcher of apps that use it. */
export async function rig(): Promise<Rig> {
  const server = await startMessagesServer();
  const apps: AppInPty[] = [];
  return {
    server,
    async start(o = {}) {
      const spawnOptions: SpawnOptions = {
        cols: 100,
        rows: 40,
        ...o,
        args: o.args ?? ['--model', MODEL],
        env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: server.url, INKWELL_MAX_RETRIES: '2', ...o.env },
      };
      const app = o.term ? spawnAppWithTerm(o.term, spawnOptions) : spawnApp(spawnOptions);
      apps.push(app);
      if (o.ready !== false) await app.waitFor(o.ready === undefined || o.ready === true ? READY : o.ready, 15_000);
      return app;
    },
    async close() {
      for (const a of apps) a.kill();
      await Promise.all(apps.map((a) => a.exited.catch(() => 0)));
      await server.close();
      for (const a of apps) rmSync(a.home, { recursive: true, force: true });
    },
  };
}

/** Types a prompt and presses Enter. */
export function ask(app: AppInPty, prompt: string): void {
  // A prompt that was not sent (a failure before any reply) is back in the editor: Ctrl+U clears
  // it (one line) so the new prompt is typed alone.
  app.type('\x15');
  app.type(prompt);
  app.type(KEYS.enter);
}

/**
 * Waits until no reply is streaming: the prompt says "Ask Claude" or offers to continue, or a
 * prompt that was not sent is back in it (a failure before any reply).
 */
export async function idle(app: AppInPty, timeoutMs = 10_000): Promise<string> {
  return app.waitFor(
    (s) => (/› (Ask Claude|Enter continues)/.test(s) || s.includes(UNSENT_MARK)) && !s.includes('Esc stops the reply') && !s.includes('▍'),
    timeoutMs,
  );
}

let seq = 0;

/**
 * "The app still takes input": sends a new prompt, which the server answers with a short reply
 * carrying a unique marker, and waits for the whole reply on screen.
 * @returns the prompt and the marker, to look for in the session file
 */
export async function stillTakesInput(app: AppInPty, server: MessagesServer): Promise<{ prompt: string; marker: string }> {
  seq += 1;
  const marker = `Recovered-${process.pid}-${seq}`;
  const prompt = `are you back ${seq}`;
  server.enqueue({ kind: 'sse', body: sseForText(`All good again: ${marker}.`, { model: MODEL }) });
  ask(app, prompt);
  await app.waitFor((s) => s.includes(marker) && s.includes(`› ${prompt}`), 15_000);
  await idle(app);
  await savedReply(app.home, marker);
  return { prompt, marker };
}

/**
 * Waits (up to `timeoutMs`) until the saved session's last reply is complete and holds `marker`:
 * the screen can show a finished reply a moment before its record is appended and fsync'd (on a
 * busy disk, several ms). Returns either way; the checks that follow say what is missing.
 */
async function savedReply(home: string, marker: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const dir = path.join(home, 'data', 'sessions');
      const [only] = listSessions(dir);
      const last = only
        ? loadSession(dir, only.id)
            .messages.filter((m): m is AssistantMessage => m.role === 'assistant')
            .at(-1)
        : undefined;
      if (last?.status === 'complete' && replyText(last).includes(marker)) return;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The one session the app saved under `home` (fails the test when there is not exactly one). */
export function savedSession(home: string): LoadedSession {
  const dir = path.join(home, 'data', 'sessions');
  const all = listSessions(dir);
  expect(all.map((s) => s.id)).toHaveLength(1);
  return loadSession(dir, all[0]!.id);
}

/** The text of a reply's text blocks. */
export function replyText(m: AssistantMessage): string {
  return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

/** Messages of a session by role. */
export function byRole(s: LoadedSession): { users: UserMessage[]; replies: AssistantMessage[]; notices: NoticeMessage[]; all: Message[] } {
  return {
    users: s.messages.filter((m): m is UserMessage => m.role === 'user'),
    replies: s.messages.filter((m): m is AssistantMessage => m.role === 'assistant'),
    notices: s.messages.filter((m): m is NoticeMessage => m.role === 'notice'),
    all: s.messages,
  };
}

/**
 * Checks the saved session after a fault and the recovery prompt: the first prompt; the reply to
 * it as the fault left it (`reply`: its status, text and interruption reason; `null`: no reply was
 * kept, as when nothing arrived); the notice that was shown, if any; then the recovery prompt and
 * its complete reply, in that order.
 */
export function expectSessionAfterFault(
  home: string,
  o: {
    prompt: string;
    recovery: { prompt: string; marker: string };
    reply: { status: 'complete' | 'interrupted'; text: string; reason?: RegExp | string } | null;
    notice?: RegExp | string | null;
  },
): LoadedSession {
  const s = savedSession(home);
  const { users, replies, notices } = byRole(s);
  expect(users.map((u) => u.text)).toEqual([o.prompt, o.recovery.prompt]);
  const last = replies.at(-1)!;
  expect(last?.status, `the last saved reply (problems loading the file: ${JSON.stringify(s.problems)})`).toBe('complete');
  expect(replyText(last)).toContain(o.recovery.marker);
  const order = s.messages.map((m) => m.role).filter((r) => r !== 'notice');
  if (o.reply) {
    // On disk in the order shown: prompt, the reply to it, (notices), recovery prompt, its reply.
    expect(order).toEqual(['user', 'assistant', 'user', 'assistant']);
    const first = replies[0]!;
    expect(first.status).toBe(o.reply.status);
    expect(replyText(first)).toBe(o.reply.text);
    if (o.reply.status === 'interrupted') {
      const reason = first.interruption?.reason ?? '';
      if (typeof o.reply.reason === 'string') expect(reason).toBe(o.reply.reason);
      else if (o.reply.reason) expect(reason).toMatch(o.reply.reason);
      else expect(reason).not.toBe('');
    }
  } else {
    expect(order).toEqual(['user', 'user', 'assistant']);
  }
  if (o.notice) {
    const texts = notices.map((n) => n.text);
    const want = o.notice;
    const hit = texts.some((t) => (typeof want === 'string' ? t.includes(want) : want.test(t)));
    expect(hit, `a saved notice matching ${String(want)} among ${JSON.stringify(texts)}`).toBe(true);
  }
  return s;
}

/**
 * Every distinct screen the terminal showed from now on (recorded after each parsed write), so a
 * state that lasts only a few hundred ms, like a short retry wait, can still be asserted on.
 */
export function screenHistory(app: AppInPty): { screens: string[]; seen(match: string | RegExp): boolean; dispose(): void } {
  const screens: string[] = [app.screen()];
  const sub = app.term.onWriteParsed(() => {
    const s = app.screen();
    if (screens[screens.length - 1] !== s) screens.push(s);
  });
  return {
    screens,
    seen: (match) => screens.some((s) => (typeof match === 'string' ? s.includes(match) : match.test(s))),
    dispose: () => sub.dispose(),
  };
}

/** Every file under `dir`, recursively (absolute paths). */
export function walkFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hand-built streams

type Ev = { type: string } & Record<string, unknown>;

/** SSE frames for `events`, in order. */
export function sse(events: Ev[]): string {
  return events.map((e) => encodeEvent(e)).join('');
}

/** `message_start` as the real API sends it (12 input tokens). */
export function messageStart(model = MODEL, id = 'msg_faults01'): Ev {
  return messageStartEvent({ model, id, inputTokens: 12 });
}

/** A text block's start, one text_delta per piece, and (unless `open`) its stop. */
export function textBlock(pieces: string[], index = 0, open = false): Ev[] {
  const out: Ev[] = [{ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }];
  for (const text of pieces) out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
  if (!open) out.push({ type: 'content_block_stop', index });
  return out;
}

/** message_delta (end_turn) and message_stop. */
export function messageEnd(outputTokens = 5): Ev[] {
  return [
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } },
    { type: 'message_stop' },
  ];
}

/** An `event: error` frame. */
export function errorEvent(type: string, message: string, requestId = 'req_011CFAULTINSTREAM000001'): Ev {
  return { type: 'error', error: { details: null, type, message }, request_id: requestId };
}

/** The opening of a reply that is cut off: message_start and an unfinished text block. */
export function partialReply(pieces: string[]): string {
  return sse([messageStart(), ...textBlock(pieces, 0, true)]);
}

/** A complete reply whose text is `pieces` joined, one text_delta per piece. */
export function fullReply(pieces: string[]): string {
  return sse([messageStart(), ...textBlock(pieces), ...messageEnd(pieces.length)]);
}

/** A JSON error body as the API sends it. */
export function errorBody(type: string, message: string, requestId: string, details?: Record<string, unknown>): string {
  return JSON.stringify({ type: 'error', error: { type, message, ...(details ? { details } : {}) }, request_id: requestId });
}

/** An `http` error scenario. */
export function httpError(
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
  details?: Record<string, unknown>,
): Scenario {
  return { kind: 'http', status, headers: { 'request-id': requestId, ...headers }, body: errorBody(type, message, requestId, details) };
}
