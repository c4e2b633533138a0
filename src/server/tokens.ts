/**
 * Token estimates for requests (~4 characters per token) and text extraction from a
 * Messages API request body. Not a real tokenizer: docs/PROTOCOL.md §8 notes real counts differ
 * per model.
 */

/**
 * Estimate tokens as `ceil(chars / 4)`, at least 1.
 *
 * @param text  any string; length counted in UTF-16 code units.
 * @returns an estimate in tokens, ≥ 1.
 */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * All text of a request: the `system` prompt plus every text found in `messages` (string
 * contents, `text` and `thinking` blocks, `tool_result` contents, `tool_use` inputs as JSON).
 *
 * @param body  a parsed request body (anything; non-objects give `''`).
 * @returns the texts joined with `\n`.
 */
export function requestText(body: unknown): string {
  return requestTexts(body).join('\n');
}

/**
 * Estimated input tokens of a request: `ceil(total chars / 4)` over the system prompt and
 * every text in `messages` (see {@link requestText}; separators not counted), at least 1.
 *
 * @returns tokens, ≥ 1.
 */
export function estimateInputTokens(body: unknown): number {
  return estimateTokens(requestTexts(body).join(''));
}

function requestTexts(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const parts: string[] = [];
  collectText(body.system, parts);
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (isRecord(message)) collectText(message.content, parts);
    }
  }
  return parts;
}

/**
 * The text of the last `user` message (string content or its text blocks and tool results).
 *
 * @param body  a parsed request body.
 * @returns the text, or `''` if there is no user message.
 */
export function lastUserText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body.messages)) return '';
  for (let i = body.messages.length - 1; i >= 0; i--) {
    const message: unknown = body.messages[i];
    if (isRecord(message) && message.role === 'user') {
      const parts: string[] = [];
      collectText(message.content, parts);
      return parts.join('\n');
    }
  }
  return '';
}

/**
 * The text of a `system` or message `content` value as the estimate counts it (see
 * {@link requestText}), parts joined with `''`.
 *
 * @param content  a string or an array of content blocks.
 * @returns the text; `''` for anything else.
 */
export function textOf(content: unknown): string {
  const parts: string[] = [];
  collectText(content, parts);
  return parts.join('');
}

function collectText(content: unknown, parts: string[]): void {
  if (typeof content === 'string') {
    parts.push(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') parts.push(block.text);
    else if (typeof block.thinking === 'string') parts.push(block.thinking);
    else if (block.type === 'tool_result') collectText(block.content, parts);
    else if (block.type === 'tool_use' && block.input !== undefined) parts.push(JSON.stringify(block.input));
  }
}

/** Narrow to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
