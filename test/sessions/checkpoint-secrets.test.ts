/**
 * A reply that echoes the API key while it streams slowly: each checkpoint record holds only the
 * characters added since the last one, and each record is redacted on its own, so the writer must
 * never cut the key between two records (sessions/delta.ts holdBackSecrets, domain/redact.ts
 * safePrefix).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/domain/redact.js';
import type { AssistantMessage } from '../../src/domain/types.js';
import { ZERO_USAGE } from '../../src/domain/usage.js';
import { isTextBlock } from '../../src/domain/wire.js';
import { loadSession, parseSession } from '../../src/sessions/load.js';
import { createSession } from '../../src/sessions/store.js';
import { reply, tempDir } from './helpers.js';

const KEY = 'sk-ant-api03-Zq7XW1checkpointSECRET-abcdefghij0123456789';
const SHORT = 'tok-12345';

function streaming(blocks: string[]): AssistantMessage {
  return {
    role: 'assistant',
    id: 'a1',
    model: 'm',
    content: blocks.map((text) => ({ type: 'text' as const, text, citations: [] })),
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: { ...ZERO_USAGE },
    usageFinal: false,
    status: 'streaming',
    interruption: null,
    requestId: null,
    apiId: null,
    startedAt: 1,
    firstTokenAt: 1,
    endedAt: null,
  };
}

/** Every prefix of `text` in steps of `step` code units, as the frames of a slow stream. */
function frames(text: string, step: number): string[] {
  const out: string[] = [];
  for (let n = step; n < text.length + step; n += step) out.push(text.slice(0, Math.min(n, text.length)));
  return out;
}

/** The text the records on disk add up to, each record as written (redacted on its own). */
function textOnDisk(file: string): string {
  const loaded = parseSession(readFileSync(file, 'utf8'), 'x', file);
  const m = loaded.messages.find((x) => x.role === 'assistant') as AssistantMessage | undefined;
  return (m?.content ?? []).map((b) => (b.type === 'text' ? b.text : '')).join('|');
}

describe('checkpoints never split a secret between records', () => {
  for (const step of [1, 3, 7, 20]) {
    it(`a reply echoing the key ${step} character(s) per frame: no record, nor their sum, holds it`, () => {
      const dir = tempDir();
      const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0, redactor: createRedactor([KEY, SHORT]) });
      const full = `Your key is ${KEY} and ${SHORT}, and again: ${KEY}${KEY}. Done.`;
      for (const f of frames(full, step)) w.checkpoint(streaming([f]));
      // The process dies here: only checkpoints are on disk.
      const raw = readFileSync(w.path, 'utf8');
      expect(raw).not.toContain(KEY);
      const onDisk = textOnDisk(w.path);
      expect(onDisk).not.toContain(KEY);
      expect(onDisk).not.toContain(SHORT);
      expect(onDisk).toContain('[redacted]');
      // What is held back is at most the longest secret's length, less one.
      expect(onDisk.replaceAll('[redacted]', '')).toBe(
        `Your key is  and , and again: . Done.`.slice(0, onDisk.replaceAll('[redacted]', '').length),
      );
      w.close();
    });
  }

  it('a finished block is written whole; the streaming one holds back only a tail shorter than the key', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0, redactor: createRedactor([KEY]) });
    const first = `First block ends with the key ${KEY}`;
    for (const f of frames(first, 5)) w.checkpoint(streaming([f]));
    const second = 'Second block, plain text that is long enough to be written mostly right away.';
    for (const f of frames(second, 5)) w.checkpoint(streaming([first, f]));
    const back = reply(loadSession(dir, w.id), 'a1');
    const texts: string[] = back.content.map((b) => (isTextBlock(b) ? b.text : ''));
    expect(texts[0]).toBe('First block ends with the key [redacted]');
    expect(second.startsWith(texts[1]!)).toBe(true);
    expect(second.length - texts[1]!.length).toBeLessThan(KEY.length);
    w.close();
  });

  it('with no secrets nothing is held back', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0 });
    for (const f of frames('plain reply', 2)) w.checkpoint(streaming([f]));
    expect(textOnDisk(w.path)).toBe('plain reply');
    w.close();
  });
});

describe('Redactor.safePrefix', () => {
  const r = createRedactor(['abcdef', 'xyz']);
  it('holds back the longest secret less one, and never cuts inside a secret', () => {
    expect(r.safePrefix('hello world')).toBe('hello world'.length - 5);
    expect(r.safePrefix('0123abcdef45')).toBe(4); // the candidate cut (7) falls inside "abcdef"
    expect(r.safePrefix('0123abcdef456789')).toBe(11);
    expect(r.safePrefix('abc', 0)).toBe(0);
    expect(r.safePrefix('hello world', 8)).toBe(8); // never below what was written
    expect(createRedactor([]).safePrefix('anything')).toBe(8);
  });
});
