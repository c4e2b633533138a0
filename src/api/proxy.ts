import type { Dispatcher } from 'undici';

/**
 * Proxies, from the environment as curl and Claude Code read them: `HTTPS_PROXY` for https URLs,
 * `HTTP_PROXY` for http ones (and for https ones when `HTTPS_PROXY` is unset), `NO_PROXY` for the
 * hosts reached directly. Lower-case names win over upper-case ones. Requests go through undici's
 * `EnvHttpProxyAgent` (CONNECT tunnels), whose rules {@link proxyFor} repeats for `inkwell doctor`
 * and error messages. Custom CA bundles need nothing here: Node adds `NODE_EXTRA_CA_CERTS` to the
 * certificates every TLS connection trusts, through a proxy or not.
 */
export interface ProxySettings {
  /** `https_proxy` / `HTTPS_PROXY`, or null. */
  httpsProxy: string | null;
  /** `http_proxy` / `HTTP_PROXY`, or null. */
  httpProxy: string | null;
  /** `no_proxy` / `NO_PROXY` as written (comma or space separated hosts, `*` for all), or null. */
  noProxy: string | null;
}

const set = (v: string | undefined): string | null => (v !== undefined && v.trim() !== '' ? v.trim() : null);

/**
 * The proxy variables in `env` (lower-case names first, as undici and curl read them).
 * @returns null when neither `HTTPS_PROXY` nor `HTTP_PROXY` is set (requests go direct)
 */
export function proxyFromEnv(env: NodeJS.ProcessEnv): ProxySettings | null {
  const httpsProxy = set(env.https_proxy ?? env.HTTPS_PROXY);
  const httpProxy = set(env.http_proxy ?? env.HTTP_PROXY);
  if (!httpsProxy && !httpProxy) return null;
  return { httpsProxy, httpProxy, noProxy: set(env.no_proxy ?? env.NO_PROXY) };
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The proxy a request to `url` goes through, by undici's `EnvHttpProxyAgent` rules (undici 7
 * lib/dispatcher/env-http-proxy-agent.js): a `NO_PROXY` entry `host` or `.host` (also `*.host`)
 * matches the host and its subdomains, `host:port` only that port, `*` every host.
 * @returns the proxy URL, or null for a direct connection
 */
export function proxyFor(url: string, p: ProxySettings | null): string | null {
  if (!p) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const proxy = u.protocol === 'https:' ? (p.httpsProxy ?? p.httpProxy) : p.httpProxy;
  if (!proxy) return null;
  const noProxy = p.noProxy ?? '';
  if (noProxy === '*') return null;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number.parseInt(u.port, 10) || DEFAULT_PORTS[u.protocol] || 0;
  for (const entry of noProxy.split(/[,\s]/)) {
    if (!entry) continue;
    const m = /^(.+):(\d+)$/.exec(entry);
    const name = (m ? m[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (m && Number(m[2]) !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return null;
  }
  return proxy;
}

/** A proxy URL with any user:password taken out, for messages and `inkwell doctor`. */
export function showProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return proxy;
  }
}

/**
 * A fetch that sends every request through the proxies of `p` (undici's fetch over an
 * `EnvHttpProxyAgent` given those settings). It also becomes the process's global dispatcher, so
 * the cloud providers' credential requests (AWS SSO and STS, which use Node's fetch) take the
 * same proxy. undici is loaded at the first request (it is not needed without a proxy, and start-up
 * would pay for parsing it).
 * @throws (from the returned fetch) TypeError when a proxy URL cannot be parsed
 */
export function proxiedFetch(p: ProxySettings): typeof fetch {
  let ready: Promise<{ agent: Dispatcher; fetch: (input: unknown, init: unknown) => Promise<unknown> }> | null = null;
  const load = () =>
    (ready ??= import('undici').then((m) => {
      // Bundled, this CommonJS package arrives as a namespace with only `default` (esbuild's
      // interop for import()); unbundled (tests), with its named exports.
      const named = m as unknown as Pick<typeof m, 'EnvHttpProxyAgent' | 'setGlobalDispatcher' | 'fetch'>;
      const u = named.EnvHttpProxyAgent ? named : (m as unknown as { default: typeof named }).default;
      const agent = new u.EnvHttpProxyAgent({
        ...(p.httpProxy ? { httpProxy: p.httpProxy } : {}),
        ...(p.httpsProxy ? { httpsProxy: p.httpsProxy } : {}),
        noProxy: p.noProxy ?? '',
      });
      u.setGlobalDispatcher(agent);
      return { agent, fetch: u.fetch as unknown as (input: unknown, init: unknown) => Promise<unknown> };
    }));
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const u = await load();
    return u.fetch(input, { ...init, dispatcher: u.agent });
  }) as unknown as typeof fetch;
}
