import type Anthropic from '@anthropic-ai/sdk';
import { streamTurn } from '../api/stream.js';
import { applyStreamEvents } from '../domain/accumulate.js';
import type { AssistantMessage, WireStreamEvent } from '../domain/types.js';
import { ZERO_USAGE } from '../domain/usage.js';

/** How print mode writes the reply. */
export type OutputFormat = 'text' | 'json' | 'stream-json';

/** Inputs of one print-mode run. */
export interface PrintOptions {
  client: Anthropic;
  model: string;
  /** `max_tokens`, in tokens. */
  maxTokens: number;
  system: string | null;
  prompt: string;
  format: OutputFormat;
  /** Where the reply goes (stdout): nothing else is written there. */
  out: NodeJS.WritableStream;
  /** Where errors go (stderr). */
  err: NodeJS.WritableStream;
  signal?: AbortSignal;
  secrets?: readonly (string | null)[];
}

/**
 * The final message in the Messages API's own shape, for `--output-format json`.
 * Text and thinking blocks keep their text; tool blocks keep their parsed input.
 */
function toApiShape(m: AssistantMessage): Record<string, unknown> {
  return {
    id: m.apiId,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content: m.content.map((b) => {
      switch (b.type) {
        case 'text':
          return { type: 'text', text: b.text, ...(b.citations.length ? { citations: b.citations } : {}) };
        case 'thinking':
          return { type: 'thinking', thinking: b.thinking, signature: b.signature };
        case 'redacted_thinking':
          return { type: 'redacted_thinking', data: b.data };
        case 'tool_use':
        case 'server_tool_use':
          return { type: b.type, id: b.id, name: b.name, input: b.input };
        case 'tool_result':
          return { type: b.wireType, tool_use_id: b.toolUseId };
        case 'unknown':
          return { type: b.wireType };
      }
    }),
    stop_reason: m.stop_reason,
    stop_sequence: m.stop_sequence,
    ...(m.stop_details ? { stop_details: m.stop_details } : {}),
    usage: m.usage,
    request_id: m.requestId,
  };
}

/**
 * Print mode (`inkwell -p`): streams one reply to `out` as it arrives — in `text` format each
 * text delta is written the moment it is parsed, nothing else; `stream-json` writes one wire
 * event per line; `json` writes the final message with usage once. Errors go to `err` in plain
 * words.
 * @returns the process exit code: 0 on a complete reply, 1 on any failure (the partial text
 *   already written stays written)
 * @throws never
 */
export async function runPrint(o: PrintOptions): Promise<number> {
  const now = Date.now();
  let message: AssistantMessage = {
    role: 'assistant',
    id: 'print',
    model: o.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: { ...ZERO_USAGE },
    usageFinal: false,
    status: 'waiting',
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: now,
    firstTokenAt: null,
    endedAt: null,
  };
  let endsWithNewline = true;
  const onEvent = (e: WireStreamEvent) => {
    message = applyStreamEvents(message, [e], Date.now());
    if (o.format === 'stream-json') {
      o.out.write(`${JSON.stringify(e)}\n`);
    } else if (o.format === 'text' && e.type === 'content_block_delta') {
      const delta = e.delta as { type?: string; text?: unknown } | undefined;
      if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text.length > 0) {
        o.out.write(delta.text);
        endsWithNewline = delta.text.endsWith('\n');
      }
    }
  };
  const controller = new AbortController();
  o.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const outcome = await streamTurn(
    o.client,
    { model: o.model, maxTokens: o.maxTokens, system: o.system, messages: [{ role: 'user', content: o.prompt }] },
    { onEvent, onRequestId: (id) => (message = { ...message, requestId: id }) },
    controller.signal,
    o.secrets ?? [],
  );
  if (o.format === 'json') {
    o.out.write(`${JSON.stringify(toApiShape(message), null, 2)}\n`);
  }
  if (!outcome.ok) {
    if (o.format === 'text' && !endsWithNewline) o.err.write('\n');
    o.err.write(`inkwell: ${outcome.failure.message}\n`);
    return 1;
  }
  if (message.stop_reason === 'max_tokens') {
    o.err.write(`${endsWithNewline ? '' : '\n'}inkwell: the reply stopped at max_tokens (${o.maxTokens}); raise --max-tokens for a longer one.\n`);
  } else if (message.stop_reason === 'refusal') {
    o.err.write(`inkwell: Claude declined to answer${message.stop_details?.explanation ? `: ${message.stop_details.explanation}` : '.'}\n`);
  }
  return 0;
}
