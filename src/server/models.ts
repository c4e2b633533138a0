/**
 * The server's model table and the `GET /v1/models` list/retrieve logic.
 * Shape: SDK 1.12 `ModelInfo` (`resources/models.ts`); limits: docs/PROTOCOL.md §9.
 */
import type { ModelInfo, ModelSpec } from './types.js';

const UNKNOWN_DATE = '1970-01-01T00:00:00Z';

/**
 * The built-in model table, newest first (the real list order). Context windows and max
 * output tokens follow docs/PROTOCOL.md §9; `created_at` is the release date where known, else
 * the epoch (allowed by the `ModelInfo.created_at` doc).
 */
export const DEFAULT_MODELS: readonly ModelSpec[] = [
  {
    id: 'claude-haiku-5-5',
    display_name: 'Claude Haiku 5.5',
    created_at: '2026-10-07T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-sonnet-5-5',
    display_name: 'Claude Sonnet 5.5',
    created_at: '2026-09-28T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-opus-5-5',
    display_name: 'Claude Opus 5.5',
    created_at: '2026-09-22T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  { id: 'claude-fable-5-1', display_name: 'Claude Fable 5.1', created_at: UNKNOWN_DATE, max_input_tokens: 1_000_000, max_tokens: 128_000 },
  {
    id: 'claude-sonnet-5',
    display_name: 'Claude Sonnet 5',
    created_at: '2026-06-30T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-sonnet-4-6',
    display_name: 'Claude Sonnet 4.6',
    created_at: '2026-02-17T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-opus-4-6',
    display_name: 'Claude Opus 4.6',
    created_at: '2026-02-05T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-opus-4-5',
    display_name: 'Claude Opus 4.5',
    created_at: '2025-11-24T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  },
  {
    id: 'claude-haiku-4-5',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-15T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  },
  {
    id: 'claude-sonnet-4-5',
    display_name: 'Claude Sonnet 4.5',
    created_at: '2025-09-29T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  },
  { id: 'inkwell-demo', display_name: 'Inkwell Demo', created_at: UNKNOWN_DATE, max_input_tokens: 200_000, max_tokens: 8_192 },
];

/**
 * Fill a model table entry up to a full {@link ModelInfo}: `display_name` defaults to the id,
 * `created_at` to the epoch, `lifecycle` to `active`, and `capabilities`, `deprecated_at`,
 * `line`, `retires_at`, `max_input_tokens`, `max_tokens` to `null`.
 *
 * @param spec  an entry with at least `id`.
 * @returns a new object with every `ModelInfo` key, in the SDK's documented field set.
 */
export function toModelInfo(spec: ModelSpec): ModelInfo {
  return {
    type: 'model',
    id: spec.id,
    display_name: spec.display_name ?? spec.id,
    created_at: spec.created_at ?? UNKNOWN_DATE,
    capabilities: spec.capabilities ?? null,
    deprecated_at: spec.deprecated_at ?? null,
    lifecycle: spec.lifecycle ?? 'active',
    line: spec.line ?? null,
    max_input_tokens: spec.max_input_tokens ?? null,
    max_tokens: spec.max_tokens ?? null,
    retires_at: spec.retires_at ?? null,
  };
}

/** One page of `GET /v1/models` (SDK 1.12 `Page<ModelInfo>`). */
export interface ModelPage {
  data: ModelInfo[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/**
 * A page of the model list, honouring the real query parameters `limit` (1–1000, default 20),
 * `after_id`, `before_id` and `lifecycle[]` (default: active and deprecated).
 *
 * @param models  the full table in list order.
 * @param query  the request's query parameters.
 * @returns the page; `has_more` is true when more models lie beyond it in that direction.
 */
export function listModels(models: readonly ModelInfo[], query: URLSearchParams): ModelPage {
  const limit = clamp(Number.parseInt(query.get('limit') ?? '20', 10) || 20, 1, 1000);
  const lifecycles = [...query.getAll('lifecycle'), ...query.getAll('lifecycle[]')];
  const allowed = lifecycles.length > 0 ? new Set(lifecycles) : new Set(['active', 'deprecated']);
  const visible = models.filter((m) => allowed.has(m.lifecycle));
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  let data: ModelInfo[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = Math.max(
      0,
      visible.findIndex((m) => m.id === beforeId),
    );
    const start = Math.max(0, end - limit);
    data = visible.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = afterId !== null ? visible.findIndex((m) => m.id === afterId) + 1 : 0;
    data = start > 0 || afterId === null ? visible.slice(start, start + limit) : [];
    hasMore = start + limit < visible.length && data.length > 0;
  }
  return { data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: hasMore };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
