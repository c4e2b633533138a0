// Bundled (optionally) by scripts/bench/bundle.mjs into dist/bench/session-lib.js: the session
// file format, so seeded sessions are checked against the app's own schema. If src/sessions
// changes shape and this no longer bundles, the bench reports sessions as unavailable.
export { recordSchema, FORMAT_VERSION } from '../../src/sessions/schema.ts';
export { SESSION_ID_ALPHABET, SESSION_ID_LENGTH } from '../../src/sessions/ids.ts';
export { SESSION_EXT } from '../../src/sessions/paths.ts';
