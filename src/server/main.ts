/**
 * Standalone entry of the local Messages API server:
 * `node dist/server.js [--port N] [--sse FILE --tps 100] [--generate 8000] [--demo]`.
 * Prints `{"url": "..."}` as one JSON line on stdout when listening; stops on SIGINT/SIGTERM.
 */
import { runServerMain } from './cli.js';

try {
  const server = await runServerMain(process.argv.slice(2));
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`inkwell server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
