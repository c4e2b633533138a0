import * as fs from 'node:fs';
import type { AssistantMessage, Message, Usage } from '../domain/types.js';
import { addUsage, ZERO_USAGE } from '../domain/usage.js';
import { headOf, isBlankAt, lineRanges, readHeadAt, tryParse, type LineHead } from './codec.js';
import { applyDelta } from './delta.js';
import { sessionPath } from './paths.js';
import { parseRecord } from './legacy.js';
import { FORMAT_VERSION, type SessionHeader, type SessionRecord } from './schema.js';
import { defaultTitle, UNTITLED } from './title.js';

/** Why a reply that was still streaming when the file ended comes back interrupted. */
export const STOPPED_MID_REPLY = 'inkwell stopped before the reply finished';

/** A session as read from its file. */
export interface LoadedSession {
  /** Session id (from the file name). */
  id: string;
  /** Path of the session file. */
  path: string;
  /** The header; reconstructed from the records when it is missing (then `damaged`). */
  header: SessionHeader;
  /** The system prompt now: the last `system` record's, else the header's (null: none). */
  system: string | null;
  /** The title now: last rename, else the header's, else the first prompt, else "Untitled". */
  title: string;
  /** The transcript in order, each message in its last saved state. */
  messages: Message[];
  /** Usage summed the way the conversation reducer sums it: complete replies, and interrupted ones whose usage was final. Tokens. */
  totals: Usage;
  /** Usage of the last reply counted in `totals`, or null. */
  lastUsage: Usage | null;
  /** Plain words about anything skipped or guessed; empty for a healthy file. */
  problems: string[];
  /** Lines were unreadable (other than a cut-short last line), the header is missing, or a newer format. */
  damaged: boolean;
  /** Why this file must not be appended to (damaged or newer format), or null. */
  readOnlyReason: string | null;
  /**
   * How the file ends: `clean` (a newline), `unterminated` (a whole record without its newline),
   * `torn` (a cut-short line, skipped), `empty` (no bytes). Writers use it to start a new line.
   */
  tail: 'clean' | 'unterminated' | 'torn' | 'empty';
}

/**
 * Marks unsent (in place) every prompt that the next prompt follows with no reply between them:
 * its request failed before any reply in a file written before prompts were marked so, or inkwell
 * stopped before the reply began. It is shown as not sent and never sent again.
 */
function markUnanswered(messages: Message[]): void {
  let prompt = -1;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'assistant') prompt = -1;
    else if (m.role === 'user') {
      const before = prompt >= 0 ? messages[prompt] : undefined;
      if (before?.role === 'user' && !before.unsent) messages[prompt] = { ...before, unsent: true };
      prompt = i;
    }
  }
}

/** The session file does not exist. */
export class SessionNotFoundError extends Error {
  constructor(
    readonly id: string,
    readonly path: string,
  ) {
    super(`There is no session "${id}".`);
    this.name = 'SessionNotFoundError';
  }
}

/**
 * Reads a session file and replays its records. Never modifies the file. Never throws for damage:
 * a cut-short last line is skipped (reported in `problems`, not `damaged`); unreadable lines in
 * the middle, records of a newer format, a missing header make `damaged` true and what is readable
 * is returned. A reply that has only checkpoints (the app stopped mid-stream), or whose last state
 * is still streaming, comes back `status: 'interrupted'` with reason {@link STOPPED_MID_REPLY}.
 * Speed: about 60 ms for 10,000 messages (see test/sessions/speed.test.ts); superseded checkpoints
 * are classified from their first bytes and never parsed.
 * @param dir the sessions directory
 * @throws SessionNotFoundError when there is no such file; the fs error when it cannot be read
 *   (EACCES, EISDIR, …); Error for an id that is not a safe file name
 */
export function loadSession(dir: string, id: string): LoadedSession {
  const file = sessionPath(dir, id);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new SessionNotFoundError(id, file);
    throw e;
  }
  try {
    return parseSessionBytes(buf, id, file);
  } finally {
    release(buf);
  }
}

/**
 * Frees the file's bytes now rather than at the next full garbage collection (9 MB for a
 * 10,000-message session, otherwise held through the first reply). Only a buffer with a backing
 * store of its own: a small one may share Node's pool with other buffers. Nothing loaded keeps
 * a view of it (every string is decoded, i.e. copied, out of it).
 */
function release(buf: Buffer): void {
  const store = buf.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  if (buf.byteOffset === 0 && store.byteLength === buf.byteLength && typeof store.transfer === 'function') store.transfer(0);
}

