import { say, type CommandContext } from './types.js';

/**
 * /web: say whether web search and web fetch are offered; /web on|off: offer them or not from the
 * next request (for this run; the `webSearch` setting is the default, `inkwell config set`).
 */
export function webCommand(ctx: CommandContext, arg: string): void {
  const { engine } = ctx;
  const word = arg.toLowerCase();
  const web = engine.settings.web;
  const refused = web.on && !engine.effectiveWeb.on;
  if (!word) {
    const limits = [
      web.maxUses !== null ? `at most ${web.maxUses} uses per request` : '',
      web.allowedDomains.length > 0 ? `only ${web.allowedDomains.join(', ')}` : '',
      web.allowedDomains.length === 0 && web.blockedDomains.length > 0 ? `never ${web.blockedDomains.join(', ')}` : '',
    ].filter(Boolean);
    say(
      ctx,
      'info',
      `Web search and web fetch are ${web.on ? 'on' : 'off'}${limits.length > 0 ? ` (${limits.join('; ')})` : ''}.${refused ? ' This API refuses them, so none are offered.' : ''} /web on|off changes it.`,
    );
    return;
  }
  if (word !== 'on' && word !== 'off') {
    say(ctx, 'warning', 'Use /web on or /web off.');
    return;
  }
  engine.configure({ web: { ...web, on: word === 'on' } });
  if (word === 'on' && !engine.effectiveWeb.on) {
    say(
      ctx,
      'warning',
      'This API refused the web tools before, so none are offered. Remove its URL from the noWebBaseUrls setting to try again.',
    );
    return;
  }
  say(
    ctx,
    'info',
    word === 'on'
      ? 'Web search and web fetch are on from the next request: Claude may search the web and read pages, and cites its sources.'
      : 'Web search and web fetch are off from the next request.',
  );
}
