import type { ChatEngine } from '../../chat/engine.js';
import type { SessionControl } from '../../chat/session-control.js';
import type { TokenCounter } from '../../chat/token-count.js';
import type { Price } from '../../domain/cost.js';
import type { ClipboardTerminal } from '../clipboard.js';

/** What a command may do to the screen around it. */
export interface CommandContext {
  engine: ChatEngine;
  /** The terminal, for OSC 52 clipboard writes (omitted in tests that do not copy). */
  out?: ClipboardTerminal;
  env?: NodeJS.ProcessEnv;
  /** Price overrides from settings. */
  prices?: Readonly<Record<string, Price>>;
  /** Named system prompts (`presets` setting), for /preset. */
  presets?: Readonly<Record<string, string>>;
  /** The draft's token counter (count_tokens), for /context; absent or null: /context says the last usage. */
  tokens?: TokenCounter | null;
  /** Absent in tests that run without sessions. */
  sessions: SessionControl | null;
  openPicker(): void;
  /** Opens the help overlay; without it /help prints the help text as a notice. */
  openHelp?(): void;
  /** Opens /copy's picker over the blocks of the last replies; without it /copy copies the last reply. */
  openCopyPicker?(): void;
  /** Shows or leaves the raw view of the current reply (/raw). */
  toggleRaw?(): void;
  /**
   * Asks the user to confirm by putting `command` in the prompt: Enter runs it, editing or Ctrl+U
   * cancels (e.g. `/export notes.md --force` after the file was found to exist). Without it the
   * command only says what to type.
   */
  ask?(command: string): void;
  quit(): void;
}

/**
 * One slash command: everything /help, Tab completion and dispatch know about it. Adding a
 * command is adding one of these to the registry (commands/registry.ts).
 */
export interface Command {
  /** Lower-case, without "/": what /help lists and Tab completes. */
  name: string;
  /** Other names that run it; dispatched, but neither listed nor completed. */
  aliases: readonly string[];
  /** Argument hint, e.g. "[file]"; "" for none. */
  args: string;
  /** One line for /help and the completion menu. */
  summary: string;
  /**
   * Does it. Results and problems are shown as notices in the transcript.
   * @param arg the text after the command, trimmed ("" when none)
   */
  run(ctx: CommandContext, arg: string): void;
}

/** One key (or chord) as listed by the help overlay. */
export interface KeyHelp {
  keys: string;
  does: string;
}

/** Shows a notice in the transcript. */
export function say(ctx: CommandContext, level: 'info' | 'warning' | 'error', text: string): void {
  ctx.engine.notify(level, text);
}
