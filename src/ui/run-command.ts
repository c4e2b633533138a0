import type { ChatEngine } from '../chat/engine.js';
import type { SessionControl } from '../chat/session-control.js';
import { findOne } from '../sessions/index.js';
import { EFFORTS, MIN_THINKING_BUDGET, type Effort } from '../api/thinking.js';
import { conversationCost, formatUsd, type Price } from '../domain/cost.js';
import type { AssistantMessage } from '../domain/types.js';
import { codeBlocks } from '../markdown/code.js';
import { copyToClipboard } from './clipboard.js';
import { COMMANDS, helpText } from './commands.js';

/** What a command may do to the screen around it. */
export interface CommandContext {
  engine: ChatEngine;
  /** The terminal, for OSC 52 clipboard writes (omitted in tests that do not copy). */
  out?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** Price overrides from settings. */
  prices?: Readonly<Record<string, Price>>;
  /** Absent in tests that run without sessions. */
  sessions: SessionControl | null;
  openPicker(): void;
  quit(): void;
}

/**
 * Runs one slash command. Results and problems are shown as notices in the transcript.
 * @param name the command without "/", lower-case
 * @param arg the text after the command, trimmed
 */
export function runCommand(name: string, arg: string, ctx: CommandContext): void {
  const { engine, sessions } = ctx;
  const say = (level: 'info' | 'warning' | 'error', text: string) => engine.notify(level, text);
  const needSessions = (): SessionControl | null => {
    if (!sessions) say('warning', 'Sessions are not available here.');
    return sessions;
  };
  switch (name) {
    case 'help':
      say('info', helpText());
      return;
    case 'quit':
    case 'exit':
      ctx.quit();
      return;
    case 'new':
    case 'clear': {
      const s = needSessions();
      if (s) void s.newConversation();
      return;
    }
    case 'sessions':
      if (needSessions()) ctx.openPicker();
      return;
    case 'resume': {
      const s = needSessions();
      if (!s) return;
      if (!arg) {
        ctx.openPicker();
        return;
      }
      const found = findOne(s.dir, arg);
      if (!found.ok) {
        say('warning', found.reason);
        return;
      }
      void s.open(found.session.id).then((r) => {
        if (!r.ok) say('error', r.reason);
      });
      return;
    }
    case 'rename': {
      const s = needSessions();
      if (!s) return;
      if (!arg) {
        say('info', 'Give the new title: /rename <title>');
        return;
      }
      const r = s.rename(arg);
      say(r.ok ? 'info' : 'warning', r.ok ? r.message : r.reason);
      return;
    }
    case 'export': {
      const s = needSessions();
      if (!s) return;
      const r = s.exportCurrent(arg || null);
      say(r.ok ? 'info' : 'warning', r.ok ? r.message : r.reason);
      return;
    }
    case 'continue':
      engine.continueReply();
      return;
    case 'copy':
      copyCommand(arg, ctx);
      return;
    case 'model':
      modelCommand(arg, ctx);
      return;
    case 'system': {
      if (!arg) {
        const cur = engine.settings.system;
        say('info', cur ? `System prompt: ${cur}` : 'No system prompt. Set one with /system <prompt>.');
        return;
      }
      engine.configure({ system: arg === 'off' ? null : arg });
      say('info', arg === 'off' ? 'System prompt removed for the next replies.' : 'System prompt set for the next replies.');
      return;
    }
    case 'max-tokens': {
      if (!arg) {
        say('info', `max_tokens is ${engine.settings.maxTokens.toLocaleString('en-US')}.`);
        return;
      }
      const n = Number(arg.replace(/[,_]/g, ''));
      const cap = engine.getState().limits?.maxOutputTokens ?? Infinity;
      if (!Number.isInteger(n) || n < 1) say('warning', 'Give a whole number of tokens, e.g. /max-tokens 16000.');
      else if (n > cap) say('warning', `${engine.settings.model} allows at most ${cap.toLocaleString('en-US')} output tokens.`);
      else {
        engine.configure({ maxTokens: n });
        say('info', `max_tokens is now ${n.toLocaleString('en-US')}.`);
      }
      return;
    }
    case 'thinking':
      thinkingCommand(arg, ctx);
      return;
    case 'cost': {
      const c = conversationCost(engine.getState().messages, ctx.prices);
      const t = engine.getState().totals;
      const parts = [
        `This turn: ${c.turn === null ? 'unknown' : formatUsd(c.turn)}.`,
        `This session: ${formatUsd(c.total)}${c.unpriced ? ` (+${c.unpriced} repl${c.unpriced === 1 ? 'y' : 'ies'} on models with no price set)` : ''}.`,
        `Tokens: ${t.input_tokens.toLocaleString('en-US')} in, ${t.output_tokens.toLocaleString('en-US')} out, ${t.cache_creation_input_tokens.toLocaleString('en-US')} cache write, ${t.cache_read_input_tokens.toLocaleString('en-US')} cache read.`,
      ];
      say('info', parts.join(' '));
      return;
    }
    case 'retry':
      if (!engine.retry()) say('info', engine.getState().phase !== 'idle' ? 'A reply is still streaming.' : 'There is no prompt to retry.');
      return;
    default: {
      const close = COMMANDS.filter((c) => c.name.startsWith(name.slice(0, 2))).map((c) => `/${c.name}`);
      say('warning', `Unknown command /${name}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''} /help lists them.`);
    }
  }
}

