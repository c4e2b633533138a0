import { EventStreamCodec } from '@smithy/eventstream-codec';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitFrames } from '../../src/server/index.js';

/**
 * Local fakes of Claude on Amazon Bedrock and on Google Vertex AI, speaking their wire formats
 * (docs/PROVIDERS.md) in front of inkwell's local Messages API server, so the official SDKs can
 * be driven end to end:
 * - Bedrock: `POST /model/{modelId}/invoke-with-response-stream`, body without `model` or
 *   `stream` and with `anthropic_version`, SigV4-signed; the answer is the same SSE events, each
 *   in an AWS event-stream binary frame (`:event-type: chunk`, payload `{"bytes": base64(event)}`).
 * - Vertex: `POST /v1/projects/{p}/locations/{r}/publishers/anthropic/models/{model}:streamRawPredict`
 *   (SSE as is), `count-tokens:rawPredict`, and the GCE metadata server that Google's
 *   application-default credentials ask for a token when `GCE_METADATA_HOST` points here.
 */
export interface CloudFake {
  url: string;
  /** Every request, in order: method, path, headers, parsed JSON body. */
  requests: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: unknown }>;
  /** Answer the next model request with this status and JSON body instead (e.g. an expired AWS token). */
  failNext(status: number, body: unknown, headers?: Record<string, string>): void;
  /** The metadata server's token answer from now on: a token, or an HTTP status and body to fail with. */
  setMetadataToken(answer: { token: string } | { status: number; body: string }): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (s += d));
    req.on('end', () => resolve(s));
  });
}

const codec = new EventStreamCodec(
  (b: Uint8Array) => Buffer.from(b).toString('utf8'),
  (s: string) => new Uint8Array(Buffer.from(s, 'utf8')),
);

/** One SSE event's JSON as a Bedrock `chunk` event-stream frame. */
export function bedrockChunkFrame(eventJson: string): Uint8Array {
  const payload = JSON.stringify({ bytes: Buffer.from(eventJson, 'utf8').toString('base64') });
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(payload, 'utf8')),
  });
}

/**
 * Starts the fakes in front of a local Messages API server.
 * @param upstream the local server's base URL (src/server)
 */
export async function startCloudFake(upstream: string): Promise<CloudFake> {
  const requests: CloudFake['requests'] = [];
  let failure: { status: number; body: unknown; headers: Record<string, string> } | null = null;
  const fake: Omit<CloudFake, 'url' | 'close'> = {
    requests,
    failNext: (status, body, headers = {}) => {
      failure = { status, body, headers };
    },
    setMetadataToken: (answer) => {
      metadataToken = answer;
    },
  };
  let metadataToken: { token: string } | { status: number; body: string } = { token: 'ya29.fake-google-token' };

  const forward = async (path: string, body: Record<string, unknown>): Promise<Response> =>
    fetch(`${upstream}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-ant-fake-upstream', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });

    // The GCE metadata server (gcp-metadata: every answer carries Metadata-Flavor: Google).
    if (url.pathname.startsWith('/computeMetadata/')) {
      res.setHeader('Metadata-Flavor', 'Google');
      if (url.pathname.endsWith('/service-accounts/default/token')) {
        const t = metadataToken;
        if ('status' in t) {
          res.writeHead(t.status, { 'content-type': 'text/plain' }).end(t.body);
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: t.token, expires_in: 3599, token_type: 'Bearer' }));
        return;
      }
      if (url.pathname.endsWith('/project/project-id')) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('metadata-project');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }

    const bedrock = /^\/model\/([^/]+)\/(invoke-with-response-stream|invoke)$/.exec(url.pathname);
    const vertex =
      /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(streamRawPredict|rawPredict)$/.exec(
        url.pathname,
      );
    if (!bedrock && !vertex) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `no route ${url.pathname}` }));
      return;
    }
    if (failure) {
      const f = failure;
      failure = null;
      res.writeHead(f.status, { 'content-type': 'application/json', ...f.headers }).end(JSON.stringify(f.body));
      return;
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (vertex && vertex[3] === 'count-tokens') {
      const up = await forward('/v1/messages/count_tokens', b);
      res.writeHead(up.status, { 'content-type': 'application/json' }).end(await up.text());
      return;
    }
    const model = decodeURIComponent((bedrock ? bedrock[1] : vertex![3])!);
    const stream = bedrock ? bedrock[2] === 'invoke-with-response-stream' : vertex![4] === 'streamRawPredict';
    const { anthropic_version: _v, anthropic_beta: _b, ...rest } = b;
    const up = await forward('/v1/messages', { ...rest, model, stream });
    const bytes = new Uint8Array(await up.arrayBuffer());
    if (!up.ok || !stream) {
      res.writeHead(up.status, { 'content-type': 'application/json' }).end(bytes);
      return;
    }
    if (vertex) {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(bytes);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'bedrock-req-1' });
    for (const frame of splitFrames(bytes)) {
      if (!frame.data || frame.event === 'ping') continue;
      res.write(bedrockChunkFrame(frame.data));
    }
    res.end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as CloudFake;
}
