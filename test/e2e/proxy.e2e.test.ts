import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/api/client.js';
import { messagesApi } from '../../src/api/port.js';
import { proxyFromEnv } from '../../src/api/proxy.js';
import { sseForText, startMessagesServer } from '../../src/server/index.js';
import { runPiped } from '../helpers/cli.js';
import { selfSignedCert, startForwardProxy, startTlsFront, type ForwardProxy } from '../helpers/forward-proxy.js';
import { provide } from '../helpers/lifecycle.js';

/**
 * Proxies and certificates: the API's host name exists only inside a local forward proxy, so a
 * reply proves the request went through it; an HTTPS front with a self-signed certificate stands
 * for a corporate gateway that re-signs traffic (NODE_EXTRA_CA_CERTS).
 */
const HOST = 'api.inkwell.test';
const server = provide(
  () => startMessagesServer(),
  (s) => s.close(),
);
let cert: { certFile: string; keyFile: string };
let tls: { port: number; close(): Promise<void> };
let proxy: ForwardProxy;

beforeAll(async () => {
  cert = selfSignedCert(HOST);
  tls = await startTlsFront(server.port, cert);
  proxy = await startForwardProxy({ [HOST]: tls.port, 'plain.inkwell.test': server.port });
});
afterAll(async () => {
  await proxy?.close();
  await tls?.close();
});

const reply = (text: string) => ({ kind: 'sse' as const, body: sseForText(text, { model: 'claude-sonnet-4-5' }) });

/** No proxy variables from the machine running the tests; the key and retries fixed. */
const env = (extra: Record<string, string | undefined>): Record<string, string | undefined> => ({
  HTTPS_PROXY: undefined,
  HTTP_PROXY: undefined,
  https_proxy: undefined,
  http_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  NODE_EXTRA_CA_CERTS: undefined,
  ANTHROPIC_API_KEY: 'sk-ant-proxy-secret',
  INKWELL_MAX_RETRIES: '0',
  ...extra,
});

const since = (n: number) => proxy.log.slice(n);

