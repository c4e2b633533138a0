import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { idFromFileName } from './paths.js';
import { type DocState, docTitle, emptyDocState, lineText, readDocs } from './search-docs.js';

/**
 * The search index kept beside the sessions: SQLite FTS5 through Node's built-in `node:sqlite`
 * (https://nodejs.org/api/sqlite.html, https://sqlite.org/fts5.html), in
 * `<sessions dir>/.search-index.sqlite` (0600, in a 0700 directory).
 *
 * Tables:
 * - `files`: one row per session file indexed: its size, mtime and inode when last read, how many
 *   bytes of it were read (`offset`: session files are append-only, so only the lines after it are
 *   new) and the title, creation and last activity it gave; read whole on every search, so kept
 *   small: the reader's state at `offset` (search-docs.ts `DocState`, JSON) and the next text
 *   number are in `states`, read only for a file that grew.
 * - `docs`: one row per searchable text: session, message id ('' for the title), role, when it
 *   was written, and where its record is in the file (byte offset and length) so a hit's snippet
 *   is made from the file, not from a second copy of every message.
 * - `fts`: a contentless FTS5 table (`content=''`, `contentless_delete=1`) over the texts, rowid =
 *   `docs.rowid`; tokenizer unicode61 with diacritics removed.
 *
 * A text's rowid is `session number × 2^20 + text number`: the session's number (`files.num`) in
 * the high bits, so a search groups its matches by session from the FTS5 rowids alone (no join
 * over every match: a word found in every message of 10,000 sessions is 500,000 matches), and the
 * text number in the low bits, counting up as the file is read (0 is the title), so the highest
 * rowid of a session's matches is its newest matching message.
 *
 * The index is a cache: it is checked against the files on every search (a stat of each), a file
 * that grew is read from where the index stopped, a file that shrank or was replaced is read
 * again, a file that is gone leaves the index. An index that cannot be opened or read (damaged,
 * another version) is deleted and built again; the session files are only ever read.
 */

/** File name of the index inside the sessions directory. */
export const SEARCH_INDEX_NAME = '.search-index.sqlite';

/** `PRAGMA user_version` of the index layout; another value is rebuilt. */
const INDEX_VERSION = 2;

type SqliteModule = typeof import('node:sqlite');
let sqlite: SqliteModule | null | undefined;

/**
 * `node:sqlite`, or null when this Node has none (before 22.5; behind `--experimental-sqlite`
 * before 22.13 / 23.4). Loaded once, synchronously; the ExperimentalWarning some versions print
 * when it loads is kept off stderr (the terminal belongs to the Screen).
 */
export function loadSqlite(): SqliteModule | null {
  if (sqlite !== undefined) return sqlite;
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : ((rest[0] as { type?: string } | undefined)?.type ?? (warning as Error).name);
    if (type === 'ExperimentalWarning' && /sqlite/i.test(text)) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    sqlite = createRequire(import.meta.url)('node:sqlite') as SqliteModule;
  } catch {
    sqlite = null;
  } finally {
    process.emitWarning = emit;
  }
  return sqlite;
}

/** What the index knows of one session file. */
export interface IndexedFile {
  session: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

/** A text the index matched: where it is and what it is. */
export interface IndexMatch {
  session: string;
  /** The message id of the newest matching text of the session ('' for the title). */
  msg: string;
  role: 'user' | 'assistant' | 'title';
  at: number;
  /** Byte offset and length of its record in the session file (-1 for the title). */
  off: number;
  len: number;
  /** How many texts of the session match. */
  count: number;
}

interface FileRow {
  session: string;
  /** The session's number (high bits of its rowids). */
  num: number;
  size: number;
  mtime: number;
  ino: number;
  offset: number;
  title: string;
  created: number;
  updated: number;
}

/** Texts a session may have over its life (the low bits of a rowid). */
const DOC_SPAN = 2 ** 20;

const SCHEMA = `
CREATE TABLE files(session TEXT PRIMARY KEY, num INTEGER NOT NULL UNIQUE, size INTEGER NOT NULL,
  mtime REAL NOT NULL, ino INTEGER NOT NULL, offset INTEGER NOT NULL, title TEXT NOT NULL,
  created INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE states(session TEXT PRIMARY KEY, next INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, session TEXT NOT NULL, msg TEXT NOT NULL, role TEXT NOT NULL,
  at INTEGER NOT NULL, off INTEGER NOT NULL, len INTEGER NOT NULL);
CREATE INDEX docs_by_msg ON docs(session, msg);
CREATE VIRTUAL TABLE fts USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
PRAGMA user_version = ${INDEX_VERSION};
`;

/**
 * An open search index over one sessions directory. Not safe to share between threads; several
 * processes may use the same file (SQLite locks it; a writer waits up to 2 s).
 */
export class SearchIndex {
  private readonly db: DatabaseSync;
  private readonly q: Record<
    | 'files'
    | 'fileState'
    | 'upsertState'
    | 'dropState'
    | 'newNum'
    | 'upsertFile'
    | 'dropFile'
    | 'docsOfSession'
    | 'dropDocsOfSession'
    | 'docOf'
    | 'doc'
    | 'addDoc'
    | 'dropDoc'
    | 'addText'
    | 'dropText',
    StatementSync
  >;

