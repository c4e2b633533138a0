import { ZERO_USAGE } from '../../src/domain/usage.js';
import type { AssistantMessage, UserMessage } from '../../src/domain/types.js';
import { createSession, type SessionWriter } from '../../src/sessions/index.js';

/** A finished reply with one text block. */
export function textReply(id: string, text: string, at: number): AssistantMessage {
  return {
    role: 'assistant',
    id,
    model: 'claude-sonnet-4-5',
    content: [{ type: 'text', text, citations: null } as unknown as AssistantMessage['content'][number]],
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    usage: { ...ZERO_USAGE, input_tokens: 10, output_tokens: 20 },
    usageFinal: true,
    status: 'complete',
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: at,
    firstTokenAt: at,
    endedAt: at,
  };
}

/** A prompt. */
export function prompt(id: string, text: string, at: number): UserMessage {
  return { role: 'user', id, text, createdAt: at };
}

/**
 * Writes a session through the real writer: `turns` as [prompt, reply] texts, the clock starting
 * at `at` and moving 1 s per message. @returns the writer, closed
 */
export function writeSession(dir: string, turns: Array<[string, string]>, at: number, title: string | null = null): SessionWriter {
  let t = at;
  const w = createSession(dir, { model: 'claude-sonnet-4-5', system: null, title }, { now: () => t });
  turns.forEach(([p, r], i) => {
    t += 1000;
    w.appendUser(prompt(`u${i}`, p, t));
    t += 1000;
    w.appendAssistant(textReply(`a${i}`, r, t));
  });
  w.close();
  return w;
}
