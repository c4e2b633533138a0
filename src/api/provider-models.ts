/**
 * Model ids as each provider names them. inkwell keeps Anthropic's names everywhere (the status
 * bar, prices, thinking and prefill rules, sessions) and maps them only at the request, in the
 * provider's port (api/providers.ts). Sources: platform.claude.com "Claude on Amazon Bedrock" and
 * "Claude on Vertex AI" model tables (Nov 2026); docs/PROVIDERS.md repeats them.
 */

/** Anthropic alias → [Bedrock base model id, Vertex model id]. */
const KNOWN: Readonly<Record<string, readonly [bedrock: string, vertex: string]>> = {
  'claude-opus-4-6': ['anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
  'claude-sonnet-4-6': ['anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6'],
  'claude-opus-4-5': ['anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5@20251101'],
  'claude-sonnet-4-5': ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5@20250929'],
  'claude-haiku-4-5': ['anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5@20251001'],
  'claude-opus-4-1': ['anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1@20250805'],
  'claude-opus-4-0': ['anthropic.claude-opus-4-20250514-v1:0', 'claude-opus-4@20250514'],
  'claude-sonnet-4-0': ['anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4@20250514'],
  'claude-3-7-sonnet-latest': ['anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet@20250219'],
  'claude-3-5-haiku-latest': ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku@20241022'],
};

/** A dated Anthropic id: `claude-sonnet-4-5-20250929` → name and date. */
const DATED = /^(claude-[a-z0-9-]+?)-(\d{8})$/;

/**
 * The Bedrock model id for an Anthropic model id. Ids that already look like Bedrock's (a `.` as
 * in `anthropic.…` or an inference profile `us.anthropic.…`, or an `arn:`) pass unchanged; known
 * aliases use the table; a dated id `X-YYYYMMDD` becomes `anthropic.X-YYYYMMDD-v1:0`; any other
 * id `X` becomes `anthropic.X` (the form of 4.6 and later).
 */
export function bedrockModelId(model: string): string {
  if (model.includes('.') || model.startsWith('arn:')) return model;
  const known = KNOWN[model];
  if (known) return known[0];
  if (DATED.test(model)) return `anthropic.${model}-v1:0`;
  return `anthropic.${model}`;
}

/**
 * The Vertex AI model id for an Anthropic model id. Ids with an `@` pass unchanged; known
 * aliases use the table; a dated id `X-YYYYMMDD` becomes `X@YYYYMMDD`; any other id is sent as it
 * is (Vertex names 4.6 and later models without a date).
 */
export function vertexModelId(model: string): string {
  if (model.includes('@')) return model;
  const known = KNOWN[model];
  if (known) return known[1];
  const m = DATED.exec(model);
  return m ? `${m[1]}@${m[2]}` : model;
}
