import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toApiMessages, type ConversationState } from '../../src/domain/conversation.js';
import { loadSession, parseSession, SessionNotFoundError } from '../../src/sessions/load.js';
import { openSessionForWriting } from '../../src/sessions/open.js';
import { lockPath, sessionPath } from '../../src/sessions/paths.js';
import { createSession } from '../../src/sessions/store.js';
import { initialConversation, streamTurn, tempDir } from './helpers.js';

/** A closed session of three turns; returns its dir, id, the conversation and the file's bytes. */
function saved(): { dir: string; id: string; s: ConversationState; bytes: Buffer; file: string } {
  const dir = tempDir();
  const w = createSession(dir, { model: 'claude-sonnet-4-5' });
  let s = initialConversation();
  s = streamTurn(s, w, 1, '01-text-short-sonnet45.sse');
  s = streamTurn(s, w, 2, '06-thinking-budget-sonnet45.sse');
  s = streamTurn(s, w, 3, '02-text-medium-markdown-list-sonnet45.sse');
  w.close();
  return { dir, id: w.id, s, bytes: readFileSync(w.path), file: w.path };
}

/** Byte offsets of the starts of each line. */
function lineStarts(bytes: Buffer): number[] {
  const out = [0];
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 0x0a) out.push(i + 1);
  return out;
}

