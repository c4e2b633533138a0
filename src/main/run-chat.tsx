import { webFromSettings } from './web.js';
import path from 'node:path';
import { format } from 'node:util';
import { messagesApi } from '../api/port.js';
import { anthropicKeySource, credentialRedactor, hasCredentials, openClient, type ClientConfig } from '../api/client.js';
import { keySourceOf, missingFeatures } from '../api/providers.js';
import { connectionFrom } from './connection.js';
import type { Redactor } from '../domain/redact.js';
import { resolvePaths } from '../config/paths.js';
import { loadSettings } from '../config/settings.js';
import { findOne, latestSession, openSessionForWriting, type OpenedSession } from '../sessions/index.js';
import { runInteractive } from './interactive.js';
import { themeFromEnvironment } from '../theme.js';
import { ChatEngine } from '../chat/engine.js';
import { createDebugLog, NO_LOG } from '../chat/debug-log.js';
import { createPrinter, runPrint, type OutputFormat } from './print.js';
import { SessionRecorder } from '../chat/recorder.js';
import { titleRequester } from '../chat/auto-title.js';
import { presetPrompt } from '../ui/commands/preset.js';
import { SessionControl } from '../chat/session-control.js';

/** The flags of the chat and print mode (see `inkwell --help`). */
export interface ChatOptions {
  print?: string | true;
  outputFormat: OutputFormat;
  continue?: boolean;
  resume?: string | true;
  model?: string;
  maxTokens?: number;
  system?: string;
  /** A named system prompt from the `presets` setting. */
  preset?: string;
  baseUrl?: string;
  /** `--provider`: anthropic, bedrock, vertex or foundry (api/providers.ts). */
  provider?: string;
  demo?: boolean;
  mouse: boolean;
  debug?: boolean;
  /** `--web`: offer web search and web fetch for this run. */
  web?: boolean;
}

/** Model used by `--demo` unless `--model` is given: the local server's built-in demo model. */
const DEMO_MODEL = 'inkwell-demo';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // Invalid UTF-8 becomes U+FFFD rather than an error: bad input still gets an answer.
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/**
 * Libraries that print (the SDK warns about deprecated models with console.warn) would write over
 * the full-screen UI: their words become notices in the transcript instead, each shown once.
 */
