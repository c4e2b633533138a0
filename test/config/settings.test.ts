import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, settingProblem } from '../../src/config/settings.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'inkwell-settings-'));

describe('settings (conf, values checked with zod/mini)', () => {
  it('a missing file gives the defaults and is not written by loading', () => {
    const dir = fresh();
    const loaded = loadSettings(dir);
    expect(loaded.problem).toBeNull();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('a valid file with some settings: those, the defaults for the rest, unknown keys kept', () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ theme: 'mono', retries: 0, futureKey: 1 }));
    const loaded = loadSettings(dir);
    expect(loaded.problem).toBeNull();
    expect(loaded.settings).toMatchObject({ ...DEFAULT_SETTINGS, theme: 'mono', retries: 0 });
    expect(loaded.set('mouse', false)).toBeNull();
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual({
      theme: 'mono',
      retries: 0,
      futureKey: 1,
      mouse: false,
    });
  });

  it('an invalid value in the file: defaults, every problem in plain words, the file untouched and never written', () => {
    const dir = fresh();
    const text = JSON.stringify({ theme: 'purple', retries: 99, maxTokens: 8192 });
    writeFileSync(path.join(dir, 'config.json'), text);
    const loaded = loadSettings(dir);
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problem).toMatch(
      /could not be used \(retries must be a whole number from 0 to 10, not 99; theme must be dark, light or mono, not "purple"\); using defaults\. The file was left as it is\./,
    );
    expect(loaded.set('mouse', false)).toMatch(/nothing is saved/);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(text);
  });

  it('set refuses a value its rule does not allow, and saves nothing', () => {
    const dir = fresh();
    const loaded = loadSettings(dir);
    const bad: Array<[string, unknown]> = [
      ['model', ''],
      ['maxTokens', 0],
      ['maxTokens', 2.5],
      ['maxTokens', 1_000_001],
      ['mouse', 'yes'],
      ['retries', -1],
      ['autoContinue', 11],
      ['noPrefillModels', [1]],
      ['theme', 'purple'],
      ['thinking', 'maybe'],
      ['thinkingBudget', 1023],
      ['effort', 'extreme'],
      ['prices', { m: { input: -1, output: 1, cacheWrite: 1, cacheRead: 1 } }],
      ['prices', { m: { input: 1 } }],
      ['prices', { m: { input: 1, output: 1, cacheWrite: 1, cacheRead: 1, webSearch: -10 } }],
      ['prices', []],
      ['system', null],
    ];
    for (const [key, value] of bad) {
      // @ts-expect-error deliberately wrong values
      expect(loaded.set(key, value), `${key} = ${JSON.stringify(value)}`).toMatch(new RegExp(`^${key} must be .*, not `));
    }
    expect(existsSync(path.join(dir, 'config.json'))).toBe(false);
  });

  it('settingProblem accepts every default and the edges of each range', () => {
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS))
      expect(settingProblem(key as keyof typeof DEFAULT_SETTINGS, value)).toBeNull();
    expect(settingProblem('maxTokens', 1_000_000)).toBeNull();
    expect(settingProblem('thinkingBudget', 1024)).toBeNull();
    expect(settingProblem('retries', 10)).toBeNull();
    expect(settingProblem('prices', { 'claude-x': { input: 0, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } })).toBeNull();
    const withCache = { 'claude-x': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3, cacheWrite1h: 6, webSearch: 10 } };
    expect(settingProblem('prices', withCache)).toBeNull();
    expect(settingProblem('system', 'x'.repeat(500))).toBeNull();
    expect(settingProblem('model', 'x'.repeat(500))).toBeNull();
    expect(settingProblem('system', 5)).toBe('system must be text, not 5');
  });
});
