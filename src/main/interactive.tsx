import { terminalHyperlinks } from '../terminal/hyperlinks.js';
import { render } from 'ink';
import type { MessagesApi } from '../api/port.js';
import type { ChatEngine } from '../chat/engine.js';
import type { SessionControl } from '../chat/session-control.js';
import type { Price } from '../domain/cost.js';
import type { Redactor } from '../domain/redact.js';
import { InkSink } from '../terminal/ink-sink.js';
import { Screen } from '../terminal/screen.js';
import type { Theme } from '../theme.js';
import { App } from '../ui/App.js';
import { notifyProtocol, type NotifySetting } from '../terminal/notify.js';
import { DoneNotifier } from '../ui/done-notifier.js';
import { filterMouseInput, terminalFocus } from '../ui/mouse.js';
import { latestSession } from '../sessions/index.js';
import { resumeHint } from './resume-hint.js';
import { warmUpAll } from './warm-up.js';

/** The session `inkwell -c` would open, or null (none, or the directory cannot be read). */
function lastUsedSession(dir: string): string | null {
  try {
    return latestSession(dir)?.id ?? null;
  } catch {
    return null;
  }
}

/** ms after the first frame before the markdown renderer is warmed up (a first keystroke is rarely sooner). */
const WARM_UP_AFTER_MS = 150;

/** What the full-screen chat needs, made by run-chat.tsx. */
export interface InteractiveOptions {
  engine: ChatEngine;
  sessions: SessionControl;
  theme: Theme;
  /** Open the session picker at start (`-r` with no argument). */
  openPicker: boolean;
  /** The prompt history file (JSONL). */
  historyFile: string;
  /** Hides the credentials in use from the prompt history file. */
  redactor: Redactor;
  /** Mouse reporting (wheel scrolling) on. */
  mouse: boolean;
  prices: Readonly<Record<string, Price>>;
  /** Named system prompts (`presets` setting), for /preset. */
  presets?: Readonly<Record<string, string>>;
  /** count_tokens, for the context gauge and /context. */
  countApi: Pick<MessagesApi, 'countTokens'>;
  /** The `coldCacheWarnTokens` setting (0: never warn). */
  coldCacheWarnTokens: number;
  /** The `notify` setting: a ping when a reply ends while the terminal is not focused. */
  notify?: NotifySetting;
}

/**
 * Runs the full-screen chat until the user quits or a signal ends it. The Screen takes the
 * terminal (alternate screen, modes) and is the only writer of process.stdout; Ink renders in
 * debug mode into an InkSink, which hands its frames to the Screen.
 * @returns when the chat has ended and the terminal is restored: the exit status a signal asks
 *   for (SIGTERM 143, SIGHUP 129, SIGINT 130) when one ended it, else undefined
 */
export async function runInteractive(o: InteractiveOptions): Promise<number | undefined> {
  const { engine } = o;
  const out = process.stdout;
  const screen = new Screen(out, { columns: out.columns || 80, rows: out.rows || 24 }, { hyperlinks: terminalHyperlinks(out) });
  const stopScreen = () => screen.stop();
  process.on('exit', stopScreen);
  const protocol = notifyProtocol(o.notify ?? 'auto', process.env);
  // Focus reports only when a ping may follow: they tell when the terminal is looked at.
  screen.start({ mouse: o.mouse, focus: protocol !== null });
  const notifier = new DoneNotifier({
    engine,
    screen,
    protocol,
    tmux: Boolean(process.env.TMUX),
    focus: terminalFocus,
    title: () => o.sessions.status().title,
    prices: o.prices,
  });
  out.on('resize', () => screen.resize({ columns: out.columns || 80, rows: out.rows || 24 }));
  // Always filtered: F1 and xterm's modified Enter need it; mouse reports only come when asked for.
  const stdin = filterMouseInput(process.stdin);
  const sink = new InkSink(screen);
  const instance = render(
    <App
      engine={engine}
      sessions={o.sessions}
      theme={o.theme}
      openPicker={o.openPicker}
      historyFile={o.historyFile}
      historyRedactor={o.redactor}
      prices={o.prices}
      presets={o.presets ?? {}}
      countApi={o.countApi}
      coldCacheWarnTokens={o.coldCacheWarnTokens}
      screen={screen}
      clipboard={{ isTTY: true, copy: (text) => screen.copyToClipboard(text) }}
    />,
    {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: sink as unknown as NodeJS.WriteStream,
      // Each render writes its whole frame, with no cursor movement (ink-sink.ts has the contract).
      debug: true,
      interactive: true,
      exitOnCtrlC: false,
      patchConsole: false,
      // Shift+Enter is only told apart from Enter under the kitty keyboard protocol.
      kittyKeyboard: { mode: 'auto' },
    },
  );
  // The context-window lookup (Models API) after the first frame: building its request loads
  // Node's fetch (undici, ~20 ms), which the prompt need not wait for.
  setImmediate(() => void engine.loadLimits());
  // The first markdown render's one-time costs, paid while the user types rather than by the
  // first reply (unref'd: never keeps the process alive).
  const replying = () => engine.getState().phase !== 'idle';
  setTimeout(() => warmUpAll(screen.size.columns, o.theme, { busy: replying }), WARM_UP_AFTER_MS).unref();
  let signalled: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    signalled = signal;
    engine.abort('inkwell was stopped');
    instance.unmount();
    // A signal always ends the process: if the orderly end (checkpoint, terminal restored) has
    // not finished in time, exit anyway. Unref'd: it never keeps an ending process alive.
    setTimeout(() => {
      screen.stop();
      process.exit(signalExitCode(signal));
    }, SIGNAL_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('SIGHUP', stop);
  await instance.waitUntilExit();
  // The turn a signal aborted ends with its checkpoint; wait for it as for one aborted here.
  if (engine.abort('inkwell was closed') || signalled !== null) await engine.settled();
  notifier.dispose();
  screen.stop();
  process.off('exit', stopScreen);
  // On the main screen, after the terminal is restored: how to come back.
  const hint = resumeHint(o.sessions.status(), lastUsedSession(o.sessions.dir));
  if (hint) out.write(`${hint}\n`);
  return signalled === null ? undefined : signalExitCode(signalled);
}

/** ms a signal leaves the chat to save its checkpoint and restore the terminal before the process exits anyway. */
const SIGNAL_GRACE_MS = 3000;

/** The shell's exit status for a process ended by `signal`: 128 + its number (SIGHUP 129, SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Partial<Record<NodeJS.Signals, number>>)[signal]!;
}
