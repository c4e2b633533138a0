import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openClient } from '../../src/api/client.js';
import { messagesApi } from '../../src/api/port.js';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { runPiped } from '../helpers/cli.js';
import { startCloudFake } from '../helpers/cloud-fakes.js';
import { provide } from '../helpers/lifecycle.js';
import { KEYS, spawnApp, type AppInPty } from '../helpers/pty.js';

/**
 * Claude on Amazon Bedrock and Google Vertex AI, through the official SDKs inside the built app,
 * against local fakes of their wire formats (test/helpers/cloud-fakes.ts) in front of the local
 * Messages API server.
 */
const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
const fake = provide(
  () => startCloudFake(server.url),
  (f) => f.close(),
);

const reply = (text: string) => ({ kind: 'sse' as const, body: sseForText(text, { model: 'claude-sonnet-4-5' }) });

/** No Anthropic credentials, no real cloud configuration: HOME is empty, so no ~/.aws or gcloud files. */
const clean = (): Record<string, string | undefined> => ({
  ANTHROPIC_API_KEY: undefined,
  ANTHROPIC_AUTH_TOKEN: undefined,
  ANTHROPIC_BASE_URL: undefined,
  HOME: mkdtempSync(path.join(tmpdir(), 'inkwell-cloud-home-')),
  AWS_PROFILE: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_BEARER_TOKEN_BEDROCK: undefined,
  GOOGLE_APPLICATION_CREDENTIALS: undefined,
  CLAUDE_CODE_USE_BEDROCK: undefined,
  CLAUDE_CODE_USE_VERTEX: undefined,
  CLAUDE_CODE_USE_FOUNDRY: undefined,
  ANTHROPIC_FOUNDRY_API_KEY: undefined,
  HTTPS_PROXY: undefined,
  HTTP_PROXY: undefined,
  https_proxy: undefined,
  http_proxy: undefined,
});

const bedrockEnv = () => ({
  ...clean(),
  AWS_ACCESS_KEY_ID: 'AKIDINKWELLFAKE',
  AWS_SECRET_ACCESS_KEY: 'inkwell-fake-aws-secret-key',
  AWS_REGION: 'us-west-2',
  ANTHROPIC_BEDROCK_BASE_URL: fake.url,
});

const vertexEnv = () => ({
  ...clean(),
  CLOUD_ML_REGION: 'us-east5',
  ANTHROPIC_VERTEX_PROJECT_ID: 'inkwell-project',
  ANTHROPIC_VERTEX_BASE_URL: `${fake.url}/v1`,
  // Google's application-default credentials end at the GCE metadata server: the fake is it.
  GCE_METADATA_HOST: new URL(fake.url).host,
});

const lastModelRequest = () => [...fake.requests].reverse().find((r) => r.method === 'POST')!;