describe('loading a damaged session file', () => {
  it('a torn last line (cut at any offset) is skipped and reported; everything before it loads; the file is untouched', () => {
    const { dir, id, bytes, file } = saved();
    const starts = lineStarts(bytes);
    const lastStart = starts[starts.length - 1]!;
    const lastLength = bytes.length - lastStart;
    // Cut inside the final record (the last reply's final state), at several offsets.
    for (const cut of [1, 2, 15, Math.floor(lastLength / 2), lastLength - 3, lastLength - 2]) {
      const torn = bytes.subarray(0, lastStart + cut);
      writeFileSync(file, torn);
      const loaded = loadSession(dir, id);
      expect(loaded.damaged).toBe(false);
      expect(loaded.tail).toBe('torn');
      expect(loaded.problems).toEqual(['The last line of the file was cut short (inkwell stopped while saving it); it was skipped.']);
      // The final record is lost, but its checkpoints remain: the reply is there, interrupted.
      expect(loaded.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2', 'u3', 'a3']);
      expect(loaded.messages[5]).toMatchObject({ status: 'interrupted' });
      expect(readFileSync(file).equals(torn)).toBe(true);
    }
  });

  it('a file cut at every line boundary loads without problems up to there', () => {
    const { dir, id, bytes, file } = saved();
    for (const start of lineStarts(bytes).slice(1)) {
      writeFileSync(file, bytes.subarray(0, start));
      const loaded = loadSession(dir, id);
      expect(loaded.problems).toEqual([]);
      expect(loaded.damaged).toBe(false);
    }
  });

  it('a whole last record without its newline still counts', () => {
    const { dir, id, s, bytes, file } = saved();
    writeFileSync(file, bytes.subarray(0, bytes.length - 1));
    const loaded = loadSession(dir, id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.tail).toBe('unterminated');
    expect(loaded.messages).toEqual(s.messages);
  });

  it('a garbage line in the middle: the rest loads, the file is damaged and opens read-only, untouched', () => {
    const { dir, id, bytes, file } = saved();
    const starts = lineStarts(bytes);
    const at = starts[3]!;
    const damaged = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from('{"v":1,"k":"user","id":"zz","at":5,"mess\u0000age\n'),
      Buffer.from('not json at all\n'),
      bytes.subarray(at),
    ]);
    writeFileSync(file, damaged);
    const loaded = loadSession(dir, id);
    expect(loaded.damaged).toBe(true);
    expect(loaded.problems).toEqual(['Lines 4, 5 could not be read and were skipped.']);
    expect(loaded.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2', 'u3', 'a3']);
    expect(loaded.readOnlyReason).toMatch(/damaged/);
    const opened = openSessionForWriting(dir, id);
    expect(opened.writer).toBeNull();
    expect(opened.readOnly?.reason).toMatch(/damaged/);
    expect(readFileSync(file).equals(damaged)).toBe(true);
    // The lock was given back: nothing else holds it.
    const again = openSessionForWriting(dir, id);
    expect(again.readOnly?.reason).toMatch(/damaged/);
  });

  it('a record that is JSON but not a valid record is skipped as damage', () => {
    const { dir, id, bytes, file } = saved();
    writeFileSync(file, Buffer.concat([bytes, Buffer.from('{"v":1,"k":"user","id":"x","at":1,"message":{"role":"user"}}\n')]));
    const loaded = loadSession(dir, id);
    expect(loaded.damaged).toBe(true);
    expect(loaded.problems[0]).toMatch(/^Line \d+ could not be read/);
    expect(loaded.messages).toHaveLength(6);
  });

  it('records of a newer format: damaged, read-only, and the readable part opens', () => {
    const { dir, id, s, bytes, file } = saved();
    const newer = Buffer.concat([
      bytes,
      Buffer.from('{"v":3,"k":"reaction","id":"a3","at":99,"emoji":"👍"}\n'),
      Buffer.from(`{"v":3,"k":"user","id":"u4","at":100,"message":{"role":"user","id":"u4","text":"from the future","createdAt":100}}\n`),
    ]);
    writeFileSync(file, newer);
    const loaded = loadSession(dir, id);
    expect(loaded.damaged).toBe(true);
    expect(loaded.problems).toEqual([
      'This session was saved by a newer version of inkwell (format 3; this one reads format 2). 1 record it cannot read was skipped.',
    ]);
    expect(loaded.messages.slice(0, 6)).toEqual(s.messages);
    expect(loaded.messages[6]).toMatchObject({ id: 'u4', text: 'from the future' });
    const opened = openSessionForWriting(dir, id);
    expect(opened.writer).toBeNull();
    expect(opened.readOnly?.reason).toMatch(/newer version/);
    expect(readFileSync(file).equals(newer)).toBe(true);
  });

  it('a missing header: damaged, the messages still load, the model is guessed from a reply', () => {
    const { dir, id, s, bytes, file } = saved();
    writeFileSync(file, bytes.subarray(lineStarts(bytes)[1]!));
    const loaded = loadSession(dir, id);
    expect(loaded.damaged).toBe(true);
    expect(loaded.problems).toEqual(['The session header is missing; the model and creation time shown are guesses.']);
    expect(loaded.messages).toEqual(s.messages);
    expect(loaded.header).toMatchObject({ id, model: (s.messages[1] as { model: string }).model, system: null });
    expect(loaded.title).toMatch(/^Prompt number 1/);
  });

  it('an empty file is damaged, not fatal', () => {
    const dir = tempDir();
    writeFileSync(sessionPath(dir, 'empty123'), '');
    const loaded = loadSession(dir, 'empty123');
    expect(loaded).toMatchObject({ damaged: true, messages: [], problems: ['The file is empty.'], tail: 'empty' });
  });

  it('an empty file opened to continue is an empty session, not read-only: the file goes and the next prompt starts a new one', () => {
    const dir = tempDir();
    writeFileSync(sessionPath(dir, 'empty123'), '');
    const opened = openSessionForWriting(dir, 'empty123');
    expect(opened.readOnly).toBeNull();
    expect(opened.fresh).toBe(true);
    expect(opened.loaded).toMatchObject({ messages: [], problems: [], damaged: false, readOnlyReason: null });
    expect(existsSync(sessionPath(dir, 'empty123'))).toBe(false);
    expect(existsSync(lockPath(dir, 'empty123'))).toBe(false);
  });

  it('a session that does not exist throws SessionNotFoundError; an unsafe id is refused', () => {
    const dir = tempDir();
    expect(() => loadSession(dir, 'nosuch22')).toThrow(SessionNotFoundError);
    expect(() => loadSession(dir, '../etc/passwd')).toThrow(/not a session id/);
  });
});

