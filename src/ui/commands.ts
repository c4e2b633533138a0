/**
 * Slash commands: the table (for /help and completion) and the parser. Pure.
 */

/** One slash command as listed by /help. */
export interface CommandSpec {
  name: string;
  /** Argument hint, e.g. "[file]". */
  args: string;
  summary: string;
}

/** Every command, in /help order. */
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'new', args: '', summary: 'start a new conversation (the current one stays saved)' },
  { name: 'clear', args: '', summary: 'the same as /new: forget the context, keep the saved session' },
  { name: 'sessions', args: '', summary: 'pick a saved session: search, open, rename, delete' },
  { name: 'resume', args: '[id|title]', summary: 'open a saved session (a picker without an argument)' },
  { name: 'rename', args: '<title>', summary: 'rename this session' },
  { name: 'export', args: '[file]', summary: 'export this session as markdown (.json for JSON)' },
  { name: 'continue', args: '', summary: 'carry on a reply cut at max_tokens or interrupted, in place' },
  { name: 'retry', args: '', summary: 'ask the last prompt again, replacing the last reply' },
  { name: 'copy', args: '[n | code [n]]', summary: 'copy the last reply (or the nth from last, or a code block) with OSC 52' },
  { name: 'model', args: '[id]', summary: 'switch model, or list the models the API offers' },
  { name: 'system', args: '[prompt | off]', summary: 'show or set the system prompt' },
  { name: 'max-tokens', args: '[n]', summary: 'show or set max_tokens for each reply' },
  { name: 'thinking', args: '[on | off | budget N | effort E]', summary: 'extended thinking: toggle, budget or effort' },
  { name: 'cost', args: '', summary: 'what this turn and this session cost' },
  { name: 'help', args: '', summary: 'list commands and keys' },
  { name: 'quit', args: '', summary: 'leave inkwell' },
];

/** A parsed line: a command with its argument text, or a plain prompt. */
export type ParsedInput = { kind: 'command'; name: string; arg: string } | { kind: 'prompt'; text: string };

/**
 * Reads a submitted line. A line starting with one "/" and a word is a command ("//x" sends "/x"
 * as a prompt); anything else is a prompt.
 */
export function parseInput(line: string): ParsedInput {
  const trimmed = line.trim();
  if (trimmed.startsWith('//')) return { kind: 'prompt', text: line.replace(/^\s*\//, '') };
  const m = /^\/([a-z][\w-]*)(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (!m) return { kind: 'prompt', text: line };
  return { kind: 'command', name: m[1]!.toLowerCase(), arg: (m[2] ?? '').trim() };
}

/**
 * Commands whose names start with what was typed after "/", for completion.
 * @param typed the input so far, e.g. "/re"
 */
export function completeCommand(typed: string): CommandSpec[] {
  const m = /^\/([a-z-]*)$/i.exec(typed.trimStart());
  if (!m) return [];
  const prefix = m[1]!.toLowerCase();
  return COMMANDS.filter((c) => c.name.startsWith(prefix));
}

/** The /help text: commands and keys. */
export function helpText(): string {
  const cmds = COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''} — ${c.summary}`).join('\n');
  const keys = [
    'Enter send (on an empty prompt: continue a cut reply) · Esc stop the reply',
    'PgUp/PgDn, Shift+↑/↓, mouse wheel scroll · Home/End (empty prompt) top/bottom',
    'Alt+Enter / Ctrl+J newline · Ctrl+G edit in $EDITOR · ↑/↓ prompt history',
    'Tab complete a command, or expand thinking · ? or F1 this help · Ctrl+C stop, twice to quit',
  ].join('\n');
  return `Commands:\n${cmds}\n\nKeys:\n${keys}`;
}
