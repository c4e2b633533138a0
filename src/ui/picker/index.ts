/** The `/sessions` picker: search, open, delete and rename saved sessions. */
export { SessionPicker } from './SessionPicker.js';
export type { PickerResult, SessionPickerProps } from './SessionPicker.js';
export { CONTENT_MAX_BYTES, filterSessions, makeContentIndex, queryWords, searchableText } from './filter.js';
export type { ContentIndexOptions } from './filter.js';
export { pickerCommand } from './keys.js';
export type { PickerCommand, PickerKey, PickerKeyMode } from './keys.js';
export { relativeTime } from './view.js';
export { indexedSearch } from './indexed.js';
