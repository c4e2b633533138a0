/**
 * Web search and web fetch: the API's server tools, offered on a request (the API runs them;
 * inkwell runs no tools itself). docs/WEB.md has the wire facts and their sources.
 *
 * Versions: `web_search_20250305` (GA) and `web_fetch_20250910` (beta header
 * `web-fetch-2025-09-10`). The newer `…_20260209` versions add dynamic filtering, which runs the
 * code execution tool inside the search and is offered only with it on Opus/Sonnet 4.6 and later;
 * inkwell does not offer code execution, so it asks for the versions every web-capable model takes.
 */

/** The web search tool's `type` inkwell sends. */
export const WEB_SEARCH_TOOL = 'web_search_20250305';
/** The web fetch tool's `type` inkwell sends. */
export const WEB_FETCH_TOOL = 'web_fetch_20250910';
/** The beta web fetch needs (`anthropic-beta: web-fetch-2025-09-10`). */
export const WEB_FETCH_BETA = 'web-fetch-2025-09-10';

/** The user's approximate location for search results (`user_location`, type `approximate`). */
export interface WebUserLocation {
  city?: string;
  region?: string;
  /** Two-letter ISO country code, e.g. `US`. */
  country?: string;
  /** IANA time zone, e.g. `America/Los_Angeles`. */
  timezone?: string;
}

/** What the web tools are asked for on one request (the `webSearch…` settings). */
export interface WebToolsSetting {
  /** Offer web search and web fetch. */
  on: boolean;
  /** `max_uses` per request for each tool, or null for the API's default (no cap). */
  maxUses: number | null;
  /** Only these domains (none: any). Cannot be combined with `blockedDomains` (the API's 400). */
  allowedDomains: readonly string[];
  /** Never these domains. */
  blockedDomains: readonly string[];
  /** Where the user is, for local results, or null. */
  userLocation: WebUserLocation | null;
}

/** Web off: what a request carries when nothing asks for the web. */
export const WEB_OFF: WebToolsSetting = { on: false, maxUses: null, allowedDomains: [], blockedDomains: [], userLocation: null };

/** Fields shared by both tools' definitions. */
function common(s: WebToolsSetting): Record<string, unknown> {
  return {
    ...(s.maxUses !== null ? { max_uses: s.maxUses } : {}),
    ...(s.allowedDomains.length > 0 ? { allowed_domains: [...s.allowedDomains] } : {}),
    ...(s.allowedDomains.length === 0 && s.blockedDomains.length > 0 ? { blocked_domains: [...s.blockedDomains] } : {}),
  };
}

/**
 * The `tools` of a request: web search (with `user_location` when set) and web fetch (citations
 * on, so fetched pages are cited like search results). Allowed domains win over blocked ones (the
 * API refuses both at once).
 * @returns the tool definitions, [] when web is off
 */
export function webToolDefinitions(s: WebToolsSetting): Record<string, unknown>[] {
  if (!s.on) return [];
  const location = s.userLocation && Object.keys(s.userLocation).length > 0 ? { type: 'approximate', ...s.userLocation } : null;
  return [
    { type: WEB_SEARCH_TOOL, name: 'web_search', ...common(s), ...(location ? { user_location: location } : {}) },
    { type: WEB_FETCH_TOOL, name: 'web_fetch', ...common(s), citations: { enabled: true } },
  ];
}

/** The betas the web tools need on a request (`anthropic-beta` values), none when off. */
export function webBetas(s: WebToolsSetting): string[] {
  return s.on ? [WEB_FETCH_BETA] : [];
}

/**
 * Whether a failed request was refused because of the server tools: a 400 naming a web tool, its
 * type or beta, or saying tools / server tools are not supported (a gateway without them). Such a
 * request is sent again without the web, and the web is turned off for that base URL.
 * @param status the HTTP status, or null/undefined when there was none
 * @param message the error's message as the server or SDK gave it
 */
export function isWebToolRejection(status: number | null | undefined, message: string): boolean {
  if (status !== 400) return false;
  return /tools\.\d+|web_search_\d|web_fetch_\d|web-fetch|server tools? (are |is )?not (supported|available|enabled)|tools? (are|is) not supported|does not support (server )?tools|web (search|fetch) (is )?not (enabled|available|supported)/i.test(
    message,
  );
}

/**
 * Merges `anthropic-beta` header values (comma-separated, as the API takes several) without
 * repeats.
 * @param values header values or lists, empty ones skipped
 * @returns the merged value, or null when there is none
 */
export function mergeBetas(...values: Array<string | readonly string[] | undefined>): string | null {
  const all = new Set<string>();
  for (const v of values) {
    const list = typeof v === 'string' ? v.split(',') : (v ?? []);
    for (const b of list) if (b.trim()) all.add(b.trim());
  }
  return all.size > 0 ? [...all].join(',') : null;
}
