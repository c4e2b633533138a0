import { Command, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import { clientConfigFromEnv, credentialRedactor } from './api/client.js';
import type { Redactor } from './domain/redact.js';
import { PROVIDER_NAMES } from './api/providers.js';
import { configCommand } from './main/config-cli.js';
import { runDoctor } from './main/doctor.js';
import { runChat, type ChatOptions } from './main/run-chat.js';
import { sessionsDelete, sessionsExport, sessionsList, sessionsRename, sessionsShow, type CliIo } from './main/sessions-cli.js';
import { resolvePaths } from './config/paths.js';
import { sanitizeModelText } from './markdown/sanitize.js';
import { releaseTerminal } from './terminal/screen.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of tokens, 1 or more');
  return n;
}

function sessionsDir(): string {
  return path.join(resolvePaths(process.env).data, 'sessions');
}

/** The redactor for the credentials in the environment, which the sessions commands keep out of what they write. */
function redactorFromEnv(): Redactor {
  return credentialRedactor(clientConfigFromEnv(process.env));
}

/**
 * A `sessions` command's output stream: saved sessions hold model output and titles as they were,
 * so on a terminal every control sequence is removed (a pipe or a file gets the text unchanged).
 */
function terminalSafe(stream: NodeJS.WriteStream): NodeJS.WritableStream {
  if (!stream.isTTY) return stream;
  return { write: (text: string) => stream.write(sanitizeModelText(text)) } as unknown as NodeJS.WritableStream;
}

const io = (): CliIo => ({ out: terminalSafe(process.stdout), err: terminalSafe(process.stderr), now: Date.now() });

/**
 * Parses the command line and runs the chat, print mode or a `sessions` command.
 * @returns the process exit code
 */
async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command()
    .name('inkwell')
    .description('A full-screen terminal chat for Claude.')
    .version('0.1.0', '-v, --version')
    .option('-p, --print [prompt]', 'print mode: stream one reply to stdout and exit (piped stdin is added to the prompt)')
    .addOption(new Option('--output-format <format>', 'print mode output').choices(['text', 'json', 'stream-json']).default('text'))
    .option('-c, --continue', 'open the most recent session')
    .option('-r, --resume [session]', 'open a session by id or title (a picker when none is given)')
    .option('-m, --model <id>', 'model id (default from settings)')
    .option('--max-tokens <n>', 'max_tokens for each reply', positiveInt)
    .option('-s, --system <prompt>', 'system prompt')
    .option('--base-url <url>', 'Messages API base URL (else ANTHROPIC_BASE_URL)')
    .addOption(new Option('--provider <name>', 'where Claude is reached (else the provider setting)').choices([...PROVIDER_NAMES]))
    .option('--demo', 'run offline against the built-in demo server: no key, no network')
    .option('--web', 'offer web search and web fetch (server tools) on every request of this run; /web on|off in the chat')
    .option('--no-mouse', 'leave the mouse to the terminal (no wheel scrolling; plain text selection)')
    .option('--debug', 'write a debug log to the state directory (also INKWELL_DEBUG=1); never to the screen')
    .showHelpAfterError()
    .action(async (opts: ChatOptions) => {
      code = await runChat(opts);
    });

  const sessions = program.command('sessions').description('list, show, rename, delete and export saved sessions');
  sessions
    .command('list')
    .description('saved sessions, newest first')
    .option('--json', 'as JSON')
    .action((o: { json?: boolean }) => {
      code = sessionsList(sessionsDir(), Boolean(o.json), io());
    });
  sessions
    .command('show <session>')
    .description('print a session as markdown')
    .action((q: string) => {
      code = sessionsShow(sessionsDir(), q, redactorFromEnv(), io());
    });
  sessions
    .command('rename <session> <title...>')
    .description('give a session a new title')
    .action((q: string, title: string[]) => {
      code = sessionsRename(sessionsDir(), q, title.join(' '), redactorFromEnv(), io());
    });
  sessions
    .command('delete <session>')
    .description('delete a session file')
    .action((q: string) => {
      code = sessionsDelete(sessionsDir(), q, io());
    });
  sessions
    .command('export <session>')
    .description('export a session as markdown or JSON')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('-o, --output <file>', 'write to a new file instead of stdout (mode 0600)')
    .option('--force', 'replace the file given with -o if it exists')
    .action((q: string, o: { format: 'md' | 'json'; output?: string; force?: boolean }) => {
      code = sessionsExport(sessionsDir(), q, o.format, o.output ?? null, redactorFromEnv(), io(), o.force === true);
    });

  program
    .command('doctor')
    .description('show the provider, endpoint, proxy, key source and model in effect, and prove them with one request')
    .action(async () => {
      code = await runDoctor(program.opts(), process.stdout, process.env);
    });

  program
    .command('config')
    .description('settings: list, get <key>, set <key> <value>, path')
    .argument('<action>', 'list | get | set | path')
    .argument('[key]')
    .argument('[value...]')
    .action((action: string, key: string | undefined, value: string[]) => {
      code = configCommand(resolvePaths(process.env).config, action, key, value.length ? value.join(' ') : undefined, io());
    });

  await program.parseAsync(argv);
  return code;
}

process.on('uncaughtException', (err) => {
  releaseTerminal();
  process.stderr.write(`inkwell: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

main(process.argv).then(
  // Exit once stdout has drained: a piped print-mode reply must not be cut short.
  (code) => process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    releaseTerminal();
    process.stderr.write(`inkwell: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
