import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings } from '../../src/config/settings.js';
import { configCommand } from '../../src/main/config-cli.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => new Writable({ write: (c, _e, cb) => (into.push(String(c)), cb()) });
  return { io: { out: stream(out), err: stream(err), now: Date.now() }, out, err };
}

describe('the promptCache and noCacheBaseUrls settings', () => {
  it('caching is on with the 5-minute TTL by default, and no base URL is known to refuse it', () => {
    expect(DEFAULT_SETTINGS.promptCache).toBe('5m');
    expect(DEFAULT_SETTINGS.noCacheBaseUrls).toEqual([]);
  });

  it('inkwell config set promptCache takes 5m, 1h or off and refuses anything else in plain words', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-cache-setting-'));
    const a = io();
    expect(configCommand(dir, 'set', 'promptCache', '1h', a.io)).toBe(0);
    expect(a.out.join('')).toBe('promptCache = "1h"\n');
    expect(loadSettings(dir).settings.promptCache).toBe('1h');
    expect(configCommand(dir, 'set', 'promptCache', 'off', io().io)).toBe(0);
    expect(loadSettings(dir).settings.promptCache).toBe('off');
    const b = io();
    expect(configCommand(dir, 'set', 'promptCache', '10m', b.io)).toBe(1);
    expect(b.err.join('')).toMatch(/promptCache must be 5m, 1h or off, not "10m"/);
    expect(loadSettings(dir).settings.promptCache).toBe('off');
  });

  it('remembered base URLs are a list of strings, kept by set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-cache-setting-'));
    const s = loadSettings(dir);
    expect(s.set('noCacheBaseUrls', ['https://gateway.example'])).toBeNull();
    expect(loadSettings(dir).settings.noCacheBaseUrls).toEqual(['https://gateway.example']);
    expect(configCommand(dir, 'set', 'noCacheBaseUrls', '"https://x"', io().io)).toBe(1);
  });
});
