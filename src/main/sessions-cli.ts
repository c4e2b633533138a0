import { homedir } from 'node:os';
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
  resolveExportPath,
  writeExportFile,
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
 * `inkwell sessions export <id> [--format md|json] [-o file] [--force]`: to stdout, or to a file
 * (sessions/export-file.ts): `~` expanded, an existing file refused unless `force`, no symlink
 * followed, mode 0600; stderr names the absolute path written.
 * @returns exit code (1 when nothing was written)
 */
export function sessionsExport(
  dir: string,
  query: string,
  format: 'md' | 'json',
  file: string | null,
  redactor: Redactor,
  io: CliIo,
  force = false,
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
  const r = writeExportFile(resolveExportPath(file, process.cwd(), homedir()), text, { force });
  if (!r.ok) {
    io.err.write(`inkwell: ${r.reason}.${r.exists ? ' Add --force to replace it.' : ''}\n`);
    return 1;
  }
  io.err.write(`Exported ${s.id} to ${r.path}.\n`);
  return 0;
}
