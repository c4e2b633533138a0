import { describe, expect, it } from 'vitest';
import { applyStreamEvents } from '../../src/domain/conversation.js';
import { blockViews, sendableContent } from '../../src/domain/blocks.js';
import { emptyReply, toApiMessages } from '../../src/domain/conversation.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { fixtureEvents } from '../helpers/fixtures.js';

function replay(name: string, upTo?: (type: string, i: number) => boolean): AssistantMessage {
  const events = fixtureEvents(name);
  const cut = upTo ? events.findIndex((e, i) => upTo(e.type, i)) : -1;
  return applyStreamEvents(emptyReply('a1', 'm', 0), cut >= 0 ? events.slice(0, cut) : events, 1000);
}

describe('what of a reply goes back to the API', () => {
  it('a thinking block cut off before its signature is left out; the text before it stays (fixture 06 cut mid-thinking)', () => {
    const events = fixtureEvents('06-thinking-budget-sonnet45.sse');
    const sig = events.findIndex((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta');
    const cut = applyStreamEvents(emptyReply('a1', 'm', 0), events.slice(0, sig), 1000);
    expect(cut.content.map((b) => b.type)).toEqual(['thinking']);
    expect(sendableContent(cut)).toEqual([]);
    const whole = replay('06-thinking-budget-sonnet45.sse');
    expect((sendableContent(whole) as unknown[]).length).toBe(2);
  });

  it('a tool_use cut mid-input is left out; a stopped one goes back with its parsed input (fixture 11)', () => {
    const events = fixtureEvents('11-tool-use-parallel-sonnet4.sse');
    const lastStop = events.map((e) => e.type).lastIndexOf('content_block_stop');
    const cut = applyStreamEvents(emptyReply('a1', 'm', 0), events.slice(0, lastStop - 1), 1000);
    const sent = sendableContent(cut) as { type: string; input?: unknown }[];
    expect(sent.map((b) => b.type)).toEqual(['text', 'tool_use']);
    expect(sent[1]!.input).toMatchObject({ a: expect.any(Number) });
  });

  it('whitespace-only text blocks are left out (the API refuses them; fixture 07 opens with "\\n\\n")', () => {
    const m = replay('07-adaptive-thinking-opus46.sse');
    expect(m.content.map((b) => b.type)).toEqual(['text', 'thinking', 'text']);
    expect((sendableContent(m) as { type: string }[]).map((b) => b.type)).toEqual(['thinking', 'text']);
  });

  it('a reply with nothing to send (a refusal with no content) is left out of the history', () => {
    const m = { ...replay('17-refusal-fable51.sse'), status: 'complete' as const };
    expect(toApiMessages([{ role: 'user', id: 'u', text: 'q', createdAt: 0 }, m])).toEqual([{ role: 'user', content: 'q' }]);
  });
});

describe('views derived from the blocks', () => {
  it('a server-tool result and a compaction block show one line each; thought time comes from the infos', () => {
    const fifteen = blockViews(replay('15-web-search-citations-opus41.sse'));
    expect(fifteen[1]).toMatchObject({
      type: 'tool_result',
      wireType: 'web_search_tool_result',
      summary: expect.stringMatching(/^\d+ results?$/),
    });
    const three = blockViews(replay('03-text-long-markdown-compaction-opus46.sse'));
    expect(three[0]).toMatchObject({ type: 'unknown', wireType: 'compaction', summary: expect.stringContaining('summarised') });
    const six = replay('06-thinking-budget-sonnet45.sse');
    expect(blockViews(six)[0]).toMatchObject({ type: 'thinking', startedAt: 1000, endedAt: 1000 });
  });

  it('an unknown block type is kept whole and shown as one line with its type', () => {
    const m: AssistantMessage = { ...emptyReply('a1', 'm', 0), content: [{ type: 'hologram', payload: { x: 1 } }] };
    expect(blockViews(m)).toEqual([{ type: 'unknown', wireType: 'hologram', summary: 'a block inkwell cannot show' }]);
    expect(sendableContent(m)).toEqual([{ type: 'hologram', payload: { x: 1 } }]);
  });
});
