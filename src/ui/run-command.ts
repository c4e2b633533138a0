import { COMMANDS, findCommand } from './commands/registry.js';
import type { Command, CommandContext } from './commands/types.js';

export type { CommandContext } from './commands/types.js';

/**
 * Runs one slash command: the registry entry with that name or alias, and nothing else. Results
 * and problems are shown as notices in the transcript; an unknown name gets a warning naming
 * close commands.
 * @param name the command without "/", lower-case
 * @param arg the text after the command, trimmed
 * @param registry the commands to dispatch to (COMMANDS; tests pass their own)
 */
export function runCommand(name: string, arg: string, ctx: CommandContext, registry: readonly Command[] = COMMANDS): void {
  const command = findCommand(name, registry);
  if (command) {
    command.run(ctx, arg);
    return;
  }
  const close = registry.filter((c) => c.name.startsWith(name.slice(0, 2))).map((c) => `/${c.name}`);
  ctx.engine.notify('warning', `Unknown command /${name}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''} /help lists them.`);
}
