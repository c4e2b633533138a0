import { tellPrefixBreak } from './cache.js';
import { type CommandContext, say } from './types.js';

/**
 * The system prompt of a named preset (setting `presets`), or why there is none in plain words,
 * listing the known names.
 */
export function presetPrompt(
  presets: Readonly<Record<string, string>>,
  name: string,
): { ok: true; prompt: string } | { ok: false; reason: string } {
  const prompt = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (prompt !== undefined) return { ok: true, prompt };
  return { ok: false, reason: `There is no preset "${name}". ${knownPresets(presets)}` };
}

/** The known preset names in words, or how to make one. */
export function knownPresets(presets: Readonly<Record<string, string>>): string {
  const names = Object.keys(presets).sort();
  return names.length > 0
    ? `Presets: ${names.join(', ')}.`
    : 'No presets yet: make one with inkwell config set presets.<name> "<system prompt>".';
}

/** /preset: list the presets; /preset <name>: use its system prompt for the next replies. */
export function presetCommand(ctx: CommandContext, arg: string): void {
  const presets = ctx.presets ?? {};
  const name = arg.trim();
  if (name === '') {
    say(ctx, 'info', knownPresets(presets));
    return;
  }
  const found = presetPrompt(presets, name);
  if (!found.ok) {
    say(ctx, 'warning', found.reason);
    return;
  }
  const changed = found.prompt !== ctx.engine.settings.system;
  ctx.engine.configure({ system: found.prompt || null });
  say(ctx, 'info', `Preset "${name}" is the system prompt for the next replies.`);
  if (changed) tellPrefixBreak(ctx, 'system');
}
