/**
 * Argument parsing and start-up for the standalone server entry (`main.ts`).
 */
import { generateMarkdownDocument, sseForText } from './generate.js';
import { startMessagesServer, type MessagesServer } from './http.js';
import type { Scenario } from './types.js';

/** Parsed command line of the standalone server. */
export interface ServerArgs {
  /** TCP port; 0 = any free port. */
  port: number;
  /** An `.sse` file to replay for every request. */
  sse?: string;
  /** Pace in tokens (text deltas) per second for `--sse`, `--generate` and `--demo`. */
  tps?: number;
  /** Answer every request with a generated markdown document of about this many tokens. */
  generate?: number;
  /** Seed for `--generate`. */
  seed?: number;
  /** Model name reported by `--generate` streams. */
  model: string;
  /** Require this API key. */
  apiKey?: string;
  /** Prompt-cache lifetime of a `5m` entry in ms (a `1h` entry lives 12 times as long); default the API's. */
  cacheTtlMs?: number;
}

/**
 * Parse `[--port N] [--sse FILE] [--tps N] [--demo] [--generate TOKENS] [--seed N]
 * [--model ID] [--api-key KEY] [--cache-ttl-ms MS]`. `--demo` is the default and only sets the mode explicitly.
 *
 * @param argv  arguments after the script name.
 * @returns the parsed options.
 * @throws Error on an unknown flag or a missing/non-numeric value.
 */
export function parseServerArgs(argv: readonly string[]): ServerArgs {
  const args: ServerArgs = { port: 0, model: 'inkwell-demo' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a non-negative number`);
      return v;
    };
    switch (flag) {
      case '--port':
        args.port = num();
        break;
      case '--sse':
        args.sse = value();
        break;
      case '--tps':
        args.tps = num();
        break;
      case '--generate':
        args.generate = num();
        break;
      case '--cache-ttl-ms':
        args.cacheTtlMs = num();
        break;
      case '--seed':
        args.seed = num();
        break;
      case '--model':
        args.model = value();
        break;
      case '--api-key':
        args.apiKey = value();
        break;
      case '--demo':
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  return args;
}

/**
 * The default scenario for parsed arguments: `--sse` replay, a `--generate`d document, or the
 * demo model.
 *
 * @returns a scenario answering every request.
 */
export function scenarioForArgs(args: ServerArgs): Scenario {
  if (args.sse !== undefined) return { kind: 'sse', path: args.sse, tokensPerSecond: args.tps };
  if (args.generate !== undefined) {
    const text = generateMarkdownDocument(args.generate, args.seed ?? 1);
    return { kind: 'sse', body: sseForText(text, { model: args.model }), tokensPerSecond: args.tps };
  }
  return { kind: 'demo', tokensPerSecond: args.tps };
}

/**
 * Start the server for a command line and print `{"url": "http://127.0.0.1:N"}` as one JSON
 * line to `out` once it listens.
 *
 * @param argv  arguments after the script name.
 * @param out  where the JSON line goes (default stdout).
 * @returns the running server.
 * @throws Error on bad arguments; rejects if the port cannot be bound.
 */
export async function runServerMain(
  argv: readonly string[],
  out: (line: string) => void = (line) => void process.stdout.write(line),
): Promise<MessagesServer> {
  const args = parseServerArgs(argv);
  const server = await startMessagesServer({
    port: args.port,
    apiKey: args.apiKey,
    defaultScenario: scenarioForArgs(args),
    ...(args.cacheTtlMs !== undefined ? { cacheTtlMs: { '5m': args.cacheTtlMs, '1h': args.cacheTtlMs * 12 } } : {}),
  });
  out(JSON.stringify({ url: server.url }) + '\n');
  return server;
}
