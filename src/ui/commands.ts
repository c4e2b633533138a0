/**
 * Slash commands: the parser, and the registry's readers for /help and Tab completion
 * (commands/registry.ts holds the one table; run-command.ts dispatches from it).
 */
import type { Command } from './commands/types.js';

export { COMMANDS, KEYS, completeCommand, completeInput, findCommand, helpText, type Completion } from './commands/registry.js';
export type { Command, CommandContext, KeyHelp } from './commands/types.js';

/** One slash command as listed by /help and the completion menu. */
export type CommandSpec = Pick<Command, 'name' | 'aliases' | 'args' | 'summary'>;

/** A parsed line: a command with its argument text, or a plain prompt. */
export type ParsedInput = { kind: 'command'; name: string; arg: string } | { kind: 'prompt'; text: string };

/**
 * Reads a submitted line. A line starting with one "/" and a word is a command ("//x" sends "/x"
 * as a prompt); anything else is a prompt.
 * @returns the command's name lower-cased with its argument trimmed, or the prompt text
 */
export function parseInput(line: string): ParsedInput {
  const trimmed = line.trim();
  if (trimmed.startsWith('//')) return { kind: 'prompt', text: line.replace(/^\s*\//, '') };
  const m = /^\/([a-z][\w-]*)(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (!m) return { kind: 'prompt', text: line };
  return { kind: 'command', name: m[1]!.toLowerCase(), arg: (m[2] ?? '').trim() };
}