describe('Amazon Bedrock through @anthropic-ai/bedrock-sdk', () => {
  it('streams a reply from /model/{id}/invoke-with-response-stream, SigV4-signed, in event-stream frames', async () => {
    server.enqueue(reply('Hello from Bedrock, framed.'));
    const r = await runPiped(['-p', 'hello', '--provider', 'bedrock', '--model', 'claude-sonnet-4-5'], { env: bedrockEnv() });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('Hello from Bedrock, framed.\n');
    expect(r.code).toBe(0);
    const req = lastModelRequest();
    // The Anthropic id mapped to Bedrock's; the model in the URL, the version in the body.
    expect(req.path).toBe('/model/anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream');
    const body = req.body as Record<string, unknown>;
    // The API version travels in the body (the SDK's own version), not as a header.
    expect(body.anthropic_version).toMatch(/^(bedrock-)?\d{4}-\d{2}-\d{2}$/);
    expect(req.headers['anthropic-version']).toBeUndefined();
    expect(body).not.toHaveProperty('model');
    expect(body).not.toHaveProperty('stream');
    expect(String(req.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDINKWELLFAKE\/\d{8}\/us-west-2\/bedrock\/aws4_request/,
    );
  });

  it('is chosen by CLAUDE_CODE_USE_BEDROCK=1, as in Claude Code', async () => {
    server.enqueue(reply('Chosen by the variable.'));
    const r = await runPiped(['-p', 'hello', '--model', 'claude-sonnet-4-5'], { env: { ...bedrockEnv(), CLAUDE_CODE_USE_BEDROCK: '1' } });
    expect(r.stdout.toString()).toBe('Chosen by the variable.\n');
    expect(lastModelRequest().path).toMatch(/^\/model\/anthropic\./);
  });

  it('an expired AWS credential is one plain line saying what to do', async () => {
    fake.failNext(
      403,
      { message: 'The security token included in the request is expired' },
      { 'x-amzn-ErrorType': 'ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/' },
    );
    const r = await runPiped(['-p', 'hello', '--provider', 'bedrock'], { env: bedrockEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Your AWS credentials have expired');
    expect(r.stderr).toContain('aws sso login');
    expect(r.stderr).not.toContain('inkwell-fake-aws-secret-key');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('no AWS credentials at all: says which variables to set', async () => {
    const env = { ...bedrockEnv(), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_EC2_METADATA_DISABLED: 'true' };
    const r = await runPiped(['-p', 'hello', '--provider', 'bedrock'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No usable AWS credentials were found.*AWS_PROFILE.*AWS_ACCESS_KEY_ID/);
  });

  it('inkwell doctor names provider, endpoint, proxy, key source and model, and proves them', async () => {
    server.enqueue(reply('ok'));
    const r = await runPiped(['doctor', '--provider', 'bedrock', '--model', 'claude-opus-4-6'], { env: bedrockEnv() });
    const out = r.stdout.toString();
    expect(out).toMatch(/^provider +Amazon Bedrock \(bedrock, from --provider\)$/m);
    expect(out).toContain(`endpoint   ${fake.url}`);
    expect(out).toContain('(region us-west-2)');
    expect(out).toMatch(/^proxy +none/m);
    expect(out).toMatch(/^key +AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY \(SigV4\)$/m);
    expect(out).toMatch(/^model +claude-opus-4-6 \(sent as anthropic\.claude-opus-4-6-v1\)$/m);
    expect(out).toMatch(/^missing +count_tokens, the models list/m);
    expect(out).toMatch(/^request +ok: a 1-token reply in \d+ ms/m);
    expect(out).not.toContain('inkwell-fake-aws-secret-key');
    expect(r.code).toBe(0);
    expect((lastModelRequest().body as { max_tokens: number }).max_tokens).toBe(1);
  });
});

describe('Google Vertex AI through @anthropic-ai/vertex-sdk', () => {
  it('streams a reply from :streamRawPredict with a token from application-default credentials', async () => {
    server.enqueue(reply('Hello from Vertex.'));
    const r = await runPiped(['-p', 'hello', '--model', 'claude-sonnet-4-5'], { env: { ...vertexEnv(), CLAUDE_CODE_USE_VERTEX: '1' } });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('Hello from Vertex.\n');
    const req = lastModelRequest();
    expect(req.path).toBe(
      '/v1/projects/inkwell-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict',
    );
    expect((req.body as Record<string, unknown>).anthropic_version).toMatch(/^(vertex-)?\d{4}-\d{2}-\d{2}$/);
    expect(req.headers['anthropic-version']).toBeUndefined();
    expect(req.body).not.toHaveProperty('model');
    expect(req.headers.authorization).toBe('Bearer ya29.fake-google-token');
  });

  it('count_tokens goes to count-tokens:rawPredict; CLAUDE_CODE_SKIP_VERTEX_AUTH sends no Authorization', async () => {
    const client = await openClient(
      { apiKey: null, authToken: null, baseURL: `${fake.url}/v1`, provider: 'vertex' },
      {
        CLOUD_ML_REGION: 'europe-west1',
        ANTHROPIC_VERTEX_PROJECT_ID: 'p-2',
        CLAUDE_CODE_SKIP_VERTEX_AUTH: '1',
      },
    );
    const api = messagesApi(client, 'vertex');
    const n = await api.countTokens({
      model: 'claude-sonnet-4-5',
      system: null,
      messages: [{ role: 'user', content: 'count these words' }],
    });
    expect(n).toBeGreaterThan(0);
    const req = lastModelRequest();
    expect(req.path).toBe('/v1/projects/p-2/locations/europe-west1/publishers/anthropic/models/count-tokens:rawPredict');
    expect((req.body as { model: string }).model).toBe('claude-sonnet-4-5@20250929');
    expect(req.headers.authorization).toBeUndefined();
    // No Models API on Vertex: limits from the table without a request, an empty list.
    const before = fake.requests.length;
    expect((await api.modelLimits('claude-sonnet-4-5')).source).toBe('fallback');
    expect(await api.listModels()).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });

  it('a Google credential that cannot be refreshed is one plain line saying what to run', async () => {
    fake.setMetadataToken({ status: 400, body: '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}' });
    try {
      const r = await runPiped(['-p', 'hello', '--provider', 'vertex'], { env: vertexEnv() });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('gcloud auth application-default login');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      fake.setMetadataToken({ token: 'ya29.fake-google-token' });
    }
  });

  it('without CLOUD_ML_REGION: a plain message naming it', async () => {
    const r = await runPiped(['-p', 'hello', '--provider', 'vertex'], { env: { ...vertexEnv(), CLOUD_ML_REGION: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('inkwell: Vertex AI needs a region: set CLOUD_ML_REGION (for example us-east5, europe-west1 or global).\n');
  });
});

describe('Microsoft Foundry through @anthropic-ai/foundry-sdk', () => {
  it('streams a reply with ANTHROPIC_FOUNDRY_API_KEY sent as x-api-key, chosen by CLAUDE_CODE_USE_FOUNDRY=1', async () => {
    server.enqueue(reply('Hello from Foundry.'));
    const before = server.requests.length;
    const r = await runPiped(['-p', 'hello'], {
      env: {
        ...clean(),
        CLAUDE_CODE_USE_FOUNDRY: '1',
        ANTHROPIC_FOUNDRY_API_KEY: 'foundry-key-9931',
        ANTHROPIC_FOUNDRY_BASE_URL: server.url,
      },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('Hello from Foundry.\n');
    const req = server.requests.slice(before).find((x) => x.path === '/v1/messages')!;
    expect(req.headers['x-api-key']).toBeDefined();
    expect(req.headers.authorization).toBeUndefined();
  });

  it('without its key: a plain message naming ANTHROPIC_FOUNDRY_API_KEY', async () => {
    const r = await runPiped(['-p', 'hello', '--provider', 'foundry'], { env: { ...clean(), ANTHROPIC_FOUNDRY_BASE_URL: server.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('inkwell: Microsoft Foundry needs a key: set ANTHROPIC_FOUNDRY_API_KEY.\n');
  });
});

describe('a provider in the full-screen chat', () => {
  const running: AppInPty[] = [];
  afterEach(() => {
    while (running.length) running.pop()!.kill();
  });

  it.each([60, 110])('Bedrock at %i columns: one line says what it lacks, and the reply streams', async (cols) => {
    server.enqueue(reply('A reply through Bedrock in the chat.'));
    const a = spawnApp({ args: ['--provider', 'bedrock', '--model', 'claude-sonnet-4-5'], env: bedrockEnv(), cols, rows: 24 });
    running.push(a);
    await a.waitFor((s) => s.includes('Ask Claude') || s.includes('Ask'));
    const notice = await a.waitFor((s) => s.replace(/\s+/g, ' ').includes('Amazon Bedrock has no token counting'));
    expect(notice.replace(/\s+/g, ' ')).toContain('the context gauge uses the last reply’s usage');
    a.type('hello');
    a.type(KEYS.enter);
    await a.waitFor((s) => s.replace(/\s+/g, ' ').includes('A reply through Bedrock in the chat.'), 15_000);
  });
});
