import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStreamEvent } from '../../src/api/stream.js';
import type { StreamEvent } from '../../src/domain/types.js';

/** A stream event as parsed JSON, before inkwell types it. */
export interface WireStreamEvent {
  type: string;
  [field: string]: unknown;
}

/** test/fixtures/anthropic: the recorded streams the tests use, kept in the repo (SOURCES.md says where each comes from). */
export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/anthropic');

/** Every recorded stream file name, sorted. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.sse'))
    .sort();
}

/** Parses an SSE fixture into its events as JSON (test-side parser, independent of the app's code). */
export function fixtureWireEvents(name: string): WireStreamEvent[] {
  const raw = readFileSync(path.join(FIXTURES, name), 'utf8');
  const events: WireStreamEvent[] = [];
  for (const frame of raw.split(/\n\n/)) {
    const data = frame.split('\n').find((l) => l.startsWith('data:'));
    if (data) events.push(JSON.parse(data.slice(5)) as WireStreamEvent);
  }
  return events;
}

/** A fixture's events typed as the app receives them (api/stream.ts `parseStreamEvent`). */
export function fixtureEvents(name: string): StreamEvent[] {
  return fixtureWireEvents(name).map(parseStreamEvent);
}

/** What a fixture's own events say the final reply is: stop_reason, usage, text per block. */
export function fixtureSummary(name: string) {
  const events = fixtureWireEvents(name);
  const start = events.find((e) => e.type === 'message_start') as { message?: { usage?: Record<string, number> } } | undefined;
  const delta = events.find((e) => e.type === 'message_delta') as
    | { delta: { stop_reason: string }; usage: Record<string, number | null> }
    | undefined;
  const usage = { ...(start?.message?.usage ?? {}) } as Record<string, number>;
  if (delta) for (const [k, v] of Object.entries(delta.usage)) if (v !== null && typeof v === 'number') usage[k] = v;
  const texts: string[] = [];
  for (const e of events) {
    if (e.type === 'content_block_delta') {
      const d = e.delta as { type: string; text?: string };
      const i = e.index as number;
      if (d.type === 'text_delta') texts[i] = (texts[i] ?? '') + d.text;
    }
  }
  return {
    /** The events typed as the app receives them. */
    events: events.map(parseStreamEvent),
    /** The events as JSON, exactly as the stream carried them. */
    wireEvents: events,
    stopReason: delta?.delta.stop_reason ?? null,
    usage: {
      input_tokens: usage.input_tokens ?? 0,
      output_tokens: usage.output_tokens ?? 0,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    },
    /** Concatenated text deltas of all text blocks, in order. */
    text: texts.filter((t) => t !== undefined).join(''),
    textDeltas: events
      .filter((e) => e.type === 'content_block_delta' && (e.delta as { type: string }).type === 'text_delta')
      .map((e) => (e.delta as { text: string }).text),
  };
}
