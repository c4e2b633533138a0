import { writeFileSync } from 'atomically';
import { relativeTime } from '../domain/time.js';
import type { Redactor } from '../domain/redact.js';
import {
  deleteSession,
  exportJson,
  exportMarkdown,
  findOne,
  listSessions,
  loadSession,
  renameSession,
  type SessionSummary,
} from '../sessions/index.js';

/** Where a `sessions` command writes: stdout for results, stderr for problems. */
export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** ms since the epoch, for "3 min ago". */
  now: number;
}

/** {@link findOne}, explaining a miss on `err`. @returns the session or null */
export function resolveSession(dir: string, query: string, err: NodeJS.WritableStream): SessionSummary | null {
  const r = findOne(dir, query);
  if (r.ok) return r.session;
  err.write(`inkwell: ${r.reason}\n`);
  return null;
}

/** `inkwell sessions list [--json]`. @returns exit code */
export function sessionsList(dir: string, json: boolean, io: CliIo): number {
  const all = listSessions(dir);
  if (json) {
    io.out.write(
      `${JSON.stringify(
        all.map(({ path: _path, ...s }) => s),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (all.length === 0) {
    io.out.write('No saved sessions yet.\n');
    return 0;
  }
  for (const s of all) {
    const tag = s.damaged ? '  [damaged]' : '';
    io.out.write(
      `${s.id}  ${relativeTime(s.updatedAt, io.now).padEnd(11)}  ${String(s.messageCount).padStart(4)} msgs  ${s.title}${tag}\n`,
    );
  }
  return 0;
}

/** `inkwell sessions show <id>`: the conversation as markdown. @returns exit code */
export function sessionsShow(dir: string, query: string, redactor: Redactor, io: CliIo): number {
  const s = resolveSession(dir, query, io.err);
  if (!s) return 1;
  const loaded = loadSession(dir, s.id);
  for (const p of loaded.problems) io.err.write(`inkwell: ${p}\n`);
  io.out.write(exportMarkdown(loaded, { redactor }));
  return 0;
}

/** `inkwell sessions rename <id> <title>`. @returns exit code */
export function sessionsRename(dir: string, query: string, title: string, redactor: Redactor, io: CliIo): number {
  const s = resolveSession(dir, query, io.err);
  if (!s) return 1;
  const r = renameSession(dir, s.id, title, { redactor });
  if (!r.ok) {
    io.err.write(`inkwell: ${r.reason}\n`);
    return 1;
  }
  io.out.write(`Renamed ${s.id} to "${title.trim()}".\n`);
  return 0;
}

/** `inkwell sessions delete <id>`. @returns exit code */
export function sessionsDelete(dir: string, query: string, io: CliIo): number {
  const s = resolveSession(dir, query, io.err);
  if (!s) return 1;
  const r = deleteSession(dir, s.id);
  if (!r.ok) {
    io.err.write(`inkwell: ${r.reason}\n`);
    return 1;
  }
  io.out.write(`Deleted ${s.id} ("${s.title}").\n`);
  return 0;
}

/**
 * `inkwell sessions export <id> [--format md|json] [-o file]`: to stdout, or atomically to a file.
 * @returns exit code
 */
export function sessionsExport(
  dir: string,
  query: string,
  format: 'md' | 'json',
  file: string | null,
  redactor: Redactor,
  io: CliIo,
): number {
  const s = resolveSession(dir, query, io.err);
  if (!s) return 1;
  const loaded = loadSession(dir, s.id);
  for (const p of loaded.problems) io.err.write(`inkwell: ${p}\n`);
  const text = format === 'json' ? exportJson(loaded, { redactor }) : exportMarkdown(loaded, { redactor });
  if (!file) {
    io.out.write(text);
    return 0;
  }
  try {
    writeFileSync(file, text);
  } catch (e) {
    io.err.write(`inkwell: could not write ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  io.err.write(`Exported ${s.id} to ${file}.\n`);
  return 0;
}
