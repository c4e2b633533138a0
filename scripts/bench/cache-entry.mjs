// Bundled by scripts/bench/cache.mjs into dist/bench/cache-lib.js: the local Messages API server
// (with its prompt cache) and the app's engine and API port, straight from the TypeScript sources.
export { startMessagesServer } from '../../src/server/index.ts';
export { ChatEngine } from '../../src/chat/engine.ts';
export { messagesApi } from '../../src/api/port.ts';
export { createClient } from '../../src/api/client.ts';
