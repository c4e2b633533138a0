/**
 * Test helpers for SSE fixtures: an independent, minimal parser (not the server's) and the
 * expected final-message summary computed from a fixture's own events (docs/PROTOCOL.md §3).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Directory of the recorded Claude streams. */
export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'anthropic');

/** Every `.sse` fixture file name, sorted. */
export function sseFixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.sse'))
    .sort();
}

/** Raw bytes of a fixture file. */
export function readFixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURE_DIR, name));
}

/** One parsed SSE event. */
export interface ParsedEvent {
  event: string | null;
  data: string;
}

/**
 * Parse an SSE body per the SSE spec (LF/CRLF, `event:` and `data:` fields, blank-line
 * dispatch, `:` comments ignored).
 */
export function parseSse(text: string): ParsedEvent[] {
  const out: ParsedEvent[] = [];
  let event: string | null = null;
  let data: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (event !== null || data.length > 0) out.push({ event, data: data.join('\n') });
      event = null;
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i === -1 ? line : line.slice(0, i);
    const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    if (field === 'data') data.push(value);
  }
  if (event !== null || data.length > 0) out.push({ event, data: data.join('\n') });
  return out;
}

/**
 * message_delta usage fields that overwrite message_start's when present and non-null
 * (docs/PROTOCOL.md §3, SDK 1.12 `MessageStream#accumulateMessage`); `output_tokens` always does.
 */
export const CUMULATIVE_USAGE_FIELDS = [
  'input_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'server_tool_use',
  'output_tokens_details',
] as const;

/** What a fixture's own events say the final message is. */
export interface ExpectedSummary {
  /** `error.type` of an `event: error` frame, if any. */
  errorType?: string;
  stopReason: string | null;
  blockTypes: string[];
  usage: Record<string, unknown>;
  textDeltas: string;
}

/**
 * Fold a fixture's events: stop_reason from message_delta, block types from
 * content_block_start, usage = message_start usage overwritten by message_delta's
 * {@link CUMULATIVE_USAGE_FIELDS} when non-null (output_tokens always), concatenated text deltas.
 */
export function expectedSummary(text: string): ExpectedSummary {
  const summary: ExpectedSummary = { stopReason: null, blockTypes: [], usage: {}, textDeltas: '' };
  for (const e of parseSse(text)) {
    if (e.event === null || e.event === 'ping') continue;
    const json = JSON.parse(e.data) as Record<string, any>;
    if (e.event === 'error') {
      summary.errorType = json.error?.type;
      break;
    }
    switch (json.type) {
      case 'message_start':
        summary.usage = { ...json.message.usage };
        break;
      case 'content_block_start':
        summary.blockTypes.push(json.content_block.type);
        break;
      case 'content_block_delta':
        if (json.delta.type === 'text_delta') summary.textDeltas += json.delta.text;
        break;
      case 'message_delta':
        summary.stopReason = json.delta.stop_reason;
        summary.usage.output_tokens = json.usage?.output_tokens;
        for (const k of CUMULATIVE_USAGE_FIELDS) {
          if (json.usage?.[k] != null) summary.usage[k] = json.usage[k];
        }
        break;
    }
  }
  return summary;
}
