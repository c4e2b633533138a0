import { appendFileSync, chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Redactor } from '../domain/redact.js';

/** Writes one event to the debug log (a no-op when debugging is off). Never throws. */
export type DebugLog = (event: string, data?: Record<string, unknown>) => void;

/** A log that writes nothing. */
export const NO_LOG: DebugLog = () => {};

/**
 * The debug log for `--debug` / `INKWELL_DEBUG`: JSON lines appended to `<state dir>/debug.log`,
 * never the screen; the file is private (0600, its folder 0700). Every line passes through the secret redactor, so an API key cannot reach it.
 * @param stateDir the state directory (config/paths.ts)
 * @param redactor scrubs credentials (and key-shaped text) from every line
 * @returns the log function and the file it writes
 */
export function createDebugLog(stateDir: string, redactor: Redactor): { log: DebugLog; file: string } {
  const file = path.join(stateDir, 'debug.log');
  let broken = false;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    try {
      chmodSync(stateDir, 0o700);
    } catch {
      // not ours to change: the log itself is still 0600
    }
    // Private like every file inkwell writes; an older log made with a looser mode is tightened.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  } catch {
    broken = true;
  }
  const log: DebugLog = (event, data = {}) => {
    if (broken) return;
    try {
      const line = JSON.stringify({ at: new Date().toISOString(), pid: process.pid, event, ...data });
      appendFileSync(file, `${redactor.scrub(line)}\n`);
    } catch {
      broken = true; // a log that cannot be written must not disturb the chat
    }
  };
  return { log, file };
}
