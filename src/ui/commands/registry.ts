/**
 * The one command registry: /help, Tab completion (completeCommand) and dispatch (run-command.ts)
 * all read COMMANDS, so a command is added by adding one entry. The keys the help overlay lists
 * are the KEYS table beside it.
 */
import { cacheCommand } from './cache.js';
import { webCommand } from './web.js';
import { contextCommand } from './context.js';
import { copyCommand } from './copy.js';
import { exportCommand, forkCommand, newCommand, renameCommand, resumeCommand, sessionsCommand } from './session.js';
import { costCommand, maxTokensCommand, modelCommand, systemCommand, thinkingCommand } from './settings.js';
import { sanitizeModelText } from '../../markdown/sanitize.js';
import { presetCommand } from './preset.js';
import { say, type Command, type KeyHelp } from './types.js';

/** Every command, in /help order. */
export const COMMANDS: readonly Command[] = [
  { name: 'new', aliases: [], args: '', summary: 'start a new conversation (the current one stays saved)', run: newCommand },
  { name: 'clear', aliases: [], args: '', summary: 'the same as /new: forget the context, keep the saved session', run: newCommand },
  { name: 'sessions', aliases: [], args: '', summary: 'pick a saved session: search, open, rename, delete', run: sessionsCommand },
  { name: 'resume', aliases: [], args: '[id|title]', summary: 'open a saved session (a picker without an argument)', run: resumeCommand },
  { name: 'rename', aliases: [], args: '<title>', summary: 'rename this session', run: renameCommand },
  { name: 'export', aliases: [], args: '[file]', summary: 'export as markdown (.json: JSON; --force replaces a file)', run: exportCommand },
  {
    name: 'fork',
    aliases: [],
    args: '',
    summary: 'continue this conversation in a new session (a read-only window saves from then on)',
    run: forkCommand,
  },
  {
    name: 'continue',
    aliases: [],
    args: '',
    summary: 'carry on a reply cut at max_tokens or interrupted, in place',
    run: (ctx) => void ctx.engine.continueReply(),
  },
  {
    name: 'retry',
    aliases: [],
    args: '',
    summary: 'ask the last prompt again, replacing the last reply',
    run: (ctx) => {
      if (!ctx.engine.retry())
        say(ctx, 'info', ctx.engine.getState().phase !== 'idle' ? 'A reply is still streaming.' : 'There is no prompt to retry.');
    },
  },
  {
    name: 'copy',
    aliases: [],
    args: '[all | n | code [n]]',
    summary: 'pick a block of the last replies to copy (all: the session; n: a reply) with OSC 52',
    run: copyCommand,
  },
  {
    name: 'raw',
    aliases: [],
    args: '',
    summary: "the current reply as plain lines, for the terminal's own selection (Esc returns)",
    run: (ctx) => (ctx.toggleRaw ? ctx.toggleRaw() : say(ctx, 'info', 'The raw view needs the full-screen chat.')),
  },
  { name: 'model', aliases: [], args: '[id]', summary: 'switch model, or list the models the API offers', run: modelCommand },
  { name: 'system', aliases: [], args: '[prompt | off]', summary: 'show or set the system prompt', run: systemCommand },
  {
    name: 'preset',
    aliases: [],
    args: '[name]',
    summary: 'use a named system prompt (presets.<name> in settings); list them',
    run: presetCommand,
  },
  { name: 'max-tokens', aliases: [], args: '[n]', summary: 'show or set max_tokens for each reply', run: maxTokensCommand },
  {
    name: 'thinking',
    aliases: [],
    args: '[on | off | budget N | effort E]',
    summary: 'extended thinking: toggle, budget or effort',
    run: thinkingCommand,
  },
  { name: 'cost', aliases: [], args: '', summary: 'what this turn and this session cost', run: costCommand },
  { name: 'cache', aliases: [], args: '[5m | 1h | off]', summary: 'show or set prompt caching (saved)', run: cacheCommand },
  { name: 'web', aliases: [], args: '[on | off]', summary: 'web search and web fetch, with sources', run: webCommand },
  {
    name: 'context',
    aliases: [],
    args: '[draft]',
    summary: 'the next request against the context window: system, conversation, thinking, draft',
    run: contextCommand,
  },
  {
    name: 'help',
    aliases: [],
    args: '',
    summary: 'list commands and keys',
    run: (ctx) => (ctx.openHelp ? ctx.openHelp() : say(ctx, 'info', helpText(ctx.presets))),
  },
  { name: 'quit', aliases: ['exit'], args: '', summary: 'leave inkwell', run: (ctx) => ctx.quit() },
];

