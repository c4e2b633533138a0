import { describe, expect, it } from 'vitest';
import { parseBlockDelta, parseStreamEvent } from '../../src/api/stream.js';
import { fixtureNames, fixtureWireEvents } from '../helpers/fixtures.js';

describe('parseStreamEvent: the SDK’s raw events as the typed union', () => {
  it('types every event of the Messages stream, keeping the wire event as it came', () => {
    const start = {
      type: 'message_start',
      message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 3, output_tokens: 1 }, content: [] },
    };
    expect(parseStreamEvent(start)).toEqual({
      type: 'message_start',
      message: { id: 'msg_1', model: 'claude-x', usage: start.message.usage },
      wire: start,
    });
    const block = { citations: [], type: 'text', text: '' };
    const blockStart = { type: 'content_block_start', index: 0, content_block: block };
    const typed = parseStreamEvent(blockStart);
    expect(typed).toEqual({ type: 'content_block_start', index: 0, content_block: block, wire: blockStart });
    // The block is the very object sent: not copied, not reordered.
    expect(typed.type === 'content_block_start' && typed.content_block).toBe(block);
    expect(parseStreamEvent({ type: 'content_block_stop', index: 2 })).toMatchObject({ type: 'content_block_stop', index: 2 });
    const delta = {
      type: 'message_delta',
      delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: { type: 'refusal', category: 'cyber', explanation: 'no' } },
      usage: { output_tokens: 5 },
    };
    expect(parseStreamEvent(delta)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'refusal', stop_sequence: null, stop_details: { type: 'refusal', category: 'cyber', explanation: 'no' } },
      usage: { output_tokens: 5 },
      wire: delta,
    });
    // stop_details absent (older models) stays absent: "no field" is not "null".
    const old = parseStreamEvent({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 1 },
    });
    expect(old.type === 'message_delta' && 'stop_details' in old.delta).toBe(false);
    expect(parseStreamEvent({ type: 'message_stop' })).toMatchObject({ type: 'message_stop' });
    expect(parseStreamEvent({ type: 'ping' })).toMatchObject({ type: 'ping' });
    expect(parseStreamEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('types every delta: text, input_json, thinking, signature, citations, compaction, and unknown ones', () => {
    expect(parseBlockDelta({ type: 'text_delta', text: 'hi' })).toEqual({ type: 'text_delta', text: 'hi' });
    expect(parseBlockDelta({ type: 'input_json_delta', partial_json: '{"a' })).toEqual({ type: 'input_json_delta', partial_json: '{"a' });
    expect(parseBlockDelta({ type: 'thinking_delta', thinking: 'hm' })).toEqual({ type: 'thinking_delta', thinking: 'hm' });
    expect(parseBlockDelta({ type: 'signature_delta', signature: 'EqQ' })).toEqual({ type: 'signature_delta', signature: 'EqQ' });
    const citation = { type: 'web_search_result_location', cited_text: 'x', url: 'https://a', title: 'A', encrypted_index: 'Eo8' };
    const c = parseBlockDelta({ type: 'citations_delta', citation });
    expect(c).toEqual({ type: 'citations_delta', citation });
    expect(c.type === 'citations_delta' && c.citation).toBe(citation);
    expect(parseBlockDelta({ type: 'compaction_delta', content: 'summary' })).toEqual({ type: 'compaction_delta', content: 'summary' });
    expect(parseBlockDelta({ type: 'compaction_delta', content: null, encrypted_content: 'E' })).toEqual({
      type: 'compaction_delta',
      content: null,
      encrypted_content: 'E',
    });
    expect(parseBlockDelta({ type: 'hologram_delta', bits: 1 })).toEqual({ type: 'unknown', wireType: 'hologram_delta' });
    expect(parseStreamEvent({ type: 'content_block_delta', index: 0, delta: { type: 'hologram_delta' } })).toMatchObject({
      type: 'content_block_delta',
      delta: { type: 'unknown', wireType: 'hologram_delta' },
    });
  });

  it('unknown event types and malformed known ones are `unknown`, never a throw', () => {
    const future = { type: 'future_event', anything: 1 };
    expect(parseStreamEvent(future)).toEqual({ type: 'unknown', wireType: 'future_event', wire: future });
    expect(parseStreamEvent(null)).toMatchObject({ type: 'unknown', wireType: '' });
    expect(parseStreamEvent('text')).toMatchObject({ type: 'unknown', wireType: '' });
    expect(parseStreamEvent({ type: 'content_block_start', index: -1, content_block: { type: 'text', text: '' } })).toMatchObject({
      type: 'unknown',
    });
    expect(parseStreamEvent({ type: 'content_block_start', index: 0, content_block: 'text' })).toMatchObject({ type: 'unknown' });
    expect(parseStreamEvent({ type: 'content_block_delta', index: '1', delta: { type: 'text_delta', text: 'x' } })).toMatchObject({
      type: 'unknown',
    });
    expect(parseStreamEvent({ type: 'message_start' })).toMatchObject({ type: 'unknown', wireType: 'message_start' });
    expect(parseBlockDelta({ type: 'text_delta', text: 7 })).toEqual({ type: 'unknown', wireType: 'text_delta' });
    expect(parseBlockDelta({ type: 'citations_delta', citation: { type: 'x', url: 5 } })).toEqual({
      type: 'unknown',
      wireType: 'citations_delta',
    });
    // A usage with a count that is not a number is not used.
    expect(parseStreamEvent({ type: 'message_delta', delta: {}, usage: { output_tokens: 'many' } })).toMatchObject({ usage: null });
  });

  it('every event of every recorded stream gets a known type (the recordings hold no unknown events or deltas)', () => {
    for (const name of fixtureNames()) {
      for (const raw of fixtureWireEvents(name)) {
        const e = parseStreamEvent(raw);
        expect(e.type, `${name}: ${JSON.stringify(raw).slice(0, 80)}`).toBe(raw.type);
        if (e.type === 'content_block_delta') expect(e.delta.type).toBe((raw.delta as { type: string }).type);
        expect(e.wire).toBe(raw);
      }
    }
  });
});
