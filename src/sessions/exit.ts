import { onExit } from 'signal-exit';

/**
 * Work to do however the process ends (normal exit, an uncaught error, SIGINT/SIGTERM/SIGHUP
 * that the app does not handle itself): signal-exit. Hooks run newest first, synchronously, each
 * at most once; one that throws does not stop the others. `kill -9` runs nothing, which is why a
 * lock whose owner is gone is taken over (lock.ts) and why every record is written when appended.
 */
const hooks = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const hook of [...hooks].reverse()) {
    hooks.delete(hook);
    try {
      hook();
    } catch {
      // Exiting anyway; nothing useful to do with the error.
    }
  }
}

/**
 * Registers `hook` to run at process exit.
 * @returns a function that unregisters it (call it when the work was done another way)
 */
export function atExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    onExit(runAll);
    // Also first among the 'exit' listeners: signal-exit runs its hooks only after every other
    // 'exit' listener returned, so one that throws (the screen's restore writing to a terminal
    // that was closed: EIO) used to skip them, leaving the session's lock behind.
    process.prependListener('exit', runAll);
  }
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