/** Every key the help overlay lists, in order. */
export const KEYS: readonly KeyHelp[] = [
  { keys: 'Enter', does: 'send (streaming: queue it)' },
  { keys: 'Esc', does: 'stop the reply, or clear the queue' },
  { keys: 'PgUp/PgDn, Shift+↑/↓, mouse wheel', does: 'scroll' },
  { keys: 'Home/End (empty prompt)', does: 'top/bottom' },
  { keys: 'Alt+Enter / Ctrl+J', does: 'newline' },
  { keys: 'Ctrl+G', does: 'edit in $EDITOR' },
  { keys: '↑/↓', does: 'prompt history' },
  { keys: 'Tab', does: 'complete a command, or expand thinking' },
  { keys: 'Ctrl+O (empty prompt)', does: 'raw view' },
  { keys: '? or F1', does: 'this help' },
  { keys: 'Ctrl+C', does: 'stop, twice to quit' },
];

/** Columns a line of the key list fills before the next key starts a new line. */
const KEY_LINE_COLUMNS = 92;

/**
 * The registry entry a typed name runs: by name or alias.
 * @param name the command without "/", lower-case
 * @param registry the commands to look in (COMMANDS unless a test passes its own)
 * @returns the entry, or undefined for an unknown name
 */
export function findCommand(name: string, registry: readonly Command[] = COMMANDS): Command | undefined {
  return registry.find((c) => c.name === name || c.aliases.includes(name));
}

/**
 * Commands whose names start with what was typed after "/", for completion (aliases are not
 * offered).
 * @param typed the input so far, e.g. "/re"
 * @returns the matching registry entries in /help order; [] when the input is not a bare "/word"
 */
export function completeCommand(typed: string): Command[] {
  const m = /^\/([a-z-]*)$/i.exec(typed.trimStart());
  if (!m) return [];
  const prefix = m[1]!.toLowerCase();
  return COMMANDS.filter((c) => c.name.startsWith(prefix));
}

/** One row of the completion menu: what Tab puts in the prompt, and how the row reads. */
export interface Completion {
  /** The prompt's text after Tab, e.g. "/export " or "/preset reviewer". */
  insert: string;
  /** The highlighted part of the row, e.g. "/export" or "reviewer". */
  label: string;
  /** The muted rest of the row, e.g. " [file] — export as markdown …". */
  detail: string;
}

/** Characters of a preset's prompt shown beside its name in the completion menu. */
const PRESET_PREVIEW = 60;

/**
 * The completion menu for the prompt so far: command names for a bare "/word", and preset names
 * after "/preset " (setting `presets`).
 * @param typed the input so far, e.g. "/re" or "/preset rev"
 * @param presets the named system prompts
 * @returns the rows in order; [] when nothing completes
 */
export function completeInput(typed: string, presets: Readonly<Record<string, string>> = {}): Completion[] {
  const arg = /^\/preset +(\S*)$/i.exec(typed.trimStart());
  if (arg) {
    const prefix = arg[1]!;
    return Object.keys(presets)
      .filter((name) => name.startsWith(prefix) && name !== prefix)
      .sort()
      .map((name) => {
        // Settings text, shown on the screen: no control characters, on one row.
        const prompt = sanitizeModelText(presets[name]!).replace(/\s+/g, ' ').trim();
        const preview = prompt.length > PRESET_PREVIEW ? `${prompt.slice(0, PRESET_PREVIEW - 1)}…` : prompt;
        return { insert: `/preset ${name}`, label: sanitizeModelText(name), detail: ` — ${preview}` };
      });
  }
  return completeCommand(typed).map((c) => ({
    insert: `/${c.name}${c.args ? ' ' : ''}`,
    label: `/${c.name}`,
    detail: `${c.args ? ` ${c.args}` : ''} — ${c.summary}`,
  }));
}

/** Joins items with " · " into lines of at most `columns` characters (an item longer than that gets a line of its own). */
function packLines(items: readonly string[], columns: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + item.length <= columns) lines[lines.length - 1] = `${last} · ${item}`;
    else lines.push(item);
  }
  return lines;
}

/** The /help text (and the help overlay's): every command in COMMANDS, then every key in KEYS. */
export function helpText(presets: Readonly<Record<string, string>> = {}): string {
  const names = Object.keys(presets).sort();
  const cmds = COMMANDS.map((c) => {
    const also = c.aliases.length ? ` (also ${c.aliases.map((a) => `/${a}`).join(', ')})` : '';
    // The presets the settings hold are listed under /preset (sanitised: they are the user's text, on the screen).
    const list = c.name === 'preset' && names.length > 0 ? `\n    presets: ${names.map((n) => sanitizeModelText(n)).join(', ')}` : '';
    return `/${c.name}${c.args ? ` ${c.args}` : ''} — ${c.summary}${also}${list}`;
  }).join('\n');
  const keys = packLines(
    KEYS.map((k) => `${k.keys} ${k.does}`),
    KEY_LINE_COLUMNS,
  ).join('\n');
  return `Commands:\n${cmds}\n\nKeys:\n${keys}`;
}
