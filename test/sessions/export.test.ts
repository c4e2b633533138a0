import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportJson, exportMarkdown } from '../../src/sessions/export.js';
import { createRedactor } from '../../src/sessions/redact.js';
import { loadSession } from '../../src/sessions/load.js';
import { sessionPath } from '../../src/sessions/paths.js';
import { FORMAT_VERSION } from '../../src/sessions/schema.js';
import { tempDir } from './helpers.js';

const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * conversation.jsonl is a session saved by the real writer while the real reducer replayed
 * recorded streams: a thinking reply, parallel tool use, a max_tokens stop, a refusal, a reply
 * stopped with Esc, a reply cut by an overloaded error (with its notice), then a rename.
 */
function fixtureSession() {
  const dir = tempDir();
  copyFileSync(path.join(FIXTURE_DIR, 'conversation.jsonl'), sessionPath(dir, 'k7qx2mfa'));
  return loadSession(dir, 'k7qx2mfa');
}

describe('sessions export', () => {
  it('--format md of the fixture conversation equals the expected markdown', () => {
    const loaded = fixtureSession();
    expect(loaded.problems).toEqual([]);
    const md = exportMarkdown(loaded);
    if (process.env.UPDATE_EXPECTED === '1') writeFileSync(path.join(FIXTURE_DIR, 'conversation.md'), md);
    expect(md).toBe(readFileSync(path.join(FIXTURE_DIR, 'conversation.md'), 'utf8'));
  });

  it('--format json holds every message in its final state and the totals', () => {
    const loaded = fixtureSession();
    const doc = JSON.parse(exportJson(loaded)) as Record<string, unknown>;
    expect(doc).toMatchObject({
      format: 'inkwell-session',
      version: FORMAT_VERSION,
      id: 'k7qx2mfa',
      title: 'Pelican names & other tests',
      model: 'claude-sonnet-4-5',
      damaged: false,
      problems: [],
    });
    expect(doc.messages).toEqual(JSON.parse(JSON.stringify(loaded.messages)));
    expect(doc.totals).toEqual(loaded.totals);
  });

  it('an export never contains the API key', () => {
    const loaded = fixtureSession();
    const key = 'sk-ant-api03-abcdef';
    loaded.messages.push({ role: 'notice', id: 'n9', level: 'error', text: `bad key ${key}`, createdAt: 1 });
    expect(exportMarkdown(loaded, { redactor: createRedactor([key]) })).not.toContain(key);
    expect(exportMarkdown(loaded, { redactor: createRedactor([key]) })).toContain('> ⚠ bad key [redacted]');
    expect(exportJson(loaded, { redactor: createRedactor([key]) })).not.toContain(key);
  });

  it('a damaged session says so at the top of the export', () => {
    const dir = tempDir();
    const raw = readFileSync(path.join(FIXTURE_DIR, 'conversation.jsonl'), 'utf8').split('\n');
    raw.splice(3, 1, '{garbage');
    writeFileSync(sessionPath(dir, 'k7qx2mfa'), raw.join('\n'));
    const md = exportMarkdown(loadSession(dir, 'k7qx2mfa'));
    expect(md).toContain('> ⚠ This session file is damaged; this is what could be read.');
  });
});
