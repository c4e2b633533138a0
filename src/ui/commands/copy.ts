import type { AssistantMessage } from '../../domain/types.js';
import { codeBlocks } from '../../markdown/code.js';
import { copyToClipboard } from '../clipboard.js';
import type { CopyItem } from '../copy-picker.js';
import type { CopyFormat } from '../CopyPicker.js';
import type { CommandContext } from './types.js';

function replyText(m: AssistantMessage): string {
  return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

/**
 * /copy: a picker over the blocks of the last replies (ui/CopyPicker.tsx); /copy all: the whole
 * session as markdown; /copy 2 (second-to-last reply), /copy code, /copy code 2 (second code block
 * of the last reply) copy at once.
 */
export function copyCommand(ctx: CommandContext, arg: string): void {
  const say = (level: 'info' | 'warning', text: string) => ctx.engine.notify(level, text);
  if (arg.trim().toLowerCase() === 'all') return copyAll(ctx);
  const replies = ctx.engine.getState().messages.filter((m): m is AssistantMessage => m.role === 'assistant' && replyText(m).trim() !== '');
  if (replies.length === 0) return say('info', 'There is no reply to copy yet.');
  if (arg.trim() === '' && ctx.openCopyPicker) return ctx.openCopyPicker();
  const m = /^(code)?\s*(\d+)?$/i.exec(arg.trim());
  if (!m) return say('warning', 'Use /copy, /copy <n> (n-th reply from the end), /copy code or /copy code <n>.');
  const n = m[2] ? Number(m[2]) : 1;
  let text: string;
  let what: string;
  if (m[1]) {
    const blocks = codeBlocks(replyText(replies.at(-1)!));
    if (blocks.length === 0) return say('info', 'The last reply has no code block.');
    if (n < 1 || n > blocks.length)
      return say('warning', `The last reply has ${blocks.length} code block${blocks.length === 1 ? '' : 's'}.`);
    text = blocks[n - 1]!.code;
    what = `code block ${n}`;
  } else {
    if (n < 1 || n > replies.length)
      return say('warning', `There ${replies.length === 1 ? 'is 1 reply' : `are ${replies.length} replies`}.`);
    text = replyText(replies[replies.length - n]!);
    what = n === 1 ? 'the last reply' : `reply ${n} from the end`;
  }
  if (!ctx.out) return say('warning', 'Copying is not available here.');
  const r = copyToClipboard(text, ctx.out, ctx.env ?? process.env);
  say(r.ok ? 'info' : 'warning', r.ok ? `${what[0]!.toUpperCase()}${what.slice(1)}: ${r.message}` : r.message);
}

/** /copy all: the session as markdown, as /export writes it. */
function copyAll(ctx: CommandContext): void {
  if (!ctx.sessions) return ctx.engine.notify('info', 'There is no saved session to copy.');
  const md = ctx.sessions.markdown();
  if (!md.ok) return ctx.engine.notify('info', md.reason);
  if (!ctx.out) return ctx.engine.notify('warning', 'Copying is not available here.');
  const r = copyToClipboard(md.text, ctx.out, ctx.env ?? process.env);
  ctx.engine.notify(r.ok ? 'info' : 'warning', r.ok ? `The whole session as markdown: ${r.message}` : r.message);
}

/**
 * Copies the block chosen in /copy's picker: its markdown source, or its plain text; says what
 * happened as a notice.
 */
export function copyBlock(item: CopyItem, format: CopyFormat, ctx: Pick<CommandContext, 'engine' | 'out' | 'env'>): void {
  if (!ctx.out) return ctx.engine.notify('warning', 'Copying is not available here.');
  const r = copyToClipboard(format === 'plain' ? item.block.plain : item.block.markdown, ctx.out, ctx.env ?? process.env);
  ctx.engine.notify(r.ok ? 'info' : 'warning', r.ok ? `${format === 'plain' ? 'Plain text' : 'Markdown'}: ${r.message}` : r.message);
}
