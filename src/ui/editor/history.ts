import fs from 'node:fs';
import path from 'node:path';
import { NO_SECRETS, type Redactor } from '../../domain/redact.js';

/**
 * Prompt history: a file of past prompts, saved across runs, and a pure navigator that walks it
 * with Up/Down while keeping the prompt being written (the draft).
 *
 * File format: JSON Lines (https://jsonlines.org), one JSON string per line, oldest first,
 * newest last. JSON strings keep multi-line prompts on one line. Lines that do not parse, or that
 * are not strings, are skipped, so a damaged or half-written file costs at most those lines.
 */

/** Entries kept in memory and in the file. */
export const HISTORY_LIMIT = 1000;
/** Prompts longer than this many UTF-16 code units are remembered for the session but not written to the file. */
export const HISTORY_ENTRY_MAX_CHARS = 100_000;

/**
 * Adds an entry to a history list: blank entries and a repeat of the newest entry are ignored,
 * and only the newest `limit` entries are kept.
 * @param entries oldest first
 * @param limit entries to keep
 * @returns a new list (or the same list when nothing changed)
 */
export function pushHistoryEntry(entries: readonly string[], entry: string, limit = HISTORY_LIMIT): readonly string[] {
  if (entry.trim() === '' || entries[entries.length - 1] === entry) return entries;
  const next = [...entries, entry];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/**
 * Parses history file contents. Never throws.
 * @param content the file's text
 * @returns entries, oldest first, consecutive repeats folded, at most `limit`
 */
export function parseHistory(content: string, limit = HISTORY_LIMIT): readonly string[] {
  let entries: readonly string[] = [];
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof value === 'string') entries = pushHistoryEntry(entries, value, Number.POSITIVE_INFINITY);
  }
  return entries.length > limit ? entries.slice(entries.length - limit) : entries;
}

/** Serialises entries to the file format (one JSON string per line, trailing newline). */
export function serializeHistory(entries: readonly string[]): string {
  return entries.map((e) => JSON.stringify(e) + '\n').join('');
}

/**
 * Reads the history file. A missing, unreadable or damaged file gives an empty history (or the
 * lines that still parse); it never throws.
 * @param file path of the JSONL file
 * @returns entries, oldest first, at most `HISTORY_LIMIT`
 */
export function loadHistory(file: string): readonly string[] {
  try {
    return parseHistory(fs.readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** The result of a history write: it never throws, it says what went wrong instead. */
export type HistoryWriteResult = { ok: true } | { ok: false; error: string };

/**
 * Appends a prompt to the history file: re-reads the file (so prompts saved by another inkwell
 * window meanwhile are kept), adds the entry (blank entries and a repeat of the newest are
 * skipped), keeps the newest `HISTORY_LIMIT`, and replaces the file atomically (write a temporary
 * file in the same folder, then rename), creating the folder if needed. The file is private to
 * the user (mode 0600, folder 0700): prompts can hold anything. A credential in the prompt (the
 * API key pasted by mistake) is written as "[redacted]", as in the session file.
 *
 * Never throws: a failure comes back as `{ ok: false, error }` in plain words.
 * @param file path of the JSONL file
 * @param prompt the prompt as sent
 * @param redactor hides the credentials in use (domain/redact.ts); default: nothing hidden
 */
export function appendHistory(file: string, prompt: string, redactor: Redactor = NO_SECRETS): HistoryWriteResult {
  const entry = redactor.redact(prompt);
  if (entry.trim() === '' || entry.length > HISTORY_ENTRY_MAX_CHARS) return { ok: true };
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const before = loadHistory(file);
    const after = pushHistoryEntry(before, entry);
    if (after === before) return { ok: true };
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, serializeHistory(after), { mode: 0o600 });
    fs.renameSync(tmp, file);
    return { ok: true };
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `Could not save the prompt history to ${file}: ${reason}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Navigator
// ---------------------------------------------------------------------------------------------

/** Where Up/Down are in the history. Immutable. */
export interface HistoryCursor {
  /** Past prompts, oldest first. */
  readonly entries: readonly string[];
  /** The entry shown: `entries.length` means the draft (the prompt being written) is shown. */
  readonly index: number;
  /** The prompt being written when the walk started; shown again when Down returns past the newest entry. */
  readonly draft: string;
}

/** A navigator at the draft, over `entries` (oldest first). */
export function historyCursor(entries: readonly string[]): HistoryCursor {
  return { entries, index: entries.length, draft: '' };
}

/**
 * Up: the next older entry. Leaving the draft remembers `current` as the draft. Changes made to a
 * recalled entry are dropped when moving on (the history itself never changes).
 * @param current the text in the editor now
 * @returns the new cursor and the text to show, or null when there is nothing older
 */
export function historyPrev(c: HistoryCursor, current: string): { cursor: HistoryCursor; text: string } | null {
  const index = Math.min(c.index, c.entries.length) - 1;
  if (index < 0) return null;
  const draft = c.index >= c.entries.length ? current : c.draft;
  return { cursor: { entries: c.entries, index, draft }, text: c.entries[index]! };
}

/**
 * Down: the next newer entry, or the draft after the newest.
 * @returns the new cursor and the text to show, or null when the draft is already shown
 */
export function historyNext(c: HistoryCursor): { cursor: HistoryCursor; text: string } | null {
  if (c.index >= c.entries.length) return null;
  const index = c.index + 1;
  const text = index === c.entries.length ? c.draft : c.entries[index]!;
  return { cursor: { entries: c.entries, index, draft: c.draft }, text };
}

/**
 * After a prompt was sent: the entry joins the history (see `pushHistoryEntry`) and the navigator
 * goes back to an empty draft.
 */
export function historyAfterSubmit(c: HistoryCursor, entry: string, limit = HISTORY_LIMIT): HistoryCursor {
  return historyCursor(pushHistoryEntry(c.entries, entry, limit));
}
