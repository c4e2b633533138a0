import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { configCommand } from '../../src/main/config-cli.js';
import { knownPresets, presetPrompt } from '../../src/ui/commands/preset.js';
import { COMMANDS, completeCommand, helpText } from '../../src/ui/commands/registry.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => new Writable({ write: (c, _e, cb) => (into.push(String(c)), cb()) });
  return { io: { out: stream(out), err: stream(err), now: Date.now() }, out, err };
}

describe('presets', () => {
  it('config set presets.<name> adds one named system prompt, keeping the others', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-presets-'));
    const a = io();
    expect(configCommand(dir, 'set', 'presets.reviewer', 'You review code tersely.', a.io)).toBe(0);
    expect(configCommand(dir, 'set', 'presets.poet', 'Answer in verse.', a.io)).toBe(0);
    expect(a.out.join('')).toBe('presets.reviewer = "You review code tersely."\npresets.poet = "Answer in verse."\n');
    expect(loadSettings(dir).settings.presets).toEqual({ reviewer: 'You review code tersely.', poet: 'Answer in verse.' });
  });

  it('a known name gives its prompt; an unknown one a plain message listing the known ones', () => {
    const presets = { reviewer: 'R', poet: 'P' };
    expect(presetPrompt(presets, 'poet')).toEqual({ ok: true, prompt: 'P' });
    expect(presetPrompt(presets, 'nope')).toEqual({ ok: false, reason: 'There is no preset "nope". Presets: poet, reviewer.' });
    expect(presetPrompt(presets, 'toString')).toMatchObject({ ok: false });
    expect(knownPresets({})).toMatch(/No presets yet/);
  });

  it('/preset is in the registry: /help lists it and Tab completes it', () => {
    expect(COMMANDS.some((c) => c.name === 'preset')).toBe(true);
    expect(completeCommand('/pre').map((c) => c.name)).toEqual(['preset']);
    expect(helpText()).toMatch(/\/preset \[name\] — use a named system prompt/);
    expect(helpText({ reviewer: 'R', poet: 'P' })).toMatch(/\/preset \[name\] — .*\n {4}presets: poet, reviewer\n/);
    expect(helpText()).not.toMatch(/presets:/);
  });
});
