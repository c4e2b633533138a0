import { describe, expect, it } from 'vitest';
import { applyStreamEvents, emptyReply } from '../../src/domain/conversation.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { TranscriptLayout } from '../../src/transcript/layout.js';
import { stripSgr } from '../../src/text/sgr.js';
import { plainTheme } from '../../src/theme.js';
import { fixtureEvents } from '../helpers/fixtures.js';

const OPTS = { width: 80, expandThinking: false, theme: plainTheme };
const OSC8 = /\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)/g;

function reply(name: string, complete = true): AssistantMessage {
  const m = applyStreamEvents(emptyReply('a1', 'claude-opus-4-1', 0), fixtureEvents(name), 1);
  return complete ? { ...m, status: 'complete' } : m;
}

const text = (lines: readonly string[]) => lines.map((l) => stripSgr(l.replace(OSC8, ''))).join('\n');

describe('a web reply in the transcript', () => {
  it('shows the search with its query, the results with their domains, the answer as prose with [n] marks, and the numbered sources', () => {
    const lines = new TranscriptLayout().linesFor(reply('15-web-search-citations-opus41.sse'), OPTS);
    const shown = text(lines);
    expect(shown).toContain('⌕ searched "San Francisco weather today"');
    expect(shown).toMatch(/↳ 10 results · [a-z0-9.-]+\.[a-z]+, /);
    // The cited blocks read as one paragraph with their references, not ten paragraphs.
    expect(shown).toMatch(/\[1\]/);
    expect(shown).not.toContain('\\[');
    expect(shown).toContain('Sources');
    expect(shown).toMatch(/\[1\] +San Francisco, CA Hourly Weather Forecast \| Weather Underground ·\s+wunderground\.com/);
    expect(shown).toContain('https://www.wunderground.com/hourly/us/ca/san-francisco');
    // Five citations of two pages: two sources.
    expect(shown).toMatch(/\[2\] +Live Doppler 7/);
    expect(shown).not.toMatch(/\[3\] /);
    for (const l of lines) expect(stripSgr(l.replace(OSC8, '')).length).toBeLessThanOrEqual(80);
  });

  it("a source's URL is a hyperlink with one id and the exact URL on every row it wraps over", () => {
    const lines = new TranscriptLayout().linesFor(reply('15-web-search-citations-opus41.sse'), { ...OPTS, width: 30 });
    const url = 'https://www.wunderground.com/hourly/us/ca/san-francisco';
    const rows = lines.filter((l) => l.includes(`;${url}\x1b\\`));
    expect(rows.length).toBeGreaterThan(1);
    const ids = new Set(rows.map((r) => /\x1b\]8;id=([^;]*);/.exec(r)![1]));
    expect(ids.size).toBe(1);
    // The pieces of the URL, joined, are the URL.
    const pieces = rows.map((r) => /\x1b\]8;id=[^;]*;[^\x1b]*\x1b\\([^\x1b]*)\x1b\]8;;/.exec(r)![1]).join('');
    expect(pieces).toBe(url);
  });

  it('while the search streams, its line says searching with the query so far', () => {
    const events = fixtureEvents('15-web-search-citations-opus41.sse');
    const upTo = events.findIndex((e) => e.type === 'content_block_delta' && JSON.stringify(e.wire).includes('cisco weat'));
    const m = applyStreamEvents(emptyReply('a1', 'm', 0), events.slice(0, upTo + 1), 1);
    expect(text(new TranscriptLayout().linesFor(m, OPTS))).toContain('⌕ searching "San Francisco weat"');
  });

  it('the paused reply shows each of its ten searches', () => {
    const shown = text(new TranscriptLayout().linesFor(reply('16-pause-turn-web-search-sonnet45.sse'), OPTS));
    expect(shown.match(/⌕ searched "/g)?.length).toBe(10);
    expect(shown.match(/⌕ searching "/g)?.length).toBe(1);
    expect(shown).toContain('resumes it');
  });

  it('errors and unreadable results are one line each, in plain words', () => {
    const m: AssistantMessage = {
      ...emptyReply('a2', 'm', 0),
      status: 'complete',
      stop_reason: 'end_turn',
      content: [
        { type: 'server_tool_use', id: 's1', name: 'web_search', input: { query: 'q' } },
        {
          type: 'web_search_tool_result',
          tool_use_id: 's1',
          content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' },
        },
        { type: 'server_tool_use', id: 's2', name: 'web_fetch', input: { url: 'https://example.com/a' } },
        { type: 'web_fetch_tool_result', tool_use_id: 's2', content: 'garbage' },
        { type: 'web_teleport_tool_result', tool_use_id: 's3', content: 42 },
      ],
    };
    const shown = text(new TranscriptLayout().linesFor(m, OPTS));
    expect(shown).toContain('search failed: the search limit for this request was reached');
    expect(shown).toContain('⇣ fetched https://example.com/a');
    expect(shown).toContain('web_fetch_tool_result: a result inkwell cannot read (kept as sent)');
    expect(shown).toContain('web_teleport_tool_result');
  });
});
