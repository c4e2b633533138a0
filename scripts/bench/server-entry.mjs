// Bundled by scripts/bench/bundle.mjs into dist/bench/server-lib.js: the local Messages API
// server and its stream helpers, straight from the TypeScript sources, for the bench process.
export { startMessagesServer, generateMarkdownDocument, sseForText, splitFrames, textTokens } from '../../src/server/index.ts';
export { hostileDone, hostileReplies, sseForDeltas } from '../../src/server/hostile.ts';
