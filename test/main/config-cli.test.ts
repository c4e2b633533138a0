import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configCommand, parseSettingValue } from '../../src/main/config-cli.js';
import { loadSettings } from '../../src/config/settings.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => new Writable({ write: (c, _e, cb) => (into.push(String(c)), cb()) });
  return { io: { out: stream(out), err: stream(err), now: Date.now() }, out, err };
}

describe('inkwell config', () => {
  it('set validates against the schema, get reads back, list shows everything', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-config-'));
    const a = io();
    expect(configCommand(dir, 'set', 'theme', 'light', a.io)).toBe(0);
    expect(configCommand(dir, 'set', 'maxTokens', '16,000', a.io)).toBe(0);
    expect(configCommand(dir, 'set', 'mouse', 'off', a.io)).toBe(0);
    const b = io();
    expect(configCommand(dir, 'set', 'theme', 'purple', b.io)).toBe(1);
    expect(b.err.join('')).toMatch(/theme was not saved/);
    expect(configCommand(dir, 'set', 'retries', 'many', b.io)).toBe(2);
    expect(configCommand(dir, 'set', 'nope', '1', b.io)).toBe(2);
    const c = io();
    expect(configCommand(dir, 'get', 'maxTokens', undefined, c.io)).toBe(0);
    expect(c.out.join('')).toBe('16000\n');
    expect(loadSettings(dir).settings).toMatchObject({ theme: 'light', maxTokens: 16000, mouse: false });
    const d = io();
    configCommand(dir, 'list', undefined, undefined, d.io);
    expect(d.out.join('')).toContain('theme = "light"');
    const e = io();
    configCommand(dir, 'path', undefined, undefined, e.io);
    expect(e.out.join('').trim()).toBe(path.join(dir, 'config.json'));
  });

  it('a damaged settings file is reported, the defaults used, and the file left as it was', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-config-bad-'));
    writeFileSync(path.join(dir, 'config.json'), '{not json');
    const loaded = loadSettings(dir);
    expect(loaded.problem).toMatch(/could not be read/);
    expect(loaded.settings.model).toBe('claude-sonnet-5-5');
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe('{not json');
  });

  it('parses values as the setting’s type', () => {
    expect(parseSettingValue('autoContinue', '3')).toBe(3);
    expect(parseSettingValue('mouse', 'yes')).toBe(true);
    expect(parseSettingValue('prices', '{"m":{"input":1,"output":2,"cacheWrite":3,"cacheRead":4}}')).toEqual({
      m: { input: 1, output: 2, cacheWrite: 3, cacheRead: 4 },
    });
    expect(() => parseSettingValue('prices', '{x')).toThrow(/takes JSON/);
  });
});
