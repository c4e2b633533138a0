import { describe, expect, it } from 'vitest';
import { isWebToolRejection, mergeBetas, WEB_OFF, webBetas, webToolDefinitions } from '../../src/api/server-tools.js';
import { serverToolProblem } from '../../src/server/server-tools.js';

describe('the web tools on a request', () => {
  it('sends allowed domains over blocked ones, the location as approximate, and nothing when off', () => {
    const defs = webToolDefinitions({
      on: true,
      maxUses: null,
      allowedDomains: ['a.com'],
      blockedDomains: ['b.com'],
      userLocation: { city: 'San Francisco', country: 'US' },
    });
    expect(defs[0]).toEqual({
      type: 'web_search_20250305',
      name: 'web_search',
      allowed_domains: ['a.com'],
      user_location: { type: 'approximate', city: 'San Francisco', country: 'US' },
    });
    expect(defs[1]).not.toHaveProperty('blocked_domains');
    expect(webToolDefinitions({ ...WEB_OFF, blockedDomains: ['b.com'] })).toEqual([]);
    expect(webToolDefinitions({ ...WEB_OFF, on: true, blockedDomains: ['b.com'] })[0]).toMatchObject({ blocked_domains: ['b.com'] });
    expect(webBetas(WEB_OFF)).toEqual([]);
    expect(mergeBetas('extended-cache-ttl-2025-04-11', ['web-fetch-2025-09-10', 'extended-cache-ttl-2025-04-11'])).toBe(
      'extended-cache-ttl-2025-04-11,web-fetch-2025-09-10',
    );
  });

  it('knows a refusal of the tools from other 400s', () => {
    expect(isWebToolRejection(400, "tools.0: Input tag 'web_search_20250305' found using 'type' does not match")).toBe(true);
    expect(isWebToolRejection(400, 'Web search is not enabled for this organization')).toBe(true);
    expect(
      isWebToolRejection(400, 'messages.1.content.24: `server_tool_use` block … without a corresponding `web_search_tool_result`'),
    ).toBe(false);
    expect(isWebToolRejection(400, 'prompt is too long')).toBe(false);
    expect(isWebToolRejection(500, 'web_search_20250305')).toBe(false);
  });
});

describe('the local server checks server tools as the API does', () => {
  const search = { type: 'web_search_20250305', name: 'web_search' };
  const fetchTool = { type: 'web_fetch_20250910', name: 'web_fetch' };
  const body = (tools: unknown[], messages: unknown[] = []) => ({ model: 'm', max_tokens: 1, messages, tools });
  it('tool definitions: name, beta, domains, max_uses, location; a gateway refuses them all', () => {
    expect(serverToolProblem(body([search, fetchTool]), ['web-fetch-2025-09-10'])).toBeNull();
    expect(serverToolProblem(body([fetchTool]), [])).toMatch(/requires the beta header/);
    expect(serverToolProblem(body([{ ...search, name: 'search' }]), [])).toMatch(/name/);
    expect(serverToolProblem(body([{ ...search, allowed_domains: ['a'], blocked_domains: ['b'] }]), [])).toMatch(/not both/);
    expect(serverToolProblem(body([{ ...search, max_uses: 0 }]), [])).toMatch(/max_uses/);
    expect(serverToolProblem(body([{ ...search, user_location: { city: 'x' } }]), [])).toMatch(/approximate/);
    expect(serverToolProblem(body([{ ...search, type: 'web_search_20990101' }]), [])).toMatch(/does not match/);
    expect(serverToolProblem(body([search]), [], { enabled: false })).toMatch(/web_search_20250305/);
  });

  it('a server_tool_use needs its result, but for the last block of a resumed turn', () => {
    const use = { type: 'server_tool_use', id: 's1', name: 'web_search', input: { query: 'q' } };
    const result = { type: 'web_search_tool_result', tool_use_id: 's1', content: [] };
    const user = { role: 'user', content: 'hi' };
    expect(serverToolProblem(body([search], [user, { role: 'assistant', content: [use] }]), [])).toBeNull();
    expect(serverToolProblem(body([search], [user, { role: 'assistant', content: [use] }, user]), [])).toMatch(
      /without a corresponding `web_search_tool_result`/,
    );
    expect(serverToolProblem(body([search], [user, { role: 'assistant', content: [use, result] }, user]), [])).toBeNull();
  });
});
