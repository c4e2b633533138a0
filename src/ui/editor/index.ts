/**
 * The multi-line prompt editor. What the App needs:
 * - `PromptEditor`: the component.
 * - `editorHandlesKey`: ask it in the App's `useInput` so a key is not acted on twice (Ink gives
 *   every key to every handler): Home/End belong to the editor while the prompt has text.
 * - `editorHeight`: rows the editor takes for a text (size the transcript and find `originRow`).
 * - `MARK_COLUMNS`: columns of the "› " mark in front of the text (the editor is `width + 2` wide).
 * - `normalizeModifiedEnter`: for the stdin filter, so xterm modifyOtherKeys Shift+Enter works.
 */
export { PromptEditor, MARK_COLUMNS, type PromptEditorControls, type PromptEditorProps } from './PromptEditor.js';
export { editorHandlesKey, normalizeModifiedEnter } from './keys.js';
export { editorHeight } from './state.js';
export { HISTORY_LIMIT } from './history.js';
