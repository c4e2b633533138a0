import { isBlankAt, lineRanges, readHeadAt, tryParse } from './codec.js';
import { sessionTitle, type TitleState } from './title.js';

/**
 * What full-text search sees of a session file: its messages' text (prompts and the text blocks
 * of replies) and its title, read record by record from the JSONL (schema.ts) so that an index
 * can read only the lines appended since it last looked (search-index.ts), and a plain scan
 * (search-scan.ts) reads the same.
 *
 * Superseding follows the loader (load.ts): a reply's last `assistant` record replaces the earlier
 * ones for the same id; a `retract` takes messages out; checkpoints (a reply while it streams) are
 * not searched (the finished reply is). Notices are not messages anyone searches for.
 */

/** Where a searchable text comes from. */
export type DocRole = 'user' | 'assistant' | 'title';

/** What {@link SessionDocs} reports as it reads: texts to (re)index and messages to drop. */
export interface DocSink {
  /**
   * The text of message `msgId` (replacing any text it had), written at `at` (ms since the epoch),
   * read from the line at bytes [start, end) of the buffer given to {@link readDocs}.
   */
  put(msgId: string, role: 'user' | 'assistant', at: number, text: string, start: number, end: number): void;
  /** Message `msgId` left the transcript (a /retry). */
  drop(msgId: string): void;
}

/** Per-file state carried between reads of a growing file (JSON-serialisable). */
export interface DocState {
  title: TitleState;
  /** ms since the epoch: the header's `created` (or the first record's `at`), 0 when unknown. */
  createdAt: number;
  /** ms since the epoch: the latest record's `at`, 0 when none. */
  updatedAt: number;
}

/** A fresh state for a file read from its start. */
export function emptyDocState(): DocState {
  return { title: { renamed: null, headerTitle: null, autoTitle: null, firstPrompt: null }, createdAt: 0, updatedAt: 0 };
}

/** The title a state gives (see title.ts {@link sessionTitle}). */
export function docTitle(state: DocState): string {
  return sessionTitle(state.title);
}

/**
 * Text made safe to index and to show in a snippet: escape sequences (CSI, OSC) are removed, so
 * a word styled by the model is still found; other C0/C1 control characters than tab and newline
 * become spaces (snippets are drawn on a terminal; the index's highlight marks are \x01
 * and \x02, which must not occur in the text).
 */
export function indexableText(text: string): string {
  return text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The searchable text of one record line (a prompt's text, a reply's text blocks), or null when
 * the line is not such a record. Used to make a snippet for a hit the index found.
 */
export function lineText(line: string): string | null {
  const rec = tryParse(line);
  if (!isObj(rec) || !isObj(rec.message)) return null;
  if (rec.k === 'user' && typeof rec.message.text === 'string') return indexableText(rec.message.text);
  if (rec.k === 'assistant') return indexableText(replyText(rec.message.content));
  return null;
}

/** The text blocks of a reply's content, joined by blank lines. */
function replyText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const b of content) if (isObj(b) && b.type === 'text' && typeof b.text === 'string') parts.push(b.text);
  return parts.join('\n\n');
}

/**
 * Reads the complete lines of `buf` (an unterminated last line is left for the next read: it may
 * be a write in progress) into `sink`, updating `state`.
 * @returns how many bytes were consumed (up to and including the last "\n")
 */
export function readDocs(buf: Buffer, state: DocState, sink: DocSink): number {
  const { starts, ends, endsClean } = lineRanges(buf);
  const n = endsClean ? starts.length : starts.length - 1;
  for (let i = 0; i < n; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    if (isBlankAt(buf, start, end)) continue;
    const head = readHeadAt(buf, start, end);
    // Checkpoints are skipped unread (they are most of a file's bytes); so is anything torn.
    if (head && (head.k === 'checkpoint' || head.k === 'torn' || head.k === 'notice')) {
      if (head.at > state.updatedAt) state.updatedAt = head.at;
      continue;
    }
    const rec = tryParse(buf.toString('utf8', start, end));
    if (!isObj(rec) || typeof rec.k !== 'string') continue;
    const at = typeof rec.at === 'number' ? rec.at : 0;
    if (at > state.updatedAt) state.updatedAt = at;
    if (state.createdAt === 0 && at > 0) state.createdAt = at;
    const msg = isObj(rec.message) ? rec.message : null;
    switch (rec.k) {
      case 'session':
        if (typeof rec.title === 'string') state.title.headerTitle = rec.title;
        if (typeof rec.created === 'string') state.createdAt = Date.parse(rec.created) || state.createdAt;
        break;
      case 'title':
        if (typeof rec.title !== 'string') break;
        if (isObj(rec.auto)) state.title.autoTitle = rec.title;
        else state.title.renamed = rec.title;
        break;
      case 'user':
        if (msg && typeof msg.id === 'string' && typeof msg.text === 'string') {
          if (state.title.firstPrompt === null && msg.text.trim() !== '') state.title.firstPrompt = msg.text;
          sink.put(msg.id, 'user', at, indexableText(msg.text), start, end);
        }
        break;
      case 'assistant':
        if (msg && typeof msg.id === 'string') sink.put(msg.id, 'assistant', at, indexableText(replyText(msg.content)), start, end);
        break;
      case 'retract':
        if (Array.isArray(rec.ids)) for (const id of rec.ids) if (typeof id === 'string') sink.drop(id);
        break;
      default:
        break;
    }
  }
  return n === 0 ? 0 : ends[n - 1]! + 1;
}
