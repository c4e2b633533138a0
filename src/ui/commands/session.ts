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

/**
 * The file and the force flag of `/export [file] [--force]` (`--force` or `-f`, before or after
 * the file name).
 */
export function parseExportArg(arg: string): { file: string | null; force: boolean } {
  let rest = arg.trim();
  let force = false;
  const flag = /(?:^|\s)(?:--force|-f)(?=\s|$)/;
  if (flag.test(rest)) {
    force = true;
    rest = rest.replace(flag, ' ').trim();
  }
  return { file: rest === '' ? null : rest, force };
}

/**
 * /export [file] [--force]: markdown, or JSON for a .json file. An existing file is not replaced:
 * the warning says so and how to replace it.
 */
export function exportCommand(ctx: CommandContext, arg: string): void {
  const s = needSessions(ctx);
  if (!s) return;
  const { file, force } = parseExportArg(arg);
  const r = s.exportCurrent(file, force);
  if (r.ok) say(ctx, 'info', r.message);
  else if (!r.exists) say(ctx, 'warning', r.reason);
  else {
    // Asked, not done: the replacing command waits in the prompt for Enter.
    const replace = `/export ${file ?? ''}${file ? ' ' : ''}--force`;
    if (ctx.ask) {
      ctx.ask(replace);
      say(ctx, 'warning', `${r.reason} Replace it? Enter runs ${replace} (in the prompt); Ctrl+U keeps the file.`);
    } else say(ctx, 'warning', `${r.reason} To replace it: ${replace}`);
  }
}
