// Sessions written before format 2 (format 1: display shapes instead of wire blocks) still open.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockViews } from '../../src/domain/blocks.js';
import { toApiMessages } from '../../src/domain/conversation.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { loadSession } from '../../src/sessions/load.js';
import { sessionPath } from '../../src/sessions/paths.js';
import { tempDir } from './helpers.js';

const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const replies = (messages: readonly { role: string }[]) => messages.filter((m): m is AssistantMessage => m.role === 'assistant');

describe('a session file of format 1', () => {
  it('written by the previous version (conversation.jsonl) opens whole, thinking timing kept, and its replies go back as text', () => {
    const dir = tempDir();
    copyFileSync(path.join(FIXTURE_DIR, 'conversation.jsonl'), sessionPath(dir, 'k7qx2mfa'));
    const s = loadSession(dir, 'k7qx2mfa');
    expect(s.problems).toEqual([]);
    expect(s.damaged).toBe(false);
    expect(s.readOnlyReason).toBeNull();
    const [first] = replies(s.messages);
    // Format 1 kept thinking's timing inside the block: now it is beside it, the block is wire-shaped.
    expect(first!.content[0]).toEqual({ type: 'thinking', thinking: expect.any(String), signature: expect.any(String) });
    expect(Object.keys(first!.content[0]!)).toEqual(['type', 'thinking', 'signature']);
    expect(blockViews(first!)[0]).toMatchObject({ type: 'thinking', startedAt: 1773480418000, endedAt: expect.any(Number) });
    // As format 1 sent them: the replies' text only.
    for (const m of toApiMessages(s.messages)) expect(typeof m.content).toBe('string');
  });

  it('upgrades every format-1 block shape: a tool result keeps its summary, a tool input its streamed fragments', () => {
    const dir = tempDir();
    const base = {
      role: 'assistant',
      id: 'a1',
      model: 'm',
      stop_reason: 'pause_turn',
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      usageFinal: true,
      status: 'complete',
      interruption: null,
      requestId: null,
      apiId: null,
      startedAt: 5,
      firstTokenAt: 6,
      endedAt: 7,
    };
    const content = [
      { type: 'text', text: 'See', citations: [{ type: 'web_search_result_location', cited_text: 'c', title: 'T', url: 'https://t' }] },
      { type: 'redacted_thinking', data: 'EmQ' },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' }, partialJson: '{"query":"q"}' },
      { type: 'tool_result', wireType: 'web_search_tool_result', toolUseId: 'srvtoolu_1', summary: '5 results' },
      { type: 'unknown', wireType: 'hologram' },
    ];
    const lines = [
      { v: 1, k: 'session', id: 'legacy01', at: 1, created: '2026-01-01T00:00:00.000Z', model: 'm', system: null, title: null },
      { v: 1, k: 'user', id: 'u1', at: 2, message: { role: 'user', id: 'u1', text: 'weather?', createdAt: 2 } },
      // A checkpoint whose tool input grows by its fragments, as format 1 wrote it, then the final record.
      {
        v: 1,
        k: 'checkpoint',
        id: 'a1',
        at: 3,
        from: 0,
        grow: null,
        message: { ...base, status: 'streaming', content: [content[0], content[1], { ...content[2], input: {}, partialJson: '{"que' }] },
      },
      {
        v: 1,
        k: 'checkpoint',
        id: 'a1',
        at: 4,
        from: 2,
        grow: 5,
        message: { ...base, status: 'streaming', content: [{ ...content[2], input: {}, partialJson: 'ry":"q"}' }] },
      },
    ];
    writeFileSync(sessionPath(dir, 'legacy01'), lines.map((l) => JSON.stringify(l) + '\n').join(''));
    const cut = loadSession(dir, 'legacy01');
    expect(cut.problems).toEqual([]);
    expect(replies(cut.messages)[0]!.blocks?.[2]).toMatchObject({ partialJson: '{"query":"q"}' });
    writeFileSync(
      sessionPath(dir, 'legacy01'),
      [...lines, { v: 1, k: 'assistant', id: 'a1', at: 9, message: { ...base, content } }].map((l) => JSON.stringify(l) + '\n').join(''),
    );
    const s = loadSession(dir, 'legacy01');
    expect(s.problems).toEqual([]);
    const m = replies(s.messages)[0]!;
    expect(m.content).toEqual([
      { type: 'text', text: 'See', citations: content[0]!.citations },
      { type: 'redacted_thinking', data: 'EmQ' },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1' },
      { type: 'hologram' },
    ]);
    expect(blockViews(m).map((v) => v.type)).toEqual(['text', 'redacted_thinking', 'server_tool_use', 'tool_result', 'unknown']);
    expect(blockViews(m)[3]).toMatchObject({ summary: '5 results' });
    // What format 1 did not keep (the results themselves) is not invented: the reply goes back as its text.
    expect(toApiMessages(s.messages)).toEqual([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: 'See' },
    ]);
  });
});
