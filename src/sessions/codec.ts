import type { Redactor } from './redact.js';
import type { SessionRecord } from './schema.js';

/**
 * One record as one line of the file: compact JSON and a trailing "\n", with every string value
 * passed through the redactor. Key order follows the record object (writers build records with
 * `v, k, id, at` first, see schema.ts), which is what makes {@link readHeadAt} work.
 */
export function encodeRecord(record: SessionRecord, redactor: Redactor): string {
  return redactor.stringify(record) + '\n';
}

/** What the first bytes of a line say, read without parsing the whole line. */
export interface LineHead {
  /** Format version. */
  v: number;
  /** Record kind (not checked against the known kinds). */
  k: string;
  /** Message or session id, or null for records without one (title, torn). */
  id: string | null;
  /** ms since the epoch when the record was written. */
  at: number;
}

/**
 * The head of an already parsed JSON value, for lines {@link readHeadAt} could not read.
 * @returns null when the value is not an object with a numeric `v` and a string `k`
 */
export function headOf(value: unknown): LineHead | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  if (typeof o.v !== 'number' || typeof o.k !== 'string') return null;
  return {
    v: o.v,
    k: o.k,
    id: typeof o.id === 'string' ? o.id : null,
    at: typeof o.at === 'number' ? o.at : 0,
  };
}

/** Parses JSON, returning undefined instead of throwing. */
export function tryParse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** Byte ranges of the lines of a file, without their "\n". */
export interface LineRanges {
  starts: number[];
  ends: number[];
  /** The file ends with "\n" (or is empty): no unterminated last line. */
  endsClean: boolean;
}

/** Splits a file's bytes into lines without decoding them (memchr via Buffer#indexOf). */
export function lineRanges(buf: Buffer): LineRanges {
  const starts: number[] = [];
  const ends: number[] = [];
  let s = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, s);
    if (nl === -1) break;
    starts.push(s);
    ends.push(nl);
    s = nl + 1;
  }
  const endsClean = s >= buf.length;
  if (!endsClean) {
    starts.push(s);
    ends.push(buf.length);
  }
  return { starts, ends, endsClean };
}

const Q = 0x22; // "

/** True when `buf` holds the ASCII `lit` at `i`. */
function has(buf: Buffer, i: number, end: number, lit: string): boolean {
  if (i + lit.length > end) return false;
  for (let k = 0; k < lit.length; k++) if (buf[i + k] !== lit.charCodeAt(k)) return false;
  return true;
}

/** Index after the digits starting at `i` (at most `max` of them), or -1 when there are none. */
function digitsEnd(buf: Buffer, i: number, end: number, max: number): number {
  let j = i;
  while (j < end && j - i < max && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
  return j === i ? -1 : j;
}

function digitsValue(buf: Buffer, i: number, end: number): number {
  let n = 0;
  for (let j = i; j < end; j++) n = n * 10 + (buf[j]! - 0x30);
  return n;
}

const KINDS = ['session', 'user', 'checkpoint', 'assistant', 'notice', 'title', 'torn', 'retract', 'system'];

/** The record kind at [i, end) as a shared string (no allocation for known kinds). */
function kindAt(buf: Buffer, i: number, end: number): string {
  for (const k of KINDS) if (k.length === end - i && has(buf, i, end, k)) return k;
  return buf.toString('latin1', i, end);
}

/**
 * Classifies a line from its first bytes, read in place (no decoding of the line, so classifying
 * a record costs the same whatever its length). A line in inkwell's own key order
 * (`{"v":<digits>,"k":"<a-z_>",["id":"<no quote or backslash>",]"at":<digits>`) gives a head;
 * anything else (a hand-edited file, reordered keys, an id with escapes) gives null and must be
 * parsed in full. A head says nothing about whether the rest of the line is intact: callers that
 * need the record parse and validate it.
 */
export function readHeadAt(buf: Buffer, start: number, end: number): LineHead | null {
  let i = start;
  if (!has(buf, i, end, '{"v":')) return null;
  i += 5;
  const vEnd = digitsEnd(buf, i, end, 6);
  if (vEnd < 0) return null;
  const v = digitsValue(buf, i, vEnd);
  i = vEnd;
  if (!has(buf, i, end, ',"k":"')) return null;
  i += 6;
  const kStart = i;
  while (i < end && i - kStart <= 20 && ((buf[i]! >= 0x61 && buf[i]! <= 0x7a) || buf[i] === 0x5f)) i++;
  if (i === kStart || buf[i] !== Q || buf[i + 1] !== 0x2c) return null;
  const k = kindAt(buf, kStart, i);
  i += 2;
  let id: string | null = null;
  if (has(buf, i, end, '"id":"')) {
    i += 6;
    const idStart = i;
    while (i < end && i - idStart <= 200 && buf[i] !== Q && buf[i] !== 0x5c) i++;
    if (buf[i] !== Q || buf[i + 1] !== 0x2c) return null;
    id = buf.toString('utf8', idStart, i);
    i += 2;
  }
  if (!has(buf, i, end, '"at":')) return null;
  i += 5;
  const atEnd = digitsEnd(buf, i, end, 16);
  if (atEnd < 0 || (buf[atEnd] !== 0x2c && buf[atEnd] !== 0x7d)) return null;
  return { v, k, id, at: digitsValue(buf, i, atEnd) };
}

/** True when the line holds only spaces, tabs and carriage returns (or nothing). */
export function isBlankAt(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