describe('through a forward proxy', () => {
  it('HTTPS_PROXY tunnels to a host only the proxy knows, and NODE_EXTRA_CA_CERTS trusts its certificate', async () => {
    server.enqueue(reply('Through the tunnel.'));
    const n = proxy.log.length;
    const r = await runPiped(['-p', 'hi'], {
      env: env({ ANTHROPIC_BASE_URL: `https://${HOST}:${tls.port}`, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: cert.certFile }),
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('Through the tunnel.\n');
    expect(since(n)).toContain(`CONNECT ${HOST}:${tls.port}`);
  });

  it('a self-signed certificate without NODE_EXTRA_CA_CERTS: one line naming it, no retries', async () => {
    const n = proxy.log.length;
    const r = await runPiped(['-p', 'hi'], {
      env: env({ ANTHROPIC_BASE_URL: `https://${HOST}:${tls.port}`, HTTPS_PROXY: proxy.url, INKWELL_MAX_RETRIES: '4' }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^inkwell: The TLS certificate of ${HOST.replace(/\./g, '\\.')}:\\d+ is not trusted \\(a self-signed certificate\\)\\.`),
    );
    expect(r.stderr).toContain('set NODE_EXTRA_CA_CERTS');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // Asking again cannot help: one tunnel, one attempt, though four retries were allowed.
    expect(since(n)).toEqual([`CONNECT ${HOST}:${tls.port}`]);
  });

  it('lower-case http_proxy carries plain-http requests (absolute URI or tunnel)', async () => {
    server.enqueue(reply('Plain through the proxy.'));
    const n = proxy.log.length;
    const r = await runPiped(['-p', 'hi'], {
      env: env({ ANTHROPIC_BASE_URL: `http://plain.inkwell.test:${server.port}`, http_proxy: proxy.url }),
    });
    expect(r.stdout.toString()).toBe('Plain through the proxy.\n');
    expect(since(n).some((l) => l.includes(`plain.inkwell.test:${server.port}`))).toBe(true);
  });

  it('NO_PROXY sends a listed host direct; without it the same request goes through the proxy', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    server.enqueue(reply('Direct.'));
    let n = proxy.log.length;
    const direct = await runPiped(['-p', 'hi'], {
      env: env({ ANTHROPIC_BASE_URL: base, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }),
    });
    expect(direct.stdout.toString()).toBe('Direct.\n');
    expect(since(n)).toEqual([]);
    server.enqueue(reply('Proxied.'));
    n = proxy.log.length;
    const proxied = await runPiped(['-p', 'hi'], { env: env({ ANTHROPIC_BASE_URL: base, HTTP_PROXY: proxy.url }) });
    expect(proxied.stdout.toString()).toBe('Proxied.\n');
    expect(since(n).length).toBeGreaterThan(0);
  });

  it('a proxy that refuses: one line naming the proxy, the status and the variables', async () => {
    proxy.refuse(403);
    try {
      const r = await runPiped(['-p', 'hi'], {
        env: env({ ANTHROPIC_BASE_URL: `https://${HOST}:${tls.port}`, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: cert.certFile }),
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `inkwell: The proxy ${proxy.url} refused to connect to ${HOST}:${tls.port} (HTTP 403). Check HTTPS_PROXY / HTTP_PROXY, or add the host to NO_PROXY to go direct.\n`,
      );
    } finally {
      proxy.refuse(null);
    }
  });

  it('a proxy nobody listens on: says it could not be reached', async () => {
    const r = await runPiped(['-p', 'hi'], { env: env({ ANTHROPIC_BASE_URL: `https://${HOST}:443`, HTTPS_PROXY: 'http://127.0.0.1:9' }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^inkwell: The proxy http:\/\/127\.0\.0\.1:9 could not be reached for api\.inkwell\.test(:443)? \(ECONNREFUSED\)\. Check HTTPS_PROXY/,
    );
  });

  it('count_tokens and the Models API go through the proxy too (their host exists only there)', async () => {
    const n = proxy.log.length;
    const config = {
      apiKey: 'sk-ant-proxy-secret',
      authToken: null,
      baseURL: `http://plain.inkwell.test:${server.port}`,
      proxy: proxyFromEnv({ HTTP_PROXY: proxy.url }),
    };
    const api = messagesApi(createClient(config));
    const count = await api.countTokens({
      model: 'claude-sonnet-4-5',
      system: null,
      messages: [{ role: 'user', content: 'count me please' }],
    });
    expect(count).toBeGreaterThan(0);
    expect((await api.listModels()).length).toBeGreaterThan(0);
    expect((await api.modelLimits('claude-sonnet-4-5')).source).toBe('api');
    expect(since(n).some((l) => l.includes(`plain.inkwell.test:${server.port}`))).toBe(true);
  });

  it('inkwell doctor shows the proxy in effect (without its password) and proves the path', async () => {
    server.enqueue(reply('ok'));
    const withPassword = proxy.url.replace('http://', 'http://alice:hunter2@');
    const r = await runPiped(['doctor'], {
      env: env({ ANTHROPIC_BASE_URL: `https://${HOST}:${tls.port}`, HTTPS_PROXY: withPassword, NODE_EXTRA_CA_CERTS: cert.certFile }),
    });
    const out = r.stdout.toString();
    expect(out).toMatch(new RegExp(`^proxy +${proxy.url.replace(/[.:/]/g, '\\$&')} \\(HTTPS_PROXY\\)$`, 'm'));
    expect(out).toMatch(new RegExp(`^CA +NODE_EXTRA_CA_CERTS=${cert.certFile.replace(/[.:/]/g, '\\$&')}$`, 'm'));
    expect(out).toMatch(/^key +ANTHROPIC_API_KEY$/m);
    expect(out).toMatch(/^request +ok/m);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('sk-ant-proxy-secret');
    expect(r.code).toBe(0);
  });
});
