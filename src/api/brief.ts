import type Anthropic from '@anthropic-ai/sdk';
import type { Usage } from '../domain/types.js';
import { usageFromWire } from '../domain/usage.js';

/** A small one-shot request beside the conversation (a session title): one prompt, text back. */
export interface BriefParams {
  model: string;
  /** Output cap, in tokens (`max_tokens`). */
  maxTokens: number;
  /** System prompt. */
  system: string;
  /** The single user message. */
  prompt: string;
}

/** What a brief request gave: its text blocks joined, the model that answered, and its usage (tokens). */
export type BriefOutcome = { ok: true; text: string; model: string; usage: Usage } | { ok: false; reason: string };

/** Longest a brief request may take, in ms, before it is given up. */
export const BRIEF_TIMEOUT_MS = 20_000;

/**
 * Sends one non-streaming `POST /v1/messages` (SDK `client.messages.create`, no `stream`) with no
 * retries and a {@link BRIEF_TIMEOUT_MS} timeout; docs/PROTOCOL.md §1 (the request body). The
 * answer's text blocks are joined as they are: the caller sanitises them (model output).
 * @param signal aborts the request
 * @returns the text, model and usage, or why not (status or error message; never the key)
 * @throws never
 */
export async function briefRequest(client: Anthropic, params: BriefParams, signal?: AbortSignal): Promise<BriefOutcome> {
  try {
    const message = await client.messages.create(
      {
        model: params.model,
        max_tokens: params.maxTokens,
        system: params.system,
        messages: [{ role: 'user', content: params.prompt }],
      },
      { maxRetries: 0, timeout: BRIEF_TIMEOUT_MS, ...(signal ? { signal } : {}) },
    );
    const text = message.content
      .map((b) => (b.type === 'text' ? b.text : ''))
      .join('')
      .trim();
    return { ok: true, text, model: typeof message.model === 'string' ? message.model : params.model, usage: usageFromWire(message.usage) };
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    return { ok: false, reason: typeof status === 'number' ? `HTTP ${status}` : e instanceof Error ? e.name : 'failed' };
  }
}
