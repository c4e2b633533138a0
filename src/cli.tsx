import { Command, InvalidArgumentError, Option } from 'commander';
import { render } from 'ink';
import { format } from 'node:util';
import { redactSecrets } from './api/errors.js';
import { clientConfigFromEnv, createClient, hasCredentials, type ClientConfig } from './api/client.js';
import { ChatEngine } from './app/engine.js';
import { runPrint, type OutputFormat } from './app/print.js';
import { resolvePaths } from './config/paths.js';
import { loadSettings } from './config/settings.js';
import { setColorEnabled } from './markdown/style.js';
import { colorLevelFor, darkTheme, setColorLevel } from './theme.js';
import { App } from './ui/App.js';
import { filterMouseInput, MOUSE_OFF, MOUSE_ON } from './ui/mouse.js';

/** Model used by `--demo` unless `--model` is given: the local server's built-in demo model. */
const DEMO_MODEL = 'inkwell-demo';

interface CliOptions {
  print?: string | true;
  outputFormat: OutputFormat;
  model?: string;
  maxTokens?: number;
  system?: string;
  baseUrl?: string;
  demo?: boolean;
  mouse: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of tokens, 1 or more');
  return n;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // Invalid UTF-8 becomes U+FFFD rather than an error: bad input still gets an answer.
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** Exit sequences that put any terminal back as it was: mouse off, cursor shown, main screen. */
const RESTORE_TERMINAL = `${MOUSE_OFF}\x1b[?2004l\x1b[?25h\x1b[?1049l`;

/**
 * Libraries that print (the SDK warns about deprecated models with console.warn) would write over
 * the full-screen UI: their words become notices in the transcript instead, each shown once.
 */
function routeConsoleToTranscript(engine: ChatEngine, secrets: readonly (string | null)[]): void {
  const seen = new Set<string>();
  const route = (level: 'info' | 'warning' | 'error') => (...args: unknown[]) => {
    const text = redactSecrets(format(...args), secrets).trim();
    if (!text || seen.has(text)) return;
    seen.add(text);
    engine.notify(level, text);
  };
  console.log = route('info');
  console.info = route('info');
  console.warn = route('warning');
  console.error = route('error');
  console.debug = () => {};
}

async function startDemoServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const { startMessagesServer } = await import('./server/index.js');
  return startMessagesServer();
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('inkwell')
    .description('A full-screen terminal chat for Claude.')
    .version('0.1.0', '-v, --version')
    .option('-p, --print [prompt]', 'print mode: stream one reply to stdout and exit (stdin is read too when piped)')
    .addOption(new Option('--output-format <format>', 'print mode output').choices(['text', 'json', 'stream-json']).default('text'))
    .option('-m, --model <id>', 'model id (default from settings)')
    .option('--max-tokens <n>', 'max_tokens for each reply', positiveInt)
    .option('-s, --system <prompt>', 'system prompt')
    .option('--base-url <url>', 'Messages API base URL (else ANTHROPIC_BASE_URL)')
    .option('--demo', 'run offline against the built-in demo server: no key, no network')
    .option('--no-mouse', 'leave the mouse to the terminal (no wheel scrolling; plain text selection)')
    .showHelpAfterError();
  program.parse(argv);
  const opts = program.opts<CliOptions>();

  const env = process.env;
  const paths = resolvePaths(env);
  const loaded = loadSettings(paths.config);
  const colorLevel = colorLevelFor(env);
  setColorLevel(colorLevel);
  setColorEnabled(colorLevel > 0);

  let demo: { url: string; close: () => Promise<void> } | null = null;
  let config: ClientConfig = clientConfigFromEnv(env, opts.baseUrl ?? null);
  if (opts.demo) {
    demo = await startDemoServer();
    config = { apiKey: 'inkwell-demo-key', authToken: null, baseURL: demo.url };
  }
  const client = createClient(config);
  const secrets = [config.apiKey, config.authToken];
  const model = opts.model ?? (opts.demo ? DEMO_MODEL : loaded.settings.model);
  const maxTokens = opts.maxTokens ?? loaded.settings.maxTokens;
  const system = (opts.system ?? loaded.settings.system) || null;

  try {
    if (opts.print !== undefined) {
      const piped = process.stdin.isTTY ? '' : await readStdin();
      const arg = typeof opts.print === 'string' ? opts.print : '';
      const prompt = [piped.trim(), arg.trim()].filter(Boolean).join('\n\n');
      if (!prompt) {
        process.stderr.write('inkwell: nothing to send: give a prompt after -p or pipe text in.\n');
        return 2;
      }
      if (!hasCredentials(config)) {
        process.stderr.write('inkwell: no API key. Set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), or add --demo to try it offline.\n');
        return 2;
      }
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      return await runPrint({
        client,
        model,
        maxTokens,
        system,
        prompt,
        format: opts.outputFormat,
        out: process.stdout,
        err: process.stderr,
        signal: ac.signal,
        secrets,
      });
    }

    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stderr.write('inkwell: the chat needs a terminal. To use a pipe, run inkwell -p "prompt" (stdin is added to the prompt).\n');
      return 2;
    }

    // Raw mode before the first frame: otherwise the terminal echoes keys typed while the app
    // starts, and the echo shifts Ink's frame by a line.
    process.stdin.setRawMode(true);
    const engine = new ChatEngine({ client, model, maxTokens, system, secrets });
    if (loaded.problem) engine.notify('warning', loaded.problem);
    if (!hasCredentials(config)) {
      engine.notify(
        'warning',
        'No API key found. Set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) and start inkwell again, or run `npm start -- --demo` to try it offline with the built-in demo model.',
      );
    } else if (opts.demo) {
      engine.notify('info', `Demo mode: replies come from inkwell's built-in demo model on ${demo?.url}. No key, no network.`);
    }
    void engine.loadLimits();

    const mouse = opts.mouse && loaded.settings.mouse && env.TERM !== 'dumb';
    const stdin = mouse ? filterMouseInput(process.stdin) : process.stdin;
    let restored = false;
    const restore = () => {
      if (restored) return;
      restored = true;
      process.stdout.write(RESTORE_TERMINAL);
    };
    process.on('exit', restore);
    if (mouse) process.stdout.write(MOUSE_ON);

    routeConsoleToTranscript(engine, secrets);
    const instance = render(<App engine={engine} theme={darkTheme} />, {
      stdin: stdin as NodeJS.ReadStream,
      alternateScreen: true,
      incrementalRendering: true,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: 60,
    });
    // A terminal reflows the old frame when it is resized, and Ink's incremental renderer draws
    // relative to where it thinks the old frame is. Wipe the screen and forget the old frame
    // first (this listener runs before Ink's), so the next frame is drawn whole at the new size.
    const onResize = () => {
      process.stdout.write('\x1b[H\x1b[2J');
      instance.clear();
    };
    process.stdout.prependListener('resize', onResize);
    const stop = () => {
      engine.abort('inkwell was stopped');
      instance.unmount();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.once('SIGHUP', stop);
    await instance.waitUntilExit();
    engine.abort('inkwell was closed');
    restore();
    return 0;
  } finally {
    await demo?.close();
  }
}

process.on('uncaughtException', (err) => {
  if (process.stdout.isTTY) process.stdout.write(RESTORE_TERMINAL);
  process.stderr.write(`inkwell: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

main(process.argv).then(
  // Exit once stdout has drained: a piped print-mode reply must not be cut short.
  (code) => process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    process.stdout.write(process.stdout.isTTY ? RESTORE_TERMINAL : '');
    process.stderr.write(`inkwell: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
