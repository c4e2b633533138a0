import type { SessionControl } from '../../chat/session-control.js';
import { findOne } from '../../sessions/index.js';
import { say, type CommandContext } from './types.js';

/** The session control, or null after a warning when this run has no sessions. */
function needSessions(ctx: CommandContext): SessionControl | null {
  if (!ctx.sessions) say(ctx, 'warning', 'Sessions are not available here.');
  return ctx.sessions;
}

/** /new and /clear: a new conversation; the current one stays saved. */
export function newCommand(ctx: CommandContext): void {
  const s = needSessions(ctx);
  if (s) void s.newConversation();
}

/** /sessions: the picker. */
export function sessionsCommand(ctx: CommandContext): void {
  if (needSessions(ctx)) ctx.openPicker();
}

/** /resume: the picker; /resume <id or title>: open that session. */
export function resumeCommand(ctx: CommandContext, arg: string): void {
  const s = needSessions(ctx);
  if (!s) return;
  if (!arg) {
    ctx.openPicker();
    return;
  }
  const found = findOne(s.dir, arg);
  if (!found.ok) {
    say(ctx, 'warning', found.reason);
    return;
  }
  void s.open(found.session.id).then((r) => {
    if (!r.ok) say(ctx, 'error', r.reason);
  });
}

/** /rename <title>. */
export function renameCommand(ctx: CommandContext, arg: string): void {
  const s = needSessions(ctx);
  if (!s) return;
  if (!arg) {
    say(ctx, 'info', 'Give the new title: /rename <title>');
    return;
  }
  const r = s.rename(arg);
  say(ctx, r.ok ? 'info' : 'warning', r.ok ? r.message : r.reason);
}

/** /fork: the conversation copied into a new session, saved from here on. */
export function forkCommand(ctx: CommandContext): void {
  const s = needSessions(ctx);
  if (!s) return;
  const r = s.fork();
  say(ctx, r.ok ? 'info' : 'warning', r.ok ? r.message : r.reason);
}

/** /export [file]: markdown, or JSON for a .json file. */
export function exportCommand(ctx: CommandContext, arg: string): void {
  const s = needSessions(ctx);
  if (!s) return;
  const r = s.exportCurrent(arg || null);
  say(ctx, r.ok ? 'info' : 'warning', r.ok ? r.message : r.reason);
}
