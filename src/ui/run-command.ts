import type { ChatEngine } from '../app/engine.js';
import type { SessionControl } from '../app/session-control.js';
import { findOne } from '../app/sessions-cli.js';
import { COMMANDS, helpText } from './commands.js';

/** What a command may do to the screen around it. */
export interface CommandContext {
  engine: ChatEngine;
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
    case 'retry':
      if (!engine.retry()) say('info', engine.getState().phase !== 'idle' ? 'A reply is still streaming.' : 'There is no prompt to retry.');
      return;
    default: {
      const close = COMMANDS.filter((c) => c.name.startsWith(name.slice(0, 2))).map((c) => `/${c.name}`);
      say('warning', `Unknown command /${name}.${close.length ? ` Did you mean ${close.join(', ')}?` : ''} /help lists them.`);
    }
  }
}
