import * as fs from 'node:fs';
import path from 'node:path';

/**
 * Writing an export to a file the user named (`inkwell sessions export … -o FILE`, `/export FILE`)
 * without ever clobbering or following anything: the name is resolved the way a shell would
 * (`~` is the home folder, a relative name is relative to the working directory), an existing
 * target is refused unless asked to replace it, a new file is created with O_CREAT|O_EXCL (so a
 * symlink planted at the name is never followed, dangling or not) and mode 0600, and a replaced
 * target is swapped in by rename(2), which replaces the link itself, never the file it points to.
 */

/**
 * The absolute path an export name stands for: `~` and `~/…` start at `home`; anything relative is
 * relative to `cwd`. (`~user` is not expanded: it is a relative name, as in most tools.)
 * @param name the name as typed (surrounding spaces and matching quotes are dropped)
 * @param cwd the working directory (absolute)
 * @param home the user's home folder (absolute)
 */
export function resolveExportPath(name: string, cwd: string, home: string): string {
  let n = name.trim();
  if (n.length >= 2 && (n[0] === '"' || n[0] === "'") && n.at(-1) === n[0]) n = n.slice(1, -1);
  if (n === '~') n = home;
  else if (n.startsWith('~/') || n.startsWith(`~${path.sep}`)) n = path.join(home, n.slice(2));
  return path.resolve(cwd, n);
}

/** What writing an export did. */
export type ExportWriteResult =
  | { ok: true; path: string; replaced: boolean }
  | {
      ok: false;
      path: string;
      /** The target exists and `force` was not given: the caller may ask and try again with force. */
      exists: boolean;
      /** Plain words: what is wrong, and nothing was written. */
      reason: string;
    };

/** Options of {@link writeExportFile}. */
export interface ExportWriteOptions {
  /** Replace an existing file (never a folder). Default false: an existing target is refused. */
  force?: boolean;
}

function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'the file system is read-only';
  return e instanceof Error ? e.message : String(e);
}

/** Creates `file` (O_CREAT|O_EXCL, 0600) holding `text`, fsync'd. @throws the node:fs error (EEXIST when anything is at the name) */
function createExclusive(file: string, text: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes an export to `target` (already absolute: see {@link resolveExportPath}). Never throws.
 * - the folder must exist (it is never created: a typo must not leave folders behind);
 * - nothing at the name: created with O_EXCL, mode 0600;
 * - a file or symlink at the name: refused (`exists: true`) unless `force`, then a temporary file
 *   next to it (O_EXCL, 0600) is renamed over the name, so a symlink is replaced, not followed;
 * - a folder at the name: refused, even with `force`.
 */
export function writeExportFile(target: string, text: string, opts: ExportWriteOptions = {}): ExportWriteResult {
  const fail = (reason: string, exists = false): ExportWriteResult => ({ ok: false, path: target, exists, reason });
  const dir = path.dirname(target);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch {
    return fail(`the folder ${dir} does not exist; nothing was written`);
  }
  if (!dirStat.isDirectory()) return fail(`${dir} is not a folder; nothing was written`);
  let existing: fs.Stats | null = null;
  try {
    existing = fs.lstatSync(target);
  } catch {
    existing = null;
  }
  if (existing?.isDirectory()) return fail(`${target} is a folder; give a file name`);
  if (existing && !opts.force) {
    const what = existing.isSymbolicLink() ? 'a symbolic link' : 'a file';
    return fail(`${target} already exists (${what}); nothing was written`, true);
  }
  if (!existing) {
    try {
      createExclusive(target, text);
      return { ok: true, path: target, replaced: false };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        if (!opts.force) return fail(`${target} already exists; nothing was written`, true);
      } else {
        return fail(`could not write ${target}: ${errText(e)}`);
      }
    }
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    createExclusive(tmp, text);
    fs.renameSync(tmp, target);
    return { ok: true, path: target, replaced: true };
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
    return fail(`could not write ${target}: ${errText(e)}`);
  }
}
