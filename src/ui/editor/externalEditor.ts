import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Ctrl+G: edit the prompt in the user's own editor. The caller suspends Ink first (the editor
 * owns the terminal while it runs); this module only does the file and process work.
 */

/** The outcome of an external edit. */
export type ExternalEditResult = { kind: 'edited'; text: string } | { kind: 'failed'; message: string };

/**
 * The editor command to run: `$VISUAL`, else `$EDITOR`, else `vi` (the order git and crontab use).
 * The value is a shell command, so it may carry arguments ("code --wait").
 */
export function editorCommandFrom(env: NodeJS.ProcessEnv): string {
  const pick = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);
  return pick(env.VISUAL) ?? pick(env.EDITOR) ?? 'vi';
}

/**
 * Writes `text` to a private temporary file, runs `command` on it synchronously with the
 * terminal's stdio inherited, and reads the file back (CRLF → LF, one trailing newline dropped,
 * as editors add one on save). The temporary folder is removed afterwards.
 *
 * The command goes through `sh -c '<command> "$1"'` (on Windows, the default shell), like git
 * runs `core.editor`, so `$EDITOR` may hold arguments. Never throws: a missing editor, a non-zero
 * exit (e.g. vi's `:cq`), a signal or a file error comes back as `{ kind: 'failed', message }`
 * in plain words, and the caller keeps the prompt as it was.
 *
 * @param text the prompt to edit
 * @param command the editor command (see `editorCommandFrom`)
 */
export function editInExternalEditor(text: string, command: string): ExternalEditResult {
  let dir: string | undefined;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-prompt-'));
    const file = path.join(dir, 'prompt.md');
    fs.writeFileSync(file, text, { mode: 0o600 });
    const result =
      process.platform === 'win32'
        ? spawnSync(`${command} "${file}"`, { stdio: 'inherit', shell: true })
        : spawnSync('sh', ['-c', `${command} "$1"`, 'inkwell-editor', file], { stdio: 'inherit' });
    if (result.error)
      return { kind: 'failed', message: `Could not start the editor (${command}): ${result.error.message}. The prompt is unchanged.` };
    if (result.signal)
      return { kind: 'failed', message: `The editor (${command}) was stopped by ${result.signal}. The prompt is unchanged.` };
    if (result.status === 127 || (process.platform === 'win32' && result.status === 9009)) {
      return {
        kind: 'failed',
        message: `The editor "${command}" was not found. Set $VISUAL or $EDITOR to your editor. The prompt is unchanged.`,
      };
    }
    if (result.status !== 0) {
      return { kind: 'failed', message: `The editor (${command}) exited with status ${result.status}. The prompt is unchanged.` };
    }
    const edited = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').replace(/\n$/, '');
    return { kind: 'edited', text: edited };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { kind: 'failed', message: `Editing in the external editor failed: ${reason}. The prompt is unchanged.` };
  } finally {
    if (dir !== undefined) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // a leftover temporary folder is harmless
      }
    }
  }
}