  private constructor(
    private readonly dir: string,
    db: DatabaseSync,
  ) {
    this.db = db;
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      files: p('SELECT session, num, size, mtime, ino, offset, title, created, updated FROM files'),
      fileState: p('SELECT next, state FROM states WHERE session = ?'),
      upsertState: p('INSERT OR REPLACE INTO states(session, next, state) VALUES(?, ?, ?)'),
      dropState: p('DELETE FROM states WHERE session = ?'),
      newNum: p('SELECT coalesce(max(num), 0) + 1 AS num FROM files'),
      upsertFile: p(
        'INSERT OR REPLACE INTO files(session, num, size, mtime, ino, offset, title, created, updated) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      dropFile: p('DELETE FROM files WHERE session = ?'),
      docsOfSession: p('SELECT rowid FROM docs WHERE session = ?'),
      dropDocsOfSession: p('DELETE FROM docs WHERE session = ?'),
      docOf: p('SELECT rowid FROM docs WHERE session = ? AND msg = ?'),
      doc: p('SELECT msg, role, at, off, len FROM docs WHERE rowid = ?'),
      addDoc: p('INSERT INTO docs(rowid, session, msg, role, at, off, len) VALUES(?, ?, ?, ?, ?, ?, ?)'),
      dropDoc: p('DELETE FROM docs WHERE rowid = ?'),
      addText: p('INSERT INTO fts(rowid, text) VALUES(?, ?)'),
      dropText: p('DELETE FROM fts WHERE rowid = ?'),
    };
  }

  /**
   * Opens (creating if needed) the index of `dir`. An index file that is not a database of this
   * layout is deleted and created again.
   * @returns null when `node:sqlite` is not available
   * @throws the fs or SQLite error when the index cannot be created at all (a read-only directory)
   */
  static open(dir: string): SearchIndex | null {
    const mod = loadSqlite();
    if (!mod) return null;
    const file = path.join(dir, SEARCH_INDEX_NAME);
    try {
      return SearchIndex.tryOpen(mod, dir, file);
    } catch {
      removeIndexFiles(file);
      return SearchIndex.tryOpen(mod, dir, file);
    }
  }

  private static tryOpen(mod: SqliteModule, dir: string, file: string): SearchIndex {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Created private before SQLite opens it (its journal files take the database's mode).
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
    const db = new mod.DatabaseSync(file);
    try {
      db.exec('PRAGMA busy_timeout = 2000');
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version === 0) {
        const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
        if (tables > 0) throw new Error('an index of no known version');
        db.exec(`BEGIN; ${SCHEMA} COMMIT;`);
      } else if (version !== INDEX_VERSION) {
        throw new Error(`an index of version ${version}`);
      }
      db.exec('PRAGMA synchronous = NORMAL');
      // Reads the layout: a damaged file fails here rather than in the middle of a search.
      db.prepare('SELECT count(*) FROM files').get();
      return new SearchIndex(dir, db);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }

  /**
   * Brings the index up to date with the session files (see the module comment).
   * @returns what the index knows of each session now, by id
   * @throws SQLite errors (a damaged index: the caller rebuilds it)
   */
  refresh(): Map<number, IndexedFile> {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') names = [];
      else throw e;
    }
    const known = new Map<string, FileRow>();
    for (const r of this.q.files.all() as unknown as FileRow[]) known.set(r.session, r);
    const out = new Map<number, IndexedFile>();
    let inTx = false;
    const begin = () => {
      if (!inTx) this.db.exec('BEGIN IMMEDIATE');
      inTx = true;
    };
    try {
      for (const name of names) {
        const id = idFromFileName(name);
        if (id === null) continue;
        let st: fs.Stats;
        try {
          st = fs.statSync(path.join(this.dir, name));
        } catch {
          continue;
        }
        if (!st.isFile()) continue;
        const row = known.get(id);
        known.delete(id);
        if (row && row.size === st.size && row.mtime === st.mtimeMs && row.ino === st.ino) {
          out.set(row.num, { session: id, title: row.title, createdAt: row.created, updatedAt: row.updated });
          continue;
        }
        begin();
        const fresh = this.readFile(id, path.join(this.dir, name), st, row);
        if (fresh) out.set(fresh.num, fresh.file);
        else if (row) out.set(row.num, { session: id, title: row.title, createdAt: row.created, updatedAt: row.updated });
      }
      for (const gone of known.keys()) {
        begin();
        this.dropSession(gone);
        this.q.dropFile.run(gone);
        this.q.dropState.run(gone);
      }
      if (inTx) this.db.exec('COMMIT');
    } catch (e) {
      if (inTx) this.db.exec('ROLLBACK');
      throw e;
    }
    return out;
  }

