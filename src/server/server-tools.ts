/**
 * Server tools on the local server, checked as the API checks them (docs/WEB.md): the web search
 * and web fetch tool definitions, the beta web fetch needs, and the pairing of each
 * `server_tool_use` with its result in the history (a paused turn's last `server_tool_use` may go
 * back without one: that is how a `pause_turn` continuation is asked for).
 */
import { isRecord } from './tokens.js';

/** Tool `type`s the server knows, with the name each must carry and the beta it needs (if any). */
const SERVER_TOOLS: Record<string, { name: string; beta: string | null }> = {
  web_search_20250305: { name: 'web_search', beta: null },
  web_search_20260209: { name: 'web_search', beta: null },
  web_fetch_20250910: { name: 'web_fetch', beta: 'web-fetch-2025-09-10' },
  web_fetch_20260209: { name: 'web_fetch', beta: null },
};

/** Result block type of each server tool name. */
const RESULT_OF: Record<string, string> = { web_search: 'web_search_tool_result', web_fetch: 'web_fetch_tool_result' };

/** How the server treats server tools. */
export interface ServerToolsMode {
  /** False: a gateway without server tools, which answers any request offering one with a 400. */
  enabled: boolean;
}

/**
 * Checks a request's server tools and the server-tool blocks of its history.
 * @param body the parsed request body
 * @param betas the request's `anthropic-beta` header values
 * @param mode whether server tools exist here at all
 * @returns null when the request is fine, else the 400 `invalid_request_error` message
 */
export function serverToolProblem(body: unknown, betas: readonly string[], mode: ServerToolsMode = { enabled: true }): string | null {
  if (!isRecord(body)) return null;
  const tools = body.tools;
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    for (const [i, tool] of tools.entries()) {
      if (!isRecord(tool) || typeof tool.type !== 'string') continue;
      const known = SERVER_TOOLS[tool.type];
      const looksServer = /^web_(search|fetch)_/.test(tool.type);
      if (!looksServer) continue;
      if (!mode.enabled || !known) {
        return `tools.${i}: Input tag '${tool.type}' found using 'type' does not match any of the expected tags: 'custom', 'bash_20250124', 'text_editor_20250124'`;
      }
      if (tool.name !== known.name) return `tools.${i}.name: Input should be '${known.name}'`;
      if (known.beta && !betas.includes(known.beta)) {
        return `tools.${i}: the ${tool.type} tool requires the beta header 'anthropic-beta: ${known.beta}'`;
      }
      if (tool.allowed_domains != null && tool.blocked_domains != null) {
        return `tools.${i}: Only one of allowed_domains or blocked_domains may be specified, not both`;
      }
      if (tool.max_uses != null && !(Number.isInteger(tool.max_uses) && (tool.max_uses as number) >= 1)) {
        return `tools.${i}.max_uses: Input should be greater than or equal to 1`;
      }
      if (tool.user_location != null && !(isRecord(tool.user_location) && tool.user_location.type === 'approximate')) {
        return `tools.${i}.user_location.type: Input should be 'approximate'`;
      }
    }
  }
  return pairingProblem(body.messages);
}

/**
 * Every `server_tool_use` of an assistant message must be followed by its result in the same
 * message, except the last block of the last message (a paused turn sent back to be resumed).
 */
function pairingProblem(messages: unknown): string | null {
  if (!Array.isArray(messages)) return null;
  for (const [mi, m] of messages.entries()) {
    if (!isRecord(m) || m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    const content = m.content as unknown[];
    for (const [bi, b] of content.entries()) {
      if (!isRecord(b) || b.type !== 'server_tool_use' || typeof b.id !== 'string') continue;
      const resumable = mi === messages.length - 1 && bi === content.length - 1;
      if (resumable) continue;
      const resultType = RESULT_OF[String(b.name)] ?? '';
      const paired = content.some((r) => isRecord(r) && r.tool_use_id === b.id && (resultType === '' || r.type === resultType));
      if (!paired) {
        return `messages.${mi}.content.${bi}: \`server_tool_use\` block with id \`${b.id}\` was found without a corresponding \`${resultType || 'server tool result'}\` block after it`;
      }
    }
  }
  return null;
}

/** The pending `server_tool_use` a resume request ends with: its id, tool name and input. */
export function pendingServerToolUse(body: unknown): { id: string; name: string; input: Record<string, unknown> } | null {
  if (!isRecord(body) || !Array.isArray(body.messages)) return null;
  const last = body.messages.at(-1);
  if (!isRecord(last) || last.role !== 'assistant' || !Array.isArray(last.content)) return null;
  const b = last.content.at(-1);
  if (!isRecord(b) || b.type !== 'server_tool_use' || typeof b.id !== 'string' || typeof b.name !== 'string') return null;
  return { id: b.id, name: b.name, input: isRecord(b.input) ? b.input : {} };
}

/**
 * The server's answer to a `pause_turn` continuation, as the API gives it: the result of the
 * pending search (or fetch) first, then a short text citing it, `end_turn`. A request that does
 * not end with a pending `server_tool_use` gets a plain text answer.
 * @param body the parsed request body
 * @param ids the message id to report
 * @returns the SSE body, wire format (docs/PROTOCOL.md §1)
 */
export function resumeEvents(body: unknown, id: string): Array<{ type: string } & Record<string, unknown>> {
  const model = isRecord(body) && typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5';
  const pending = pendingServerToolUse(body);
  const query = typeof pending?.input.query === 'string' ? pending.input.query : 'the web';
  const url =
    pending?.name === 'web_fetch' && typeof pending.input.url === 'string' ? pending.input.url : 'https://example.com/search-result';
  const title = `Result for ${query}`;
  const events: Array<{ type: string } & Record<string, unknown>> = [
    {
      type: 'message_start',
      message: {
        model,
        id,
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
      },
    },
  ];
  let index = 0;
  if (pending) {
    const content =
      pending.name === 'web_fetch'
        ? {
            type: 'web_fetch_result',
            url,
            retrieved_at: '2026-01-01T00:00:00Z',
            content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Fetched.' }, title },
          }
        : [{ type: 'web_search_result', title, url, encrypted_content: `enc-${pending.id}`, page_age: null }];
    const type = pending.name === 'web_fetch' ? 'web_fetch_tool_result' : 'web_search_tool_result';
    events.push(
      { type: 'content_block_start', index, content_block: { type, tool_use_id: pending.id, content } },
      { type: 'content_block_stop', index },
    );
    index++;
  }
  const cited = 'The research is complete.';
  events.push(
    { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: [] } },
    { type: 'content_block_delta', index, delta: { type: 'text_delta', text: cited } },
    ...(pending
      ? [
          {
            type: 'content_block_delta',
            index,
            delta: {
              type: 'citations_delta',
              citation: { type: 'web_search_result_location', cited_text: cited, url, title, encrypted_index: 'idx' },
            },
          },
        ]
      : []),
    { type: 'content_block_stop', index },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        output_tokens: 12,
        server_tool_use: {
          web_search_requests: pending?.name === 'web_search' ? 1 : 0,
          web_fetch_requests: pending?.name === 'web_fetch' ? 1 : 0,
        },
      },
    },
    { type: 'message_stop' },
  );
  return events;
}
