import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/domain/redact.js';
import { draftPath, listSessions, loadDraft, saveDraft } from '../../src/sessions/index.js';

describe('session drafts', () => {
  it('saves, loads and removes the queued prompts beside the session, with the key redacted, never listed as a session', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-drafts-'));
    expect(saveDraft(dir, 'abc', ['one', 'my key is sk-ant-secret'], createRedactor(['sk-ant-secret']))).toBeNull();
    expect(readFileSync(draftPath(dir, 'abc'), 'utf8')).not.toContain('sk-ant-secret');
    expect(loadDraft(dir, 'abc')).toEqual(['one', 'my key is [redacted]']);
    expect(listSessions(dir)).toEqual([]);
    expect(saveDraft(dir, 'abc', [])).toBeNull();
    expect(existsSync(draftPath(dir, 'abc'))).toBe(false);
    expect(loadDraft(dir, 'abc')).toEqual([]);
  });

  it('a corrupt or newer draft reads as none and is left alone; an unsafe id throws', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inkwell-drafts-'));
    writeFileSync(draftPath(dir, 'bad'), '{"v":1,"queued":["cut');
    expect(loadDraft(dir, 'bad')).toEqual([]);
    writeFileSync(draftPath(dir, 'new'), '{"v":9,"queued":["later"]}');
    expect(loadDraft(dir, 'new')).toEqual([]);
    expect(existsSync(draftPath(dir, 'new'))).toBe(true);
    expect(() => draftPath(dir, '../x')).toThrow(/not a session id/);
  });
});