interface Line {
  start: number;
  end: number;
  /** 1-based line number in the file, for problems. */
  n: number;
  head: LineHead | null;
  /** Parsed JSON when the head had to come from a full parse. */
  parsed: unknown;
  bad: boolean;
  /** Bad, but a cut-short write that a later `torn` record acknowledged. */
  acknowledged: boolean;
}

/**
 * Replays the text of a session file (see {@link loadSession}); pure.
 * @param id session id to report (the file name's)
 * @param file path to report
 */
export function parseSession(text: string, id: string, file: string): LoadedSession {
  return parseSessionBytes(Buffer.from(text, 'utf8'), id, file);
}

/**
 * Replays the bytes of a session file (see {@link loadSession}); pure. Lines are found without
 * decoding the file; superseded checkpoints are never decoded beyond their first bytes.
 */
export function parseSessionBytes(buf: Buffer, id: string, file: string): LoadedSession {
  const { starts, ends, endsClean } = lineRanges(buf);
  const text = (l: Line): string => buf.toString('utf8', l.start, l.end);
  const lines: Line[] = [];
  let fragment: Line | undefined;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    if (isBlankAt(buf, start, end)) continue;
    let head = readHeadAt(buf, start, end);
    let parsed: unknown;
    if (!head) {
      parsed = tryParse(buf.toString('utf8', start, end));
      head = headOf(parsed);
    }
    const line: Line = { start, end, n: i + 1, head, parsed, bad: head === null, acknowledged: false };
    lines.push(line);
    if (!endsClean && i === starts.length - 1) fragment = line;
  }
  // A `torn` record vouches for the unreadable lines right before it.
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.head?.k !== 'torn') continue;
    for (let j = i - 1; j >= 0; j--) {
      const before = lines[j]!;
      // A cut-short line may still start with a readable head: only a full parse tells.
      if (!before.bad && before.parsed === undefined && tryParse(text(before)) === undefined) before.bad = true;
      if (!before.bad) break;
      before.acknowledged = true;
    }
  }
  const empty = buf.length === 0;
  return replay(lines, text, fragment, id, file, empty, true) ?? replay(lines, text, fragment, id, file, empty, false)!;
}

const MAX_LISTED = 3;

interface Slot {
  m: Message;
  /** When the record that gave `m` was written, ms since the epoch. */
  at: number;
}

