import { describe, expect, it } from 'vitest';
import { bedrockModelId, vertexModelId } from '../../src/api/provider-models.js';
import { chooseProvider, missingFeatures } from '../../src/api/providers.js';
import { proxyFor, proxyFromEnv, showProxy } from '../../src/api/proxy.js';

describe('model ids per provider', () => {
  it.each([
    ['claude-sonnet-4-5', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5@20250929'],
    ['claude-opus-4-6', 'anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['claude-haiku-4-5-20251001', 'anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5@20251001'],
    ['claude-sonnet-5-5', 'anthropic.claude-sonnet-5-5', 'claude-sonnet-5-5'],
    [
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ],
    ['claude-sonnet-4@20250514', 'anthropic.claude-sonnet-4@20250514', 'claude-sonnet-4@20250514'],
  ])('%s → Bedrock %s, Vertex %s', (model, bedrock, vertex) => {
    expect(bedrockModelId(model)).toBe(bedrock);
    expect(vertexModelId(model)).toBe(vertex);
  });

  it('an ARN passes to Bedrock as given', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/x';
    expect(bedrockModelId(arn)).toBe(arn);
  });
});

describe('choosing the provider', () => {
  it('--provider wins over the variables and the setting', () => {
    expect(chooseProvider('vertex', 'foundry', { CLAUDE_CODE_USE_BEDROCK: '1' })).toEqual({ name: 'vertex', source: '--provider' });
  });
  it("Claude Code's variables win over the setting", () => {
    expect(chooseProvider(undefined, 'foundry', { CLAUDE_CODE_USE_BEDROCK: '1' })).toEqual({
      name: 'bedrock',
      source: 'CLAUDE_CODE_USE_BEDROCK=1',
    });
    expect(chooseProvider(undefined, 'anthropic', { CLAUDE_CODE_USE_VERTEX: 'true' }).name).toBe('vertex');
    expect(chooseProvider(undefined, undefined, { CLAUDE_CODE_USE_FOUNDRY: '1' }).name).toBe('foundry');
  });
  it('a variable set to 0 does not choose', () => {
    expect(chooseProvider(undefined, undefined, { CLAUDE_CODE_USE_BEDROCK: '0' })).toEqual({ name: 'anthropic', source: 'default' });
  });
  it('then the setting', () => {
    expect(chooseProvider(undefined, 'bedrock', {})).toEqual({ name: 'bedrock', source: 'the provider setting' });
  });
  it('says in one line what a provider lacks, and nothing for Anthropic', () => {
    expect(missingFeatures('anthropic')).toBeNull();
    expect(missingFeatures('bedrock')).toMatch(/^Amazon Bedrock has no token counting \(count_tokens\) and no the models list/);
    expect(missingFeatures('vertex')).not.toContain('count_tokens');
  });
});

describe('proxies from the environment', () => {
  it('reads either case, lower case first; none set is null', () => {
    expect(proxyFromEnv({})).toBeNull();
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://A:1', https_proxy: 'http://b:2', NO_PROXY: 'x' })).toEqual({
      httpsProxy: 'http://b:2',
      httpProxy: null,
      noProxy: 'x',
    });
  });

  const p = { httpsProxy: 'http://s:1', httpProxy: 'http://h:2', noProxy: 'internal.corp, .local.test localhost:8080' };
  it.each([
    ['https://api.anthropic.com', 'http://s:1'],
    ['http://api.anthropic.com', 'http://h:2'],
    ['https://internal.corp/v1', null],
    ['https://deep.internal.corp', null],
    ['https://a.local.test', null],
    ['http://localhost:8080', null],
    ['http://localhost:9090', 'http://h:2'],
    ['https://notinternal.corp', 'http://s:1'],
  ])('%s goes through %s', (url, proxy) => {
    expect(proxyFor(url, p)).toBe(proxy);
  });
  it('HTTP_PROXY serves https when HTTPS_PROXY is unset; NO_PROXY=* sends everything direct', () => {
    expect(proxyFor('https://x.test', { httpsProxy: null, httpProxy: 'http://h:2', noProxy: null })).toBe('http://h:2');
    expect(proxyFor('https://x.test', { ...p, noProxy: '*' })).toBeNull();
  });
  it('shows a proxy without its credentials', () => {
    expect(showProxy('http://alice:secret@proxy.corp:3128')).toBe('http://proxy.corp:3128');
  });
});
