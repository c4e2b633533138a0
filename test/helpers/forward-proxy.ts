import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A small forward proxy for tests: CONNECT tunnels (https targets) and absolute-URI requests
 * (http targets). It alone knows the test host names (`hosts` maps them to 127.0.0.1 ports), so
 * a request that reaches the API surely went through it. Loopback only.
 */
export interface ForwardProxy {
  url: string;
  /** What it was asked for, in order: `CONNECT host:port` or `GET http://host:port/path`. */
  log: string[];
  /** Answer every CONNECT with this status (e.g. 403) from now on instead of tunnelling; null to tunnel again. */
  refuse(status: number | null): void;
  close(): Promise<void>;
}

/**
 * Starts the proxy.
 * @param hosts test host name → the 127.0.0.1 port it stands for
 */
export async function startForwardProxy(hosts: Record<string, number>): Promise<ForwardProxy> {
  const log: string[] = [];
  const state = { refuseWith: null as number | null };
  const portFor = (host: string): number | null => hosts[host.toLowerCase()] ?? null;
  const server: Server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    const port = portFor(target.hostname) ?? (target.hostname === '127.0.0.1' ? Number(target.port) : null);
    if (port === null) {
      res.writeHead(502).end(`unknown host ${target.hostname}`);
      return;
    }
    const up = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client, head) => {
    log.push(`CONNECT ${req.url}`);
    sockets.add(client as import('node:net').Socket);
    if (state.refuseWith !== null) {
      client.end(`HTTP/1.1 ${state.refuseWith} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [host, portText] = (req.url ?? '').split(':');
    const port = portFor(host ?? '') ?? (host === '127.0.0.1' ? Number(portText) : null);
    if (port === null) {
      client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const up = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    refuse: (status) => {
      state.refuseWith = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for `host` (made with openssl), as PEM files. */
export function selfSignedCert(host: string): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-cert-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

/**
 * An HTTPS front for a local http server, with the given certificate (a TLS-terminating gateway).
 * @returns its port and a close function
 */
export async function startTlsFront(
  upstreamPort: number,
  cert: { certFile: string; keyFile: string },
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttpsServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (req, res) => {
    const up = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