  /** Reads what is new in one file into the index. @returns null when the file could not be read */
  private readFile(id: string, file: string, st: fs.Stats, row: FileRow | undefined): { num: number; file: IndexedFile } | null {
    let from = 0;
    let state: DocState = emptyDocState();
    const num = row?.num ?? (this.q.newNum.get() as { num: number }).num;
    let next = 1;
    if (row && row.ino === st.ino && st.size >= row.offset) {
      try {
        const saved = this.q.fileState.get(id) as { next: number; state: string };
        state = JSON.parse(saved.state) as DocState;
        next = saved.next;
        from = row.offset;
      } catch {
        from = 0;
      }
    }
    if (from === 0 && row) this.dropSession(id);
    let buf: Buffer;
    try {
      buf = readFrom(file, from, st.size);
    } catch {
      return null;
    }
    const q = this.q;
    const drop = (msg: string) => {
      for (const r of q.docOf.all(id, msg) as Array<{ rowid: number }>) {
        q.dropText.run(r.rowid);
        q.dropDoc.run(r.rowid);
      }
    };
    const consumed = readDocs(buf, state, {
      put: (msg, role, at, text, start, end) => {
        // A new file has no earlier rows for its messages unless one was written twice.
        drop(msg);
        if (next >= DOC_SPAN) throw new Error(`session ${id} has more texts than the index holds`);
        const rowid = num * DOC_SPAN + next++;
        q.addDoc.run(rowid, id, msg, role, at, from + start, end - start);
        q.addText.run(rowid, text);
      },
      drop,
    });
    const title = docTitle(state);
    if (title !== row?.title || from === 0) {
      drop('');
      q.addDoc.run(num * DOC_SPAN, id, '', 'title', -1, -1, 0);
      q.addText.run(num * DOC_SPAN, title);
    }
    const createdAt = state.createdAt || st.mtimeMs;
    const updatedAt = state.updatedAt || st.mtimeMs;
    q.upsertFile.run(id, num, st.size, st.mtimeMs, st.ino, from + consumed, title, createdAt, updatedAt);
    q.upsertState.run(id, next, JSON.stringify(state));
    return { num, file: { session: id, title, createdAt, updatedAt } };
  }

  private dropSession(id: string): void {
    for (const r of this.q.docsOfSession.all(id) as Array<{ rowid: number }>) this.q.dropText.run(r.rowid);
    this.q.dropDocsOfSession.run(id);
  }

  /**
   * The sessions whose texts match an FTS5 query: by session number (see {@link refresh}), the
   * rowid of the newest matching text (a message before the title) and how many match.
   * @param match an FTS5 query (see {@link ftsQuery})
   * @throws SQLite errors
   */
  match(match: string): Array<{ num: number; top: number; count: number }> {
    return this.db
      .prepare(`SELECT rowid >> 20 AS num, max(rowid) AS top, count(*) AS count FROM fts WHERE fts MATCH ? GROUP BY num`)
      .all(match) as unknown as Array<{ num: number; top: number; count: number }>;
  }

  /** Where a matched text is: its docs row. @returns null when it is gone */
  doc(rowid: number, count: number, session: string): IndexMatch | null {
    const d = this.q.doc.get(rowid) as Omit<IndexMatch, 'session' | 'count'> | undefined;
    return d ? { ...d, session, count } : null;
  }

  /** The searchable text of a matched message, read from its record in the file; null when it cannot be read. */
  textOf(m: IndexMatch): string | null {
    if (m.off < 0) return null;
    try {
      const buf = readFrom(path.join(this.dir, `${m.session}.jsonl`), m.off, m.off + m.len);
      return lineText(buf.toString('utf8'));
    } catch {
      return null;
    }
  }
}

/**
 * The FTS5 query for the words of a search: each word a quoted string (so no word is read as an
 * operator) with a prefix `*`, all of them required (implicit AND). https://sqlite.org/fts5.html §3.
 */
export function ftsQuery(words: readonly string[]): string {
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

/** Deletes the index and SQLite's files beside it (journal, WAL); missing files are fine. */
export function removeIndexFiles(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      // Nothing more to do: opening will fail again and the search falls back to a scan.
    }
  }
}

/** Bytes [from, to) of a file. */
function readFrom(file: string, from: number, to: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, to - from));
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}
