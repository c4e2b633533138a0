import pty, { type IPty } from '@lydell/node-pty';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built app (npm test builds it first). */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/inkwell.js');

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  esc: '\x1b',
  ctrlC: '\x03',
  tab: '\t',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  shiftUp: '\x1b[1;2A',
  shiftDown: '\x1b[1;2B',
  wheelUp: '\x1b[<64;10;5M',
  wheelDown: '\x1b[<65;10;5M',
} as const;

/** A running app in a real pseudo-terminal, its screen read back through a headless xterm. */
export interface AppInPty {
  proc: IPty;
  term: xterm.Terminal;
  /** Every byte the app wrote, as text. */
  raw(): string;
  /** The visible screen, one string per row, trailing spaces trimmed. */
  lines(): string[];
  /** The visible screen as one string. */
  screen(): string;
  /** Waits until the screen matches; throws with the screen in the message on timeout. */
  waitFor(match: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Types text (as keystrokes or one paste-sized write). */
  type(text: string): void;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number>;
  /** The INKWELL_HOME this run uses. */
  home: string;
  kill(): void;
}

export interface SpawnOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  /** INKWELL_HOME; a fresh temporary directory by default. */
  home?: string;
  /** The working directory (default: the test's). */
  cwd?: string;
  /**
   * The terminal type (default xterm-256color). node-pty sets the child's TERM from the pty's name,
   * so `env.TERM` alone never reaches the app: this does.
   */
  term?: string;
  /**
   * Measure characters as Unicode 11 does (xterm's unicode11 addon), as tmux and most current
   * terminals do: an emoji with a skin-tone modifier (👍🏽) is then two wide characters, 4 cells,
   * where inkwell's own measure (string-width) says 2.
   */
  unicode11?: boolean;
}

/**
 * Spawns `node dist/inkwell.js` (the entry people run) in a pty. CI is removed from its environment: Ink renders only the
 * final frame when CI is set.
 */
export function spawnApp(o: SpawnOptions = {}): AppInPty {
  const cols = o.cols ?? 100;
  const rows = o.rows ?? 30;
  const home = o.home ?? mkdtempSync(path.join(tmpdir(), 'inkwell-e2e-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  for (const k of [
    'CI',
    'CONTINUOUS_INTEGRATION',
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'ANTHROPIC_BASE_URL',
    'NO_COLOR',
    'FORCE_COLOR',
  ])
    delete env[k];
  const termName = o.term ?? 'xterm-256color';
  Object.assign(env, { INKWELL_HOME: home, LANG: 'C.UTF-8' });
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  env.TERM = termName;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  if (o.unicode11) {
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
  }
  const proc = pty.spawn(process.execPath, [CLI, ...(o.args ?? [])], { cols, rows, env, name: termName, cwd: o.cwd ?? process.cwd() });
  let raw = '';
  proc.onData((d) => {
    raw += d;
    term.write(d);
  });
  const exited = new Promise<number>((resolve) => proc.onExit(({ exitCode }) => resolve(exitCode)));
  const lines = () => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return out;
  };
  const screen = () => lines().join('\n');
  return {
    proc,
    term,
    raw: () => raw,
    lines,
    screen,
    home,
    exited,
    type: (text) => proc.write(text),
    kill: () => {
      try {
        proc.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    },
    async waitFor(match, timeoutMs = 15_000) {
      const test =
        typeof match === 'string' ? (s: string) => s.includes(match) : match instanceof RegExp ? (s: string) => match.test(s) : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Let xterm finish parsing what arrived.
        await new Promise<void>((r) => term.write('', r));
        const s = screen();
        if (test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; screen was:\n${s}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

const escapeRe = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The last reply's usage in the status bar, in its full form (`last in 12 out 340`) or the
 * compact one it takes when the bar is short of room (`↑12 ↓340`).
 * @param input the input tokens as formatTokens shows them (any, when omitted)
 * @param output the output tokens as formatTokens shows them
 */
export function lastUsage(input?: string | number, output?: string | number): RegExp {
  if (input === undefined || output === undefined) return /last in \d|↑\d/;
  const [i, o] = [escapeRe(String(input)), escapeRe(String(output))];
  return new RegExp(`last in ${i} out ${o}|↑${i} ↓${o}`);
}