function routeConsoleToTranscript(engine: ChatEngine, redactor: Redactor): void {
  const seen = new Set<string>();
  const route =
    (level: 'info' | 'warning' | 'error') =>
    (...args: unknown[]) => {
      const text = redactor.scrub(format(...args)).trim();
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

/**
 * Which saved session to open, from `-c` / `-r [query]`.
 * @returns the opened session, 'pick' when the picker should open, or null for a new session;
 *   throws an Error with plain words when the query matches nothing
 */
function chooseSession(dir: string, o: ChatOptions, redactor: Redactor): OpenedSession | 'pick' | null {
  let id: string | null = null;
  if (o.continue) {
    id = latestSession(dir)?.id ?? null;
  } else if (typeof o.resume === 'string') {
    const found = findOne(dir, o.resume);
    if (!found.ok) throw new Error(found.reason);
    id = found.session.id;
  } else if (o.resume === true) {
    return 'pick';
  }
  return id ? openSessionForWriting(dir, id, { redactor }) : null;
}

/**
 * Runs the chat (full-screen) or print mode with the given flags.
 * @returns the process exit code
 */
export async function runChat(opts: ChatOptions): Promise<number> {
  const env = process.env;
  const interactive = opts.print === undefined;
  if (interactive && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    process.stderr.write(
      'inkwell: the chat needs a terminal. To use a pipe, run inkwell -p "prompt" (piped stdin is added to the prompt).\n',
    );
    return 2;
  }
  // Raw mode before anything slow: otherwise the terminal echoes keys typed while the app starts,
  // and the echo shifts Ink's first frame by a line.
  if (interactive) process.stdin.setRawMode(true);

  const paths = resolvePaths(env);
  const settings = loadSettings(paths.config);
  // The one colour decision (NO_COLOR, FORCE_COLOR, a terminal or not), made once.
  const theme = themeFromEnvironment(env, process.stdout.isTTY === true, settings.settings.theme);

  let demo: { url: string; close: () => Promise<void> } | null = null;
  // Provider, proxies and key source (main/connection.ts).
  const connection = connectionFrom(env, settings.settings, {
    baseUrl: opts.baseUrl ?? null,
    ...(opts.provider ? { provider: opts.provider } : {}),
  });
  let config: ClientConfig = connection.config;
  let redactor = connection.redactor;
  if (opts.demo) {
    const { startMessagesServer } = await import('../server/index.js');
    demo = await startMessagesServer();
    config = { apiKey: 'inkwell-demo-key', authToken: null, baseURL: demo.url };
    redactor = credentialRedactor(config);
  }
  // Before any session is opened (and locked): a provider that is not configured, or a key
  // helper that fails, ends the run here.
  let client: Awaited<ReturnType<typeof openClient>>;
  try {
    client = await openClient(config, env);
    // The apiKeyHelper runs at start: a failing one is said now, in its own words.
    if (config.keyHelper) await config.keyHelper.current();
  } catch (e) {
    process.stderr.write(`inkwell: ${redactor.scrub(e instanceof Error ? e.message : String(e))}\n`);
    await demo?.close();
    return 2;
  }
  const provider = config.provider ?? 'anthropic';
  const endpoint = client.baseURL;
  const dir = path.join(paths.data, 'sessions');

  let chosen: OpenedSession | 'pick' | null;
  try {
    chosen = chooseSession(dir, opts, redactor);
  } catch (e) {
    process.stderr.write(`inkwell: ${e instanceof Error ? e.message : String(e)}\n`);
    await demo?.close();
    return 1;
  }
  if (chosen === 'pick' && !interactive) {
    process.stderr.write('inkwell: -r needs a session id or title in print mode (list them with: inkwell sessions list).\n');
    await demo?.close();
    return 2;
  }
  const opened = chosen !== 'pick' ? chosen : null;
  const header = opened?.fresh ? undefined : opened?.loaded.header;
  const model = opts.model ?? (opts.demo ? DEMO_MODEL : (header?.model ?? settings.settings.model));
  const maxTokens = opts.maxTokens ?? settings.settings.maxTokens;
  const preset = opts.preset !== undefined ? presetPrompt(settings.settings.presets, opts.preset) : null;
  if (preset && !preset.ok) {
    process.stderr.write(`inkwell: ${preset.reason}\n`);
    return 2;
  }
  // A resumed session keeps its own system prompt (its last /system), even when it removed it.
  const system = (opts.system ?? preset?.prompt ?? (opened ? opened.loaded.system : settings.settings.system)) || null;

  const printer = interactive ? null : createPrinter(opts.outputFormat, process.stdout);
  const envInt = (name: string): number | undefined => {
    const v = env[name];
    return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  };
  const idleSecs = envInt('INKWELL_IDLE_TIMEOUT');
  const debugOn = Boolean(opts.debug) || (env.INKWELL_DEBUG !== undefined && env.INKWELL_DEBUG !== '' && env.INKWELL_DEBUG !== '0');
  const debug = debugOn ? createDebugLog(paths.state, redactor) : null;
  debug?.log('start', {
    mode: interactive ? 'chat' : 'print',
    model,
    maxTokens,
    provider,
    baseURL: endpoint,
    credentials: keySourceOf(provider, env, anthropicKeySource(config)),
    session: opened?.loaded.id ?? null,
    settingsProblem: settings.problem,
  });
  const api = messagesApi(client, provider);
  // The base URL as the settings file keeps it: its credentials (user:pass@, ?token=) never written.
  const settingsUrl = redactor.scrub(endpoint);
  const engine = new ChatEngine({
    api,
    model,
    maxTokens,
    system,
    redactor,
    maxRetries: envInt('INKWELL_MAX_RETRIES') ?? settings.settings.retries,
    ...(idleSecs !== undefined ? { idleTimeoutMs: idleSecs * 1000 } : {}),
    autoContinue: settings.settings.autoContinue,
    thinking: {
      mode: settings.settings.thinking,
      budgetTokens: settings.settings.thinkingBudget,
      effort: settings.settings.effort || null,
    },
    rejectsPrefill: settings.settings.noPrefillModels,
    onPrefillRejected: (m) => {
      settings.set('noPrefillModels', [...new Set([...settings.settings.noPrefillModels, m])]);
    },
    promptCache: settings.settings.promptCache,
    cacheRejected: settings.settings.noCacheBaseUrls.includes(settingsUrl),
    onCacheRejected: () => {
      const url = settingsUrl;
      settings.set('noCacheBaseUrls', [...new Set([...settings.settings.noCacheBaseUrls, url])]);
    },
    onPromptCacheChanged: (value) => {
      settings.set('promptCache', value);
    },
    web: webFromSettings(settings.settings, opts.web === true),
    webRejected: settings.settings.noWebBaseUrls.includes(config.baseURL ?? 'https://api.anthropic.com'),
    onWebRejected: () => {
      const url = config.baseURL ?? 'https://api.anthropic.com';
      settings.set('noWebBaseUrls', [...new Set([...settings.settings.noWebBaseUrls, url])]);
    },
    pauseContinues: settings.settings.webPauseContinues,
    ...(printer ? { tap: printer.tap } : {}),
    ...(debug ? { log: debug.log } : {}),
  });
  // INKWELL_AUTO_TITLE=0 turns titles off for one run (the test suites, which count requests).
  const autoTitleOn = settings.settings.autoTitle && !/^(0|off|false|no)$/i.test(env.INKWELL_AUTO_TITLE ?? '');
  const autoTitle = autoTitleOn
    ? titleRequester({ api, model: opts.demo ? DEMO_MODEL : settings.settings.titleModel, log: debug?.log ?? NO_LOG })
    : null;
  const recorder = new SessionRecorder({
    dir,
    model,
    system,
    redactor,
    writer: opened?.writer ?? null,
    readOnly: opened?.readOnly?.reason ?? null,
    autoTitle,
    sideRequests: opened?.loaded.sideRequests ?? [],
  });
  const control = new SessionControl(engine, { dir, model, system, redactor, autoTitle }, recorder);
  if (opened) {
    await engine.replaceConversation(recorder, {
      messages: opened.loaded.messages,
      totals: opened.loaded.totals,
      lastUsage: opened.loaded.lastUsage,
    });
    control.reportLoad(opened.loaded, opened.readOnly?.reason ?? null);
  } else if (opts.continue) {
    engine.notify('info', 'No saved session to continue yet; this is a new one.');
  }

  try {
    if (!interactive) {
      const piped = process.stdin.isTTY ? '' : await readStdin();
      const arg = typeof opts.print === 'string' ? opts.print : '';
      const prompt = [piped.trim(), arg.trim()].filter(Boolean).join('\n\n');
      if (!prompt) {
        process.stderr.write('inkwell: nothing to send: give a prompt after -p or pipe text in.\n');
        return 2;
      }
      if (!hasCredentials(config)) {
        process.stderr.write(
          'inkwell: no API key. Set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, or the apiKeyHelper setting), or add --demo to try it offline.\n',
        );
        return 2;
      }
      // stdout carries the reply alone: diagnostics (the SDK's, with ANTHROPIC_LOG) go to stderr.
      console.debug = (...args: unknown[]) => process.stderr.write(`${redactor.scrub(format(...args))}\n`);
      return await runPrint({ engine, printer: printer!, prompt, maxTokens, err: process.stderr });
    }

    if (settings.problem) engine.notify('warning', settings.problem);
    if (!hasCredentials(config)) {
      engine.notify(
        'warning',
        'No API key found. Set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) and start inkwell again, or run `npm start -- --demo` to try it offline with the built-in demo model.',
      );
    } else if (opts.demo) {
      engine.notify('info', `Demo mode: replies come from inkwell's built-in demo model on ${demo?.url}. No key, no network.`);
    }
    if (debug) engine.notify('info', `Debug log: ${debug.file}`);
    const lacks = missingFeatures(provider);
    if (lacks) engine.notify('info', lacks);

    const mouse = opts.mouse && settings.settings.mouse && env.TERM !== 'dumb';
    routeConsoleToTranscript(engine, redactor);
    const signalled = await runInteractive({
      engine,
      sessions: control,
      theme,
      openPicker: chosen === 'pick',
      historyFile: path.join(paths.state, 'prompt-history.jsonl'),
      redactor,
      mouse,
      prices: settings.settings.prices,
      presets: settings.settings.presets,
      countApi: api,
      coldCacheWarnTokens: settings.settings.coldCacheWarnTokens,
      notify: settings.settings.notify,
    });
    return signalled ?? 0;
  } finally {
    control.close();
    await demo?.close();
  }
}