describe('resuming after a crash', () => {
  it('a torn tail gets a newline and a torn marker; older bytes are never changed; later loads are clean', () => {
    const { dir, id, s, bytes, file } = saved();
    const starts = lineStarts(bytes);
    const torn = bytes.subarray(0, starts[starts.length - 1]! + 30);
    writeFileSync(file, torn);
    const opened = openSessionForWriting(dir, id);
    expect(opened.readOnly).toBeNull();
    expect(opened.loaded.problems).toHaveLength(1);
    const w = opened.writer!;
    const s2 = streamTurn({ ...s, messages: opened.loaded.messages }, w, 4, '01-text-short-sonnet45.sse');
    w.close();
    const after = readFileSync(file);
    expect(after.subarray(0, torn.length).equals(torn)).toBe(true);
    const loaded = loadSession(dir, id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.damaged).toBe(false);
    expect(loaded.messages).toEqual(s2.messages);
  });

  it('an unterminated last record gets just its newline', () => {
    const { dir, id, s, bytes, file } = saved();
    writeFileSync(file, bytes.subarray(0, bytes.length - 1));
    const w = openSessionForWriting(dir, id).writer!;
    const s2 = streamTurn(s, w, 4, '01-text-short-sonnet45.sse');
    w.close();
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('"k":"torn"');
    expect(loadSession(dir, id)).toMatchObject({ problems: [], messages: s2.messages });
  });

  it('resume keeps the title and continues the same file', () => {
    const { dir, id, s } = saved();
    const opened = openSessionForWriting(dir, id);
    expect(opened.writer!.title).toBe(opened.loaded.title);
    const s2 = streamTurn(s, opened.writer, 4, '01-text-short-sonnet45.sse');
    opened.writer!.close();
    expect(loadSession(dir, id).messages).toEqual(s2.messages);
    expect(loadSession(dir, id).totals).toEqual(s2.totals);
  });
});

describe('the file bytes after loading', () => {
  it('are freed at once, the loaded messages intact, and a small file that shares Node’s buffer pool is left alone', () => {
    const { dir, id, s, file, bytes } = saved();
    // A big file: its own backing store, freed after loading (the messages are copies).
    const big = Buffer.concat([bytes, Buffer.from('\n'.repeat(8192))]);
    writeFileSync(file, big);
    const loaded = loadSession(dir, id);
    expect(loaded.messages.map((m) => m.id)).toEqual(s.messages.map((m) => m.id));
    expect(JSON.stringify(loaded.messages)).toContain('pelican');
    // A small file is read into Node's shared pool: other buffers from it must keep working.
    const neighbour = Buffer.from('a neighbour in the pool');
    const first = bytes.subarray(0, bytes.indexOf(0x0a) + 1);
    writeFileSync(file, first);
    expect(first.length).toBeLessThan(4096);
    loadSession(dir, id);
    expect(neighbour.toString()).toBe('a neighbour in the pool');
  });
});

describe('prompts that got no reply', () => {
  it('a prompt followed by another prompt with no reply between (a file from before the unsent mark) loads unsent', () => {
    const lines = [
      { v: 2, k: 'session', id: 's1', at: 1, created: new Date(1).toISOString(), model: 'm', system: null, title: null },
      { v: 2, k: 'user', id: 'u1', at: 2, message: { role: 'user', id: 'u1', text: 'failed one', createdAt: 2 } },
      { v: 2, k: 'notice', id: 'n1', at: 3, message: { role: 'notice', id: 'n1', level: 'error', text: '500', createdAt: 3 } },
      { v: 2, k: 'user', id: 'u2', at: 4, message: { role: 'user', id: 'u2', text: 'next one', createdAt: 4 } },
    ];
    const loaded = parseSession(lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 's1', 'f');
    expect(loaded.messages.map((m) => (m.role === 'user' ? [m.text, m.unsent === true] : m.role))).toEqual([
      ['failed one', true],
      'notice',
      ['next one', false],
    ]);
    expect(toApiMessages(loaded.messages)).toEqual([{ role: 'user', content: 'next one' }]);
  });
});