function replyText(m: AssistantMessage): string {
  return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

/** /copy, /copy 2 (second-to-last reply), /copy code, /copy code 2 (second code block of the last reply). */
function copyCommand(arg: string, ctx: CommandContext): void {
  const say = (level: 'info' | 'warning', text: string) => ctx.engine.notify(level, text);
  const replies = ctx.engine.getState().messages.filter((m): m is AssistantMessage => m.role === 'assistant' && replyText(m).trim() !== '');
  if (replies.length === 0) return say('info', 'There is no reply to copy yet.');
  const m = /^(code)?\s*(\d+)?$/i.exec(arg.trim());
  if (!m) return say('warning', 'Use /copy, /copy <n> (n-th reply from the end), /copy code or /copy code <n>.');
  const n = m[2] ? Number(m[2]) : 1;
  let text: string;
  let what: string;
  if (m[1]) {
    const blocks = codeBlocks(replyText(replies.at(-1)!));
    if (blocks.length === 0) return say('info', 'The last reply has no code block.');
    if (n < 1 || n > blocks.length) return say('warning', `The last reply has ${blocks.length} code block${blocks.length === 1 ? '' : 's'}.`);
    text = blocks[n - 1]!.code;
    what = `code block ${n}`;
  } else {
    if (n < 1 || n > replies.length) return say('warning', `There ${replies.length === 1 ? 'is 1 reply' : `are ${replies.length} replies`}.`);
    text = replyText(replies[replies.length - n]!);
    what = n === 1 ? 'the last reply' : `reply ${n} from the end`;
  }
  if (!ctx.out) return say('warning', 'Copying is not available here.');
  const r = copyToClipboard(text, ctx.out, ctx.env ?? process.env);
  say(r.ok ? 'info' : 'warning', r.ok ? `${what[0]!.toUpperCase()}${what.slice(1)}: ${r.message}` : r.message);
}

/** /model: list the models the API offers; /model <id>: use it for the next replies. */
function modelCommand(arg: string, ctx: CommandContext): void {
  const { engine } = ctx;
  if (arg) {
    engine.configure({ model: arg });
    engine.notify('info', `Model for the next replies: ${arg}.`);
    return;
  }
  void engine.listModels().then((ids) => {
    engine.notify(
      'info',
      ids.length
        ? `Current model: ${engine.settings.model}. Available: ${ids.join(', ')}. Switch with /model <id>.`
        : `Current model: ${engine.settings.model}. The Models API did not answer; /model <id> still switches.`,
    );
  });
}

/** /thinking, /thinking on|off, /thinking budget <n>, /thinking effort <level>. */
function thinkingCommand(arg: string, ctx: CommandContext): void {
  const { engine } = ctx;
  const t = engine.settings.thinking;
  const say = (level: 'info' | 'warning', text: string) => engine.notify(level, text);
  const [word, value] = arg.toLowerCase().split(/\s+/);
  if (!word) {
    say('info', `Extended thinking is ${t.mode}${t.mode === 'on' ? ` (budget ${t.budgetTokens} tokens on budget-style models, effort ${t.effort ?? 'model default'} on adaptive ones)` : ''}. /thinking on|off|budget N|effort ${EFFORTS.join('|')}.`);
    return;
  }
  if (word === 'on' || word === 'off') {
    engine.configure({ thinking: { ...t, mode: word } });
    say('info', `Extended thinking ${word} for the next replies.`);
    return;
  }
  if (word === 'budget') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < MIN_THINKING_BUDGET) return say('warning', `A thinking budget is a whole number of tokens, ${MIN_THINKING_BUDGET} or more.`);
    if (n >= engine.settings.maxTokens) return say('warning', `The budget must stay below max_tokens (${engine.settings.maxTokens}); raise it with /max-tokens first.`);
    engine.configure({ thinking: { ...t, mode: 'on', budgetTokens: n } });
    return say('info', `Thinking on, budget ${n} tokens.`);
  }
  if (word === 'effort') {
    if (!EFFORTS.includes(value as Effort)) return say('warning', `Effort is one of ${EFFORTS.join(', ')}.`);
    engine.configure({ thinking: { ...t, mode: 'on', effort: value as Effort } });
    return say('info', `Thinking on, effort ${value}.`);
  }
  say('warning', 'Use /thinking on, /thinking off, /thinking budget <tokens> or /thinking effort <level>.');
}
