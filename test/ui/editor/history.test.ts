import { createRedactor } from '../../../src/domain/redact.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendHistory,
  HISTORY_LIMIT,
  historyAfterSubmit,
  historyCursor,
  historyNext,
  historyPrev,
  loadHistory,
  parseHistory,
  pushHistoryEntry,
} from '../../../src/ui/editor/history.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-history-test-'));
  dirs.push(dir);
  return path.join(dir, 'sub', 'history.jsonl');
};
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('history list', () => {
  it('ignores blank entries and a repeat of the newest; keeps earlier repeats', () => {
    let h = pushHistoryEntry([], 'a');
    h = pushHistoryEntry(h, 'a');
    h = pushHistoryEntry(h, '   ');
    h = pushHistoryEntry(h, 'b');
    h = pushHistoryEntry(h, 'a');
    expect(h).toEqual(['a', 'b', 'a']);
  });

  it('keeps only the newest entries over the limit', () => {
    let h: readonly string[] = [];
    for (let i = 0; i < 5; i++) h = pushHistoryEntry(h, `p${i}`, 3);
    expect(h).toEqual(['p2', 'p3', 'p4']);
  });
});

describe('history file', () => {
  it('a missing file is an empty history', () => {
    expect(loadHistory(tempFile())).toEqual([]);
  });

  it('appends newest last, keeps multi-line prompts whole, and reads them back', () => {
    const file = tempFile();
    expect(appendHistory(file, 'first')).toEqual({ ok: true });
    expect(appendHistory(file, 'two\nlines')).toEqual({ ok: true });
    appendHistory(file, 'two\nlines');
    expect(fs.readFileSync(file, 'utf8')).toBe('"first"\n"two\\nlines"\n');
    expect(loadHistory(file)).toEqual(['first', 'two\nlines']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a credential typed into a prompt is written as [redacted], as in the session file', () => {
    const file = tempFile();
    const key = 'sk-ant-api03-historyKEY-0123456789abcdef';
    expect(appendHistory(file, `my key is ${key}, keep it`, createRedactor([key]))).toEqual({ ok: true });
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).not.toContain(key);
    expect(loadHistory(file)).toEqual(['my key is [redacted], keep it']);
  });

  it('caps the file at the newest HISTORY_LIMIT entries', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Array.from({ length: HISTORY_LIMIT }, (_, i) => JSON.stringify(`old ${i}`)).join('\n'));
    appendHistory(file, 'new');
    const h = loadHistory(file);
    expect(h.length).toBe(HISTORY_LIMIT);
    expect(h[0]).toBe('old 1');
    expect(h.at(-1)).toBe('new');
  });

  it('a damaged file never throws: lines that do not parse are skipped, garbage gives nothing', () => {
    expect(parseHistory('"ok"\n{not json\n42\n"half')).toEqual(['ok']);
    expect(parseHistory('\u0000\u0001 binary garbage')).toEqual([]);
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '"kept"\n{"broken":');
    appendHistory(file, 'added');
    expect(loadHistory(file)).toEqual(['kept', 'added']);
  });

  it('a file that cannot be written reports the error in words instead of throwing', () => {
    const file = tempFile();
    fs.mkdirSync(file, { recursive: true }); // a directory where the file should be
    const r = appendHistory(file, 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('Could not save the prompt history');
    expect(loadHistory(file)).toEqual([]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['history.jsonl']); // no temporary file left behind
  });
});

describe('history navigator', () => {
  it('Up walks back from the newest, Down walks forward and returns the draft', () => {
    let c = historyCursor(['one', 'two', 'three']);
    const steps: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = historyPrev(c, i === 0 ? 'my draft' : 'ignored')!;
      c = r.cursor;
      steps.push(r.text);
    }
    expect(steps).toEqual(['three', 'two', 'one']);
    expect(historyPrev(c, 'one')).toBeNull();
    const back: string[] = [];
    for (let r = historyNext(c); r; r = historyNext(c)) {
      c = r.cursor;
      back.push(r.text);
    }
    expect(back).toEqual(['two', 'three', 'my draft']);
  });

  it('with no history Up does nothing and Down at the draft does nothing', () => {
    expect(historyPrev(historyCursor([]), 'x')).toBeNull();
    expect(historyNext(historyCursor(['a']))).toBeNull();
  });

  it('after a submit the entry is newest and the walk starts again from an empty draft', () => {
    let c = historyPrev(historyCursor(['a', 'b']), 'draft')!.cursor;
    c = historyAfterSubmit(c, 'c');
    expect(c).toEqual({ entries: ['a', 'b', 'c'], index: 3, draft: '' });
    expect(historyPrev(c, '')!.text).toBe('c');
  });
});
