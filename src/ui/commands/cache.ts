import { PROMPT_CACHES, type PromptCache } from '../../api/cache.js';
import { say, type CommandContext } from './types.js';

/** What changed so that the cached request prefix no longer matches (docs/PROTOCOL.md §11, prompt caching). */
export type PrefixBreak = 'system' | 'model' | 'thinking';

const BECAUSE: Readonly<Record<PrefixBreak, string>> = {
  system: 'the system prompt changed',
  model: 'the model changed',
  thinking: 'extended thinking was switched',
};

/**
 * The one line said when the user does something that breaks the cached request prefix, e.g.
 * "The next request starts a new cache prefix (the system prompt changed): it is written to the
 * cache again."
 * @param why what changed
 */
export function prefixBreakNotice(why: PrefixBreak): string {
  return `The next request starts a new cache prefix (${BECAUSE[why]}): it is written to the cache again.`;
}

/**
 * Says {@link prefixBreakNotice} when it matters: prompt caching is on and the conversation has a
 * reply whose request could have been cached. Call it after the change is made.
 * @param ctx the command's context
 * @param why what changed
 */
export function tellPrefixBreak(ctx: CommandContext, why: PrefixBreak): void {
  const { engine } = ctx;
  if (engine.effectivePromptCache === 'off') return;
  if (!engine.getState().messages.some((m) => m.role === 'assistant')) return;
  say(ctx, 'info', prefixBreakNotice(why));
}

const MEANING: Readonly<Record<PromptCache, string>> = {
  '5m': 'on, entries live 5 minutes from their last use',
  '1h': 'on, entries live 1 hour from their last use (writes cost 2× input instead of 1.25×)',
  off: 'off: every request is billed at the full input price',
};

/** /cache: say the prompt-caching setting; /cache 5m|1h|off: change it for the next requests and save it. */
export function cacheCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  const word = arg.toLowerCase();
  if (!word) {
    const cur = engine.settings.promptCache;
    const refused = engine.effectivePromptCache === 'off' && cur !== 'off' ? ' This API refuses cache_control, so none is sent.' : '';
    say(ctx, 'info', `Prompt caching is ${cur} (${MEANING[cur]}).${refused} /cache ${PROMPT_CACHES.join('|')} changes it.`);
    return;
  }
  if (!(PROMPT_CACHES as readonly string[]).includes(word)) {
    say(ctx, 'warning', `Use /cache ${PROMPT_CACHES.join(', /cache ')}.`);
    return;
  }
  const value = word as PromptCache;
  engine.configure({ promptCache: value });
  say(ctx, 'info', `Prompt caching ${MEANING[value]}, from the next request; saved as the default.`);
}