function replay(
  lines: Line[],
  text: (l: Line) => string,
  fragment: Line | undefined,
  id: string,
  file: string,
  empty: boolean,
  skipSuperseded: boolean,
): LoadedSession | null {
  const lastFinal = new Map<string, number>();
  if (skipSuperseded) {
    for (let i = 0; i < lines.length; i++) {
      const h = lines[i]!.head;
      if (h?.k === 'assistant' && h.id !== null) lastFinal.set(h.id, i);
    }
  }
  const problems: string[] = [];
  const unreadable: number[] = [];
  let damaged = false;
  let newer = 0;
  let newerSkipped = 0;
  let tail: LoadedSession['tail'] = empty ? 'empty' : fragment ? 'unterminated' : 'clean';
  let header: SessionHeader | null = null;
  let headerMissing = false;
  let extraHeaders = 0;
  let lost = 0;
  let renamed: string | null = null;
  let systemSet: { system: string | null } | null = null;
  let firstPrompt: string | null = null;
  let lastAt = 0;
  // Transcript order is first appearance; ids are unique per role (user, notice, assistant).
  const users = new Map<string, Slot>();
  const notices = new Map<string, Slot>();
  const replies = new Map<string, Slot>();
  const order: Slot[] = [];
  const retracted = new Set<string>();
  const put = (slots: Map<string, Slot>, m: Message, at: number): void => {
    const slot = slots.get(m.id);
    if (slot) {
      slot.m = m;
      slot.at = at;
    } else {
      const fresh = { m, at };
      slots.set(m.id, fresh);
      order.push(fresh);
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.bad) {
      if (line.acknowledged) continue;
      if (line === fragment) {
        tail = 'torn';
        problems.push(`The last line of the file was cut short (inkwell stopped while saving it); it was skipped.`);
      } else {
        unreadable.push(line.n);
      }
      continue;
    }
    const head = line.head!;
    if (head.v > FORMAT_VERSION) newer = Math.max(newer, head.v);
    if (head.k === 'checkpoint' && head.id !== null && (lastFinal.get(head.id) ?? -1) > i) continue;
    const value = line.parsed !== undefined ? line.parsed : tryParse(text(line));
    const result = parseRecord(value);
    if (!result.success) {
      // A final record that was the reason earlier checkpoints were skipped: replay them after all.
      if (skipSuperseded && head.k === 'assistant') return null;
      if (line === fragment) {
        tail = 'torn';
        problems.push(`The last line of the file was cut short (inkwell stopped while saving it); it was skipped.`);
      } else if (head.v > FORMAT_VERSION) newerSkipped++;
      else unreadable.push(line.n);
      continue;
    }
    const rec: SessionRecord = result.data;
    lastAt = Math.max(lastAt, rec.at);
    if (header === null && rec.k !== 'session') headerMissing = true;
    switch (rec.k) {
      case 'session':
        if (header === null) {
          const { v: _v, k: _k, at: _at, ...h } = rec;
          header = h;
        } else extraHeaders++;
        break;
      case 'user':
        if (firstPrompt === null && rec.message.text.trim() !== '') firstPrompt = rec.message.text;
        put(users, rec.message, rec.at);
        break;
      case 'notice':
        put(notices, rec.message, rec.at);
        break;
      case 'assistant':
        put(replies, rec.message, rec.at);
        break;
      case 'checkpoint': {
        const prev = replies.get(rec.message.id)?.m as AssistantMessage | undefined;
        const next = applyDelta(prev, rec.message, rec.from, rec.grow);
        if (next.lost) lost++;
        put(replies, next.message, rec.at);
        break;
      }
      case 'title':
        renamed = rec.title;
        break;
      case 'system':
        systemSet = { system: rec.system };
        break;
      case 'torn':
        break;
      case 'retract':
        for (const id of rec.ids) retracted.add(id);
        break;
      default: {
        const never: never = rec;
        return never;
      }
    }
  }

  if (unreadable.length > 0) {
    damaged = true;
    const listed = unreadable.slice(0, MAX_LISTED).join(', ');
    const more = unreadable.length > MAX_LISTED ? ` and ${unreadable.length - MAX_LISTED} more` : '';
    problems.push(
      unreadable.length === 1
        ? `Line ${listed} could not be read and was skipped.`
        : `Lines ${listed}${more} could not be read and were skipped.`,
    );
  }
  if (newer > 0) {
    damaged = true;
    problems.push(
      `This session was saved by a newer version of inkwell (format ${newer}; this one reads format ${FORMAT_VERSION}).` +
        (newerSkipped > 0
          ? ` ${newerSkipped} record${newerSkipped === 1 ? '' : 's'} it cannot read ${newerSkipped === 1 ? 'was' : 'were'} skipped.`
          : ''),
    );
  }
  if (lost > 0) {
    damaged = true;
    problems.push(`Part of ${lost === 1 ? 'a reply' : `${lost} replies`} could not be rebuilt because an earlier line is missing.`);
  }
  if (header !== null && headerMissing) {
    damaged = true;
    problems.push('The session header is not at the start of the file.');
  }
  if (extraHeaders > 0) {
    damaged = true;
    problems.push('The file holds more than one session header; only the first was used.');
  }

  const messages: Message[] = [];
  let totals: Usage = { ...ZERO_USAGE };
  let lastUsage: Usage | null = null;
  for (const slot of order) {
    if (retracted.has(slot.m.id)) continue;
    let m = slot.m;
    if (m.role === 'assistant') {
      if (m.status === 'waiting' || m.status === 'streaming') {
        m = {
          ...m,
          status: 'interrupted',
          interruption: { reason: STOPPED_MID_REPLY },
          endedAt: m.endedAt ?? slot.at,
        };
      }
      if (m.status === 'complete' || m.usageFinal) {
        totals = addUsage(totals, m.usage);
        lastUsage = m.usage;
      }
    }
    messages.push(m);
  }
  markUnanswered(messages);

  if (header === null) {
    damaged = true;
    problems.push(empty ? 'The file is empty.' : 'The session header is missing; the model and creation time shown are guesses.');
    const firstAssistant = messages.find((m): m is AssistantMessage => m.role === 'assistant');
    const firstAt = messages[0] ? ('createdAt' in messages[0] ? messages[0].createdAt : messages[0].startedAt) : lastAt;
    header = {
      id,
      created: new Date(firstAt).toISOString(),
      model: firstAssistant?.model ?? 'unknown',
      system: null,
      title: null,
    };
  }

  const readOnlyReason =
    newer > 0
      ? 'This session was saved by a newer version of inkwell, so it opens read-only.'
      : damaged
        ? 'This session file is damaged, so it opens read-only: what could be read is shown, and the file is left as it is.'
        : null;

  return {
    id,
    path: file,
    header,
    system: systemSet ? systemSet.system : header.system,
    title: renamed ?? header.title ?? (firstPrompt !== null ? defaultTitle(firstPrompt) : null) ?? UNTITLED,
    messages,
    totals,
    lastUsage,
    problems,
    damaged,
    readOnlyReason,
    tail,
  };
}
