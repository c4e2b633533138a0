/**
 * The HTTP layer of the local Messages API server: listening, request recording, auth and
 * routing to messages, count_tokens and models. Only `node:http`.
 * Endpoints and auth: docs/PROTOCOL.md §6 (Bearer auth, `request-id`), §8 (count_tokens),
 * §9 (models), §5.2 (error bodies).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type CacheTtl, PromptCache, planCache } from './cache.js';
import { AUTHENTICATION_ERROR_BODY, errorBody } from './errors.js';
import { newRequestId } from './ids.js';
import { DEFAULT_MODELS, listModels, toModelInfo } from './models.js';
import { jsonHeaders, runScenario, sendPlain } from './scenarios.js';
import { pendingServerToolUse, serverToolProblem } from './server-tools.js';
import { estimateInputTokens } from './tokens.js';
import type { ModelInfo, ModelSpec, RecordedRequest, Scenario } from './types.js';
import { validateCountTokensRequest } from './validate.js';

/** A running server. */
export interface MessagesServer {
  /** Base URL such as `http://127.0.0.1:54321`; pass it as the SDK's `baseURL`. */
  url: string;
  /** Port the server listens on. */
  port: number;
  /** Every request received, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Queue answers for the next `POST /v1/messages` requests, first in first out. */
  enqueue(...scenarios: Scenario[]): void;
  /** Replace the answer used when the queue is empty. */
  setDefault(scenario: Scenario): void;
  /** Number of scenarios still queued. */
  pending(): number;
  /** Stop listening, abort running answers and destroy open sockets (stalled ones too). */
  close(): Promise<void>;
}

/** Options of {@link startMessagesServer}. */
export interface MessagesServerOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or `x-api-key: <apiKey>`. */
  apiKey?: string;
  /** The model table served by `/v1/models` (default {@link DEFAULT_MODELS}), in list order. */
  models?: readonly ModelSpec[];
  /** Answer when the queue is empty; default `{kind: 'demo'}`. */
  defaultScenario?: Scenario;
  /**
   * When true, `POST /v1/messages` and `count_tokens` naming a model missing from the table
   * get the 404 `not_found_error` (`"model: <id>"`) like the real API. Default false.
   */
  strictModels?: boolean;
  /**
   * Prompt-cache lifetimes in ms overriding the API's 5 minutes and 1 hour (tests shorten them
   * to see an entry expire), e.g. `{'5m': 1000}`.
   */
  cacheTtlMs?: Partial<Record<CacheTtl, number>>;
  /**
   * False: the server is a gateway without server tools and answers any request offering web
   * search or web fetch with the API's 400 (server-tools.ts). Default true: the tools' definitions
   * and the server-tool blocks of the history are checked as the API checks them.
   */
  serverTools?: boolean;
}

const REDACTED_HEADERS = new Set(['authorization', 'x-api-key']);

/**
 * Start a local Messages API server on 127.0.0.1.
 *
 * Endpoints: `POST /v1/messages` (streaming and not; answered from the scenario queue; its
 * `cache_control` markers are checked — more than 4 is the API's 400 — and the demo model's
 * usage comes from the server's prompt cache, cache.ts), `POST /v1/messages/count_tokens`
 * (`{"input_tokens": ceil(chars/4)}`, the same estimate the messages usage adds up to),
 * `GET /v1/models`, `GET /v1/models/{id}`. Every response carries a `request-id: req_…` header.
 *
 * @returns the running server once it listens.
 * @throws (rejects) if the port cannot be bound.
 */
