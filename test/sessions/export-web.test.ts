import { describe, expect, it } from 'vitest';
import { applyStreamEvents, emptyReply } from '../../src/domain/conversation.js';
import type { LoadedSession } from '../../src/sessions/load.js';
import { exportMarkdown } from '../../src/sessions/export.js';
import { fixtureEvents } from '../helpers/fixtures.js';

describe('exporting a web reply', () => {
  it('the search in words, the cited answer as prose with [n], and one numbered list of sources', () => {
    const reply = {
      ...applyStreamEvents(emptyReply('a1', 'claude-opus-4-1', 0), fixtureEvents('15-web-search-citations-opus41.sse'), 1),
      status: 'complete' as const,
    };
    const session = {
      id: 's1',
      path: '/x',
      header: { model: 'claude-opus-4-1', created: 0, system: null },
      title: 'Weather',
      messages: [{ role: 'user', id: 'u1', text: 'weather?', createdAt: 0 }, reply],
      damaged: false,
    } as unknown as LoadedSession;
    const md = exportMarkdown(session);
    expect(md).toContain('*⌕ searched "San Francisco weather today"*');
    expect(md).toMatch(/\*10 results · accuweather\.com/);
    expect(md).toContain('a high of 63°F.\\[1\\] Winds');
    expect(md.match(/Sources:/g)).toHaveLength(1);
    expect(md).toContain(
      '1. [San Francisco, CA Hourly Weather Forecast | Weather Underground](https://www.wunderground.com/hourly/us/ca/san-francisco) · wunderground.com',
    );
    expect(md).toContain('2. [Live Doppler 7');
  });
});
