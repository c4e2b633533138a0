/**
 * Saved sessions: one append-only JSONL file per session in a sessions directory (schema.ts has
 * the record format). Start a session with `createSession`, resume one with
 * `openSessionForWriting`, list them with `listSessions`.
 *
 * A streamed turn, as the UI drives it (test/sessions/helpers.ts `streamTurn` does exactly this):
 * 1. `user_sent` dispatched → `writer.appendUser(userMessage)`.
 * 2. every frame that changed the reply → `writer.checkpoint(reply)` (throttled inside; cheap).
 * 3. `stream_completed` / `stream_failed` / `stream_aborted` dispatched → if the reply is still in
 *    the state, `writer.appendAssistant(reply)`; then `writer.appendNotice(n)` for each notice the
 *    reducer added (`<id>-error`, `<id>-stopped`), and for other notices worth keeping.
 * 4. `/rename` → `writer.rename(title)`; quitting → `writer.close()` (also run at process exit).
 * Show `writer.status` (or subscribe with `onStatus`) as a warning while `ok` is false.
 */
export { createSession, nodeWriterFs } from './store.js';
export type { NewSession, SessionWriter, WriterFs, WriterOptions, WriterStatus } from './store.js';
export { openSessionForWriting } from './open.js';
export type { OpenedSession } from './open.js';
export { loadSession, parseSession, parseSessionBytes, SessionNotFoundError, STOPPED_MID_REPLY } from './load.js';
export type { LoadedSession } from './load.js';
export { findOne, findSession, latestSession, listSessions, summariseSession } from './list.js';
export type { FindResult, SessionSummary } from './list.js';
export { deleteSession } from './delete.js';
export type { ManageResult } from './delete.js';
export { renameSession } from './rename.js';
export { DRAFT_EXT, draftPath, loadDraft, saveDraft } from './drafts.js';
export { exportJson, exportMarkdown } from './export.js';
export type { ExportOptions } from './export.js';
export { resolveExportPath, writeExportFile } from './export-file.js';
export type { ExportWriteOptions, ExportWriteResult } from './export-file.js';
export { acquireLock, isProcessAlive, lockHolder } from './lock.js';
export type { LockOwner, LockResult } from './lock.js';
export { isSessionId, newSessionId, SESSION_ID_ALPHABET, SESSION_ID_LENGTH } from './ids.js';
export { isSafeSessionId, lockPath, sessionPath } from './paths.js';
export { defaultTitle, UNTITLED } from './title.js';
export { FORMAT_VERSION } from './schema.js';
export type { SessionHeader, SessionRecord } from './schema.js';
export { REDACTED } from './redact.js';
export { SEARCH_LIMIT, searchSessions } from './search.js';
export type { SearchOptions } from './search.js';
export type { SearchHit, SearchResult } from './search-types.js';
export { SEARCH_INDEX_NAME } from './search-index.js';
