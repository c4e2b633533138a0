import { describe, expect, it } from 'vitest';
import { applyStreamEvents, emptyReply, liveOutputTokens } from '../../src/domain/conversation.js';
import { parseStreamEvent } from '../../src/api/stream.js';
import type { AssistantMessage, StreamEvent } from '../../src/domain/types.js';
import { citationsOf, isTextBlock, isThinkingBlock, isToolUseBlock } from '../../src/domain/wire.js';
import { fixtureEvents, fixtureNames, fixtureSummary } from '../helpers/fixtures.js';

function replay(events: readonly StreamEvent[], batch = 1): AssistantMessage {
  let m = emptyReply('a1', 'm', 0);
  for (let i = 0; i < events.length; i += batch) m = applyStreamEvents(m, events.slice(i, i + batch), 1000 + i);
  return m;
}

describe('accumulating a recorded stream into a reply', () => {
  const names = fixtureNames().filter((n) => !n.startsWith('18-') && !n.startsWith('20-'));
  it.each(names)('%s ends with the fixture’s own stop_reason, usage and text', (name) => {
    const want = fixtureSummary(name);
    for (const batch of [1, 7, 1000]) {
      const m = replay(want.events, batch);
      expect(m.status).toBe('complete');
      expect(m.stop_reason).toBe(want.stopReason);
      // The four counts; a cache_creation breakdown or server_tool_use the fixture sent is kept beside them.
      expect(m.usage).toMatchObject(want.usage);
      expect(m.usageFinal).toBe(true);
      const text = m.content.map((b) => (isTextBlock(b) ? b.text : '')).join('');
      expect(text).toBe(want.text);
    }
  });

  it('overwrites usage from message_delta instead of adding (fixture 15: 2039 then 10423 input tokens)', () => {
    const m = replay(fixtureEvents('15-web-search-citations-opus41.sse'));
    expect(m.usage.input_tokens).toBe(10423);
  });

  it('a refusal with no content keeps content empty and carries stop_details (fixture 17)', () => {
    const m = replay(fixtureEvents('17-refusal-fable51.sse'));
    expect(m.content).toEqual([]);
    expect(m.stop_reason).toBe('refusal');
    expect(m.stop_details?.category).toBe('reasoning_extraction');
    expect(m.stop_details?.explanation).toBeTruthy();
  });

  it('tool_use with only an empty partial_json gets input {} (fixture 13)', () => {
    const m = replay(fixtureEvents('13-tool-use-empty-input-haiku45.sse'));
    const tools = m.content.filter(isToolUseBlock);
    expect(tools).toHaveLength(2);
    for (const t of tools) expect(t.input).toEqual({});
  });

  it('parallel tool_use inputs are parsed from their fragments (fixture 11)', () => {
    const m = replay(fixtureEvents('11-tool-use-parallel-sonnet4.sse'));
    const inputs = m.content.flatMap((b) => (isToolUseBlock(b) ? [b.input] : []));
    expect(inputs.length).toBe(2);
    expect(inputs[0]).toMatchObject({ a: expect.any(Number) });
  });

  it('thinking keeps the single signature and a text block may come first (fixtures 06, 07, 09)', () => {
    const six = replay(fixtureEvents('06-thinking-budget-sonnet45.sse'));
    const thinking = six.content.find(isThinkingBlock);
    expect(thinking?.signature.length).toBeGreaterThan(10);
    expect(thinking?.thinking.length).toBeGreaterThan(10);
    const seven = replay(fixtureEvents('07-adaptive-thinking-opus46.sse'));
    expect(seven.content.map((b) => b.type)).toEqual(['text', 'thinking', 'text']);
    const nine = replay(fixtureEvents('09-thinking-omitted-signature-only-sonnet5.sse'));
    const omitted = nine.content.find(isThinkingBlock);
    expect(omitted?.thinking).toBe('');
    expect(omitted?.signature.length).toBeGreaterThan(10);
  });

  it('server-tool results and redacted thinking arrive whole at block start (fixtures 10, 15)', () => {
    const ten = replay(fixtureEvents('10-redacted-thinking-sonnet45.sse'));
    expect(ten.content.filter((b) => b.type === 'redacted_thinking')).toHaveLength(2);
    const fifteen = replay(fixtureEvents('15-web-search-citations-opus41.sse'));
    const result = fifteen.content.find((b) => b.type === 'web_search_tool_result');
    expect(result).toMatchObject({ type: 'web_search_tool_result', tool_use_id: expect.stringMatching(/^srvtoolu_/) });
    expect(Array.isArray(result?.content) && result.content.length).toBeGreaterThan(0);
    const cited = fifteen.content.filter((b) => isTextBlock(b) && citationsOf(b).length > 0);
    expect(cited.length).toBeGreaterThan(0);
  });

  it('a compaction block (beta, unknown to the GA SDK) is kept with the content its delta set (fixture 03)', () => {
    const m = replay(fixtureEvents('03-text-long-markdown-compaction-opus46.sse'));
    expect(m.content[0]).toMatchObject({ type: 'compaction', content: expect.stringMatching(/^## Summary of Conversation/) });
    expect(Object.keys(m.content[0]!)).toEqual(['type', 'content']);
  });

  it('ignores unknown events, blocks and deltas', () => {
    const m = replay(
      [
        { type: 'message_start', message: { id: 'msg_1', model: 'x', usage: { input_tokens: 3, output_tokens: 1 } } },
        { type: 'future_event', anything: 1 },
        { type: 'content_block_start', index: 0, content_block: { type: 'hologram', payload: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'hologram_delta', bits: 'x' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'hi' } },
        { type: 'content_block_delta', index: 7, delta: { type: 'text_delta', text: 'nowhere' } },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } },
        { type: 'message_stop' },
      ].map(parseStreamEvent),
    );
    // The unknown block is kept whole, exactly as sent; the text block has no citations field it was not sent.
    expect(m.content).toEqual([
      { type: 'hologram', payload: {} },
      { type: 'text', text: 'hi' },
    ]);
    expect(m.blocks?.map((b) => b.stoppedAt)).toEqual([1004, 1008]);
    expect(m.usage).toEqual({ input_tokens: 3, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('estimates output tokens while streaming and uses the real count at the end', () => {
    const events = fixtureEvents('02-text-medium-markdown-list-sonnet45.sse');
    const stopAt = events.findIndex((e) => e.type === 'message_delta');
    const partial = replay(events.slice(0, stopAt));
    expect(partial.usageFinal).toBe(false);
    const text = partial.content.map((b) => (isTextBlock(b) ? b.text : '')).join('');
    expect(liveOutputTokens(partial)).toBe(Math.ceil(text.length / 4));
    const done = replay(events);
    expect(liveOutputTokens(done)).toBe(fixtureSummary('02-text-medium-markdown-list-sonnet45.sse').usage.output_tokens);
  });
});
