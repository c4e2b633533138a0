import { execFile } from 'node:child_process';
import type { Redactor } from '../domain/redact.js';

/**
 * The `apiKeyHelper` setting: a shell command whose standard output is the API key (a password
 * manager's CLI, a vault, a script that mints a short-lived key), as in Claude Code. It runs once
 * at start, again after a 401 (once per rejected request, api/stream.ts), and again when its key is
 * older than `CLAUDE_CODE_API_KEY_HELPER_TTL_MS` when that is set. The key lives in memory only:
 * each key it prints is added to the run's redactor before it is used, and no failure message
 * quotes its output.
 */

/** A key helper that failed: its message is one plain line naming the setting. */
export class KeyHelperError extends Error {
  override name = 'KeyHelperError';
}

/** A source of API keys that can be asked for a new one (the shape api/client.ts takes). */
export interface KeyHelper {
  /** The key, running the command the first time (and when the TTL ran out). @throws KeyHelperError */
  current(): Promise<string>;
  /** Runs the command again (after a 401) and returns its key. @throws KeyHelperError */
  refresh(): Promise<string>;
  /** How many times the command ran. */
  readonly runs: number;
}

/** Options of {@link keyHelper}. */
export interface KeyHelperOptions {
  /** Every key printed is added to it before use. */
  redactor: Redactor;
  /** A key older than this is asked for again, in ms (`CLAUDE_CODE_API_KEY_HELPER_TTL_MS`); none when absent. */
  ttlMs?: number;
  /** The command is killed after this long, in ms (default 30 000). */
  timeoutMs?: number;
  /** The helper's environment (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** The first line of `text`, at most 200 characters. */
function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Runs `command` with `/bin/sh -c` and takes its trimmed standard output as the key.
 * @throws KeyHelperError when it cannot start, exits non-zero, times out or prints nothing
 */
function runOnce(command: string, o: KeyHelperOptions): Promise<string> {
  const timeout = o.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { timeout, maxBuffer: 1 << 20, env: o.env ?? process.env, encoding: 'utf8', windowsHide: true },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
          // The helper's own words can quote what it printed: scrub them as any diagnostic.
          const said = o.redactor.scrub(firstLine(stderr ?? ''));
          const why = e.killed
            ? `did not finish within ${timeout / 1000} s`
            : typeof e.code === 'number'
              ? `failed (exit ${e.code})`
              : `could not run (${e.code ?? e.signal ?? 'error'})`;
          reject(
            new KeyHelperError(
              `The apiKeyHelper setting's command ${why}${said ? `: ${said}` : ''}. Fix it, or change it with: inkwell config set apiKeyHelper '<command>'`,
            ),
          );
          return;
        }
        const key = stdout.trim();
        if (!key) {
          reject(
            new KeyHelperError(
              "The apiKeyHelper setting's command printed nothing: it must print the API key on standard output. Fix it, or change it with: inkwell config set apiKeyHelper '<command>'",
            ),
          );
          return;
        }
        o.redactor.add(key);
        resolve(key);
      },
    );
  });
}

/**
 * A key helper over `command` (see the module comment). Nothing runs until the first
 * `current()`. Concurrent callers share one run.
 */
export function keyHelper(command: string, o: KeyHelperOptions): KeyHelper {
  let key: string | null = null;
  let at = 0;
  let running: Promise<string> | null = null;
  let runs = 0;
  const run = (): Promise<string> => {
    if (running) return running;
    runs++;
    running = runOnce(command, o)
      .then((k) => {
        key = k;
        at = Date.now();
        return k;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  return {
    get runs() {
      return runs;
    },
    current: () => {
      if (running) return running;
      const stale = o.ttlMs !== undefined && Date.now() - at > o.ttlMs;
      return key !== null && !stale ? Promise.resolve(key) : run();
    },
    refresh: run,
  };
}
