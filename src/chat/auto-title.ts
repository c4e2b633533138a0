import type { MessagesApi } from '../api/port.js';
import type { SideRequest } from '../domain/cost.js';
import type { AssistantMessage } from '../domain/types.js';
import type { DebugLog } from './debug-log.js';

/**
 * A session title written by a small model after the first reply (setting `autoTitle`): one
 * non-streaming request through the {@link MessagesApi} port, beside the conversation. The answer
 * is model output: the session writer sanitises it (sessions/title.ts `sanitizeAutoTitle`) and
 * refuses it when the user has given a title, even one given while the request was in flight.
 */

/** The instruction the title request carries (the local server's demo model recognises it). */
export const TITLE_SYSTEM =
  'You name chat sessions. Reply with only a short title (2 to 6 words) for the conversation below: no quotes, no full stop, no markdown.';

/** `max_tokens` of a title request. */
export const TITLE_MAX_TOKENS = 24;

/** Characters of the prompt and of the reply sent with a title request (each). */
export const TITLE_EXCERPT_CHARS = 2000;

/** The default small model titles are asked of (setting `titleModel`). */
export const DEFAULT_TITLE_MODEL = 'claude-haiku-4-5';

/** Asks for a title: given the first prompt and reply, a title and what it cost, or null (debug-logged). */
export type TitleRequester = (first: {
  prompt: string;
  reply: AssistantMessage;
}) => Promise<{ title: string; request: SideRequest } | null>;

function excerpt(text: string): string {
  return text.length > TITLE_EXCERPT_CHARS ? `${text.slice(0, TITLE_EXCERPT_CHARS)}…` : text;
}

/** The reply's text blocks, joined. */
function replyText(reply: AssistantMessage): string {
  return reply.content
    .map((b) => (b.type === 'text' && typeof (b as { text?: unknown }).text === 'string' ? (b as { text: string }).text : ''))
    .join('\n')
    .trim();
}

/** The user message of a title request: the first prompt and reply, cut to {@link TITLE_EXCERPT_CHARS} each. */
export function titlePrompt(prompt: string, reply: string): string {
  return `<prompt>\n${excerpt(prompt)}\n</prompt>\n<reply>\n${excerpt(reply)}\n</reply>`;
}

/**
 * A {@link TitleRequester} over the API port.
 * @param o.model the small model asked (`titleModel`)
 * @param o.log where a failed request is noted (the debug log: never the screen)
 */
export function titleRequester(o: { api: MessagesApi; model: string; log: DebugLog }): TitleRequester {
  return async ({ prompt, reply }) => {
    const outcome = await o.api.brief({
      model: o.model,
      maxTokens: TITLE_MAX_TOKENS,
      system: TITLE_SYSTEM,
      prompt: titlePrompt(prompt, replyText(reply)),
    });
    if (!outcome.ok) {
      o.log('auto_title_failed', { model: o.model, reason: outcome.reason });
      return null;
    }
    o.log('auto_title', { model: outcome.model, output_tokens: outcome.usage.output_tokens });
    return { title: outcome.text, request: { model: outcome.model, usage: outcome.usage } };
  };
}