export async function startMessagesServer(opts: MessagesServerOptions = {}): Promise<MessagesServer> {
  const requests: RecordedRequest[] = [];
  const queue: Scenario[] = [];
  let defaultScenario: Scenario = opts.defaultScenario ?? { kind: 'demo' };
  const models: ModelInfo[] = (opts.models ?? DEFAULT_MODELS).map(toModelInfo);
  const sockets = new Set<Socket>();
  const running = new Set<AbortController>();
  const promptCache = new PromptCache(opts.cacheTtlMs ? { ttlMs: opts.cacheTtlMs } : {});

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = parseBody(raw);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      url: req.url ?? '/',
      headers: recordHeaders(req),
      body,
      receivedAt: Date.now(),
    });

    if (opts.apiKey !== undefined && !authorized(req, opts.apiKey)) {
      sendPlain(res, 401, { 'content-type': 'application/json', 'request-id': requestId }, AUTHENTICATION_ERROR_BODY);
      return;
    }

    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const notFound = (message: string): void =>
      sendPlain(res, 404, jsonHeaders(requestId), errorBody('not_found_error', message, requestId));
    const unknownModel = (model: unknown): boolean =>
      opts.strictModels === true && typeof model === 'string' && !models.some((m) => m.id === model);
    const badRequest = (message: string): void =>
      sendPlain(res, 400, jsonHeaders(requestId), errorBody('invalid_request_error', message, requestId));

    if (route === 'POST /v1/messages') {
      const model = isObject(body) ? body.model : undefined;
      if (unknownModel(model)) return notFound(`model: ${String(model)}`);
      const cache = planCache(body);
      if (!cache.ok) return badRequest(cache.message);
      const betas = String(req.headers['anthropic-beta'] ?? '')
        .split(',')
        .map((b) => b.trim());
      const tools = serverToolProblem(body, betas, { enabled: opts.serverTools !== false });
      if (tools) return badRequest(tools);
      // Like the API, a paused turn sent back (its last block a pending server_tool_use) is resumed.
      const scenario = queue.shift() ?? (pendingServerToolUse(body) ? { kind: 'resume' as const } : defaultScenario);
      const controller = new AbortController();
      running.add(controller);
      const onClose = (): void => controller.abort();
      res.once('close', onClose);
      try {
        await runScenario(scenario, {
          res,
          requestId,
          body,
          signal: controller.signal,
          serveFromCache: () => promptCache.use(cache.plan),
        });
      } finally {
        running.delete(controller);
        res.off('close', onClose);
      }
      return;
    }
    if (route === 'POST /v1/messages/count_tokens') {
      const model = isObject(body) ? body.model : undefined;
      if (unknownModel(model)) return notFound(`model: ${String(model)}`);
      const checked = validateCountTokensRequest(body);
      if (!checked.ok) return badRequest(checked.message);
      const cache = planCache(body);
      if (!cache.ok) return badRequest(cache.message);
      sendPlain(res, 200, jsonHeaders(requestId), JSON.stringify({ input_tokens: estimateInputTokens(body) }));
      return;
    }
    if (route === 'GET /v1/models') {
      sendPlain(res, 200, jsonHeaders(requestId), JSON.stringify(listModels(models, url.searchParams)));
      return;
    }
    const modelMatch = /^GET \/v1\/models\/([^/]+)$/.exec(route);
    if (modelMatch) {
      const id = decodeURIComponent(modelMatch[1]!);
      const model = models.find((m) => m.id === id);
      if (!model) return notFound(`model: ${id}`);
      sendPlain(res, 200, jsonHeaders(requestId), JSON.stringify(model));
      return;
    }
    notFound('Not Found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const requestId = newRequestId();
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) sendPlain(res, 500, jsonHeaders(requestId), errorBody('api_error', message, requestId));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    enqueue: (...scenarios) => void queue.push(...scenarios),
    setDefault: (scenario) => {
      defaultScenario = scenario;
    },
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const controller of running) controller.abort();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function recordHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] = REDACTED_HEADERS.has(key) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Bearer (SDK 1.x) or x-api-key (older clients) must equal the configured key. */
function authorized(req: IncomingMessage, apiKey: string): boolean {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth) && auth.replace(/^Bearer\s+/i, '') === apiKey) return true;
  return req.headers['x-api-key'] === apiKey;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
