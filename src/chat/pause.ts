import { isLegacyReply, resumableContent } from '../domain/blocks.js';
import { toApiMessages, type ApiMessage } from '../domain/conversation.js';
import type { AssistantMessage, Message } from '../domain/types.js';

/**
 * Resuming a paused turn (`stop_reason: "pause_turn"`): the API stops a long server-tool turn
 * (many web searches) part-way and expects the very same request again with the paused assistant
 * content as the last message, unchanged; the model then carries on where it paused
 * (docs/WEB.md, "pause_turn"). The new blocks are appended to the same reply
 * (domain/conversation.ts `composeContinuation` with the `pause_turn` strategy).
 */

/** Paused turns resumed automatically in a row before inkwell stops and says so (the `webPauseContinues` setting's default). */
export const DEFAULT_PAUSE_CONTINUES = 5;

/** What to do when a reply ends: resume it, stop (the limit is reached), or nothing (it was not paused). */
export type PauseDecision = 'resume' | 'limit' | null;

/**
 * Whether a reply that just ended should be resumed.
 * @param reply the reply as it ended (null when it is gone)
 * @param resumed pause_turn resumptions already made since the user's prompt
 * @param limit how many are allowed in a row
 */
export function pauseDecision(reply: AssistantMessage | null, resumed: number, limit: number): PauseDecision {
  if (reply?.status !== 'complete' || reply.stop_reason !== 'pause_turn') return null;
  return resumed < limit ? 'resume' : 'limit';
}

/**
 * The messages of the resuming request: the history up to and including the paused reply, whose
 * content goes back as the API sent it (every `server_tool_use` and result block byte for byte),
 * as the last message.
 * @param messages the conversation
 * @param id the paused reply's id
 * @returns the messages, or null when the reply is not found or has nothing to send
 */
export function resumeMessages(messages: readonly Message[], id: string): ApiMessage[] | null {
  const index = messages.findIndex((m) => m.id === id);
  const reply = messages[index];
  if (reply?.role !== 'assistant' || isLegacyReply(reply)) return null;
  const content = resumableContent(reply);
  const out = toApiMessages(messages.slice(0, index));
  if (content.length === 0 || out.at(-1)?.role !== 'user') return null;
  return [...out, { role: 'assistant', content }];
}

/** The line shown when the limit stops the resumptions. */
export function pauseLimitNotice(limit: number): string {
  const times = (n: number): string => `${n} time${n === 1 ? '' : 's'}`;
  return `The server paused this reply ${times(limit + 1)} in a row (long web research); inkwell resumed it ${times(limit)} and stopped there (the webPauseContinues setting). /continue carries it on.`;
}
