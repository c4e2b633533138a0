import { readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTextBlock } from '../../src/domain/wire.js';
import { addUsage, ZERO_USAGE } from '../../src/domain/usage.js';
import type { AssistantMessage, Usage } from '../../src/domain/types.js';
import { loadSession, parseSession, STOPPED_MID_REPLY } from '../../src/sessions/load.js';
import { openSessionForWriting } from '../../src/sessions/open.js';
import { createSession, nodeWriterFs, type WriterFs, type WriterStatus } from '../../src/sessions/store.js';
import { isSessionId } from '../../src/sessions/ids.js';
import { FORMAT_VERSION } from '../../src/sessions/schema.js';
import { createRedactor } from '../../src/sessions/redact.js';
import { initialConversation, reply, streamTurn, tempDir } from './helpers.js';

const FIXTURES = [
  '01-text-short-sonnet45.sse',
  '06-thinking-budget-sonnet45.sse',
  '11-tool-use-parallel-sonnet4.sse',
  '02-text-medium-markdown-list-sonnet45.sse',
  '04-max-tokens-cache-write-sonnet46.sse',
];

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a conversation saved as it happens', () => {
  it('comes back exactly as it was, with the usage totals of the replies', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'claude-sonnet-4-5', system: 'Be brief.' });
    expect(isSessionId(w.id)).toBe(true);
    let s = initialConversation();
    FIXTURES.forEach((f, i) => {
      s = streamTurn(s, w, i + 1, f);
    });
    s = streamTurn(s, w, 9, '03-text-long-markdown-compaction-opus46.sse', { abortAfter: 12 });
    expect(w.close()).toEqual({ ok: true });

    const loaded = loadSession(dir, w.id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.damaged).toBe(false);
    expect(loaded.messages).toEqual(s.messages);
    expect(loaded.totals).toEqual(s.totals);
    expect(loaded.lastUsage).toEqual(s.lastUsage);
    const sum = s.messages
      .filter((m): m is AssistantMessage => m.role === 'assistant' && m.status === 'complete')
      .reduce<Usage>((u, m) => addUsage(u, m.usage), { ...ZERO_USAGE });
    expect(loaded.totals).toEqual(sum);
    expect(loaded.header).toMatchObject({ id: w.id, model: 'claude-sonnet-4-5', system: 'Be brief.', title: null });
    expect(loaded.title).toBe('Prompt number 1: tell me about 01-text-short-sonnet45.sse');
    expect(reply(loaded, 'a9')).toMatchObject({ status: 'interrupted', interruption: { reason: 'you pressed Esc' } });
  });

  it('writes one JSON record per line, header first, with the format version on every record', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm', title: '  My   title ' });
    streamTurn(initialConversation(), w, 1, '01-text-short-sonnet45.sse');
    w.close();
    const recs = lines(w.path);
    expect(recs[0]).toMatchObject({ v: FORMAT_VERSION, k: 'session', id: w.id, model: 'm', system: null, title: 'My title' });
    expect(recs.every((r) => r.v === FORMAT_VERSION && typeof r.at === 'number')).toBe(true);
    expect(recs.map((r) => r.k)).toContain('checkpoint');
    expect(recs[recs.length - 1]).toMatchObject({ k: 'assistant', id: 'a1' });
    expect(loadSession(dir, w.id).title).toBe('My title');
  });

  it('a final record supersedes the checkpoints of its reply', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0 });
    const s = streamTurn(initialConversation(), w, 1, '06-thinking-budget-sonnet45.sse');
    w.close();
    const kinds = lines(w.path).map((r) => r.k);
    expect(kinds.filter((k) => k === 'checkpoint').length).toBeGreaterThan(5);
    const loaded = loadSession(dir, w.id);
    expect(loaded.messages).toHaveLength(2);
    expect(reply(loaded, 'a1')).toEqual(reply(s, 'a1'));
    expect(reply(loaded, 'a1').status).toBe('complete');
  });

  it('every checkpoint, replayed, is exactly the reply as it stood on screen', () => {
    for (const fixture of FIXTURES) {
      const dir = tempDir();
      const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0 });
      const events = fixture === FIXTURES[2] ? 40 : 25;
      for (let cut = 1; cut <= events; cut += 3) {
        // Each cut is a crash after `cut` events of a fresh turn in the same file.
        const s = streamTurn(initialConversation(), null, cut, fixture, { stopAfter: cut });
        const live = reply(s, `a${cut}`);
        // Replay the same frames into the writer.
        let t = streamTurn(initialConversation(), null, cut, fixture, { stopAfter: 0 });
        w.appendUser(t.messages[0] as never);
        for (let i = 1; i <= cut; i++) {
          t = streamTurn(initialConversation(), null, cut, fixture, { stopAfter: i });
          w.checkpoint(reply(t, `a${cut}`));
        }
        const loaded = parseSession(readFileSync(w.path, 'utf8'), w.id, w.path);
        if (live.content.length === 0) {
          expect(loaded.messages.some((m) => m.id === `a${cut}`)).toBe(false);
          continue;
        }
        const back = reply(loaded, `a${cut}`);
        expect(back.content).toEqual(live.content);
        expect(back.usage).toEqual(live.usage);
      }
      w.close();
    }
  });

  it('a crash mid-stream leaves the partial reply, which comes back interrupted', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0 });
    let s = streamTurn(initialConversation(), w, 1, '01-text-short-sonnet45.sse');
    s = streamTurn(s, w, 2, '02-text-medium-markdown-list-sonnet45.sse', { stopAfter: 20 });
    // No close(): the process is gone. Only the checkpoints of a2 are on disk.
    const loaded = loadSession(dir, w.id);
    const live = reply(s, 'a2');
    const back = reply(loaded, 'a2');
    expect(live.status).toBe('streaming');
    expect(back.status).toBe('interrupted');
    expect(back.interruption).toEqual({ reason: STOPPED_MID_REPLY });
    expect(back.content).toEqual(live.content);
    const first = back.content[0];
    expect(first && isTextBlock(first) && first.text.length).toBeGreaterThan(10);
    expect(loaded.damaged).toBe(false);
    // The estimate of a reply that never finished is not counted.
    expect(loaded.totals).toEqual(reply(s, 'a1').usage);
    w.close();
  });

  it('checkpoints are throttled to one a second except at block boundaries, and a held one is written later', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' });
    const base: AssistantMessage = {
      role: 'assistant',
      id: 'a1',
      model: 'm',
      content: [{ type: 'text', text: 'H', citations: [] }],
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
    const text = (t: string, extra: AssistantMessage['content'] = []): AssistantMessage => ({
      ...base,
      content: [{ type: 'text', text: t, citations: [] }, ...extra],
    });
    const count = (): number => lines(w.path).filter((r) => r.k === 'checkpoint').length;
    w.checkpoint(text('H')); // first state: written at once
    expect(count()).toBe(1);
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(10);
      w.checkpoint(text('H' + 'i'.repeat(i + 1)));
    }
    expect(count()).toBe(1); // 500 ms of frames: held back
    w.checkpoint(text('Hi!', [{ type: 'text', text: 'second', citations: [] }])); // a new block: at once
    expect(count()).toBe(2);
    w.checkpoint(text('Hi!', [{ type: 'text', text: 'second block grows', citations: [] }]));
    expect(count()).toBe(2);
    vi.advanceTimersByTime(1000); // the held state is written when the second is up
    expect(count()).toBe(3);
    const back = reply(loadSession(dir, w.id), 'a1');
    expect(back.content).toEqual(text('Hi!', [{ type: 'text', text: 'second block grows', citations: [] }]).content);
    w.close();
  });

  it('a checkpoint adds only the new characters of a growing block, not the whole reply again', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' }, { checkpointIntervalMs: 0 });
    streamTurn(initialConversation(), w, 1, '03-text-long-markdown-compaction-opus46.sse', { stopAfter: 400 });
    const recs = lines(w.path).filter((r) => r.k === 'checkpoint');
    expect(recs.length).toBeGreaterThan(100);
    const size = readFileSync(w.path).length;
    const finalText = JSON.stringify(reply(loadSession(dir, w.id), 'a1').content).length;
    // Linear, not quadratic: the checkpoints cost a small multiple of the text, plus metadata.
    expect(size).toBeLessThan(finalText * 2 + recs.length * 700);
    w.close();
  });

  it('never writes a secret: the API key is redacted wherever it appears', () => {
    const dir = tempDir();
    const key = 'sk-ant-api03-SECRET"quote\\back';
    const w = createSession(dir, { model: 'm', system: `use ${key}` }, { redactor: createRedactor([key, '']) });
    w.appendUser({ role: 'user', id: 'u1', text: `my key is ${key}!`, createdAt: 1 });
    w.appendNotice({ role: 'notice', id: 'n1', level: 'error', text: `401 for ${key}`, createdAt: 2 });
    w.rename(`title ${key}`);
    w.close();
    const raw = readFileSync(w.path, 'utf8');
    expect(raw).not.toContain('sk-ant-api03-SECRET');
    const loaded = loadSession(dir, w.id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.messages[0]).toMatchObject({ text: 'my key is [redacted]!' });
    expect(loaded.header.system).toBe('use [redacted]');
    expect(loaded.title).toBe('title [redacted]');
  });

  it('rename appends a title record and never rewrites the file', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' });
    streamTurn(initialConversation(), w, 1, '01-text-short-sonnet45.sse');
    const before = readFileSync(w.path);
    expect(w.rename('   ')).toBe(false);
    expect(w.rename('Renamed  chat')).toBe(true);
    expect(w.title).toBe('Renamed chat');
    w.close();
    const after = readFileSync(w.path);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(loadSession(dir, w.id).title).toBe('Renamed chat');
  });
});

/** A file system whose writes fail with `code` while `broken` is true, optionally after some bytes. */
function flakyFs(code: string, partialBytes = 0) {
  const state = { broken: false, partialBytes, failures: 0 };
  const fs: WriterFs = {
    ...nodeWriterFs,
    write(fd, data) {
      if (!state.broken) return nodeWriterFs.write(fd, data);
      state.failures++;
      if (state.partialBytes > 0 && data.length > state.partialBytes) {
        const n = nodeWriterFs.write(fd, data.subarray(0, state.partialBytes));
        state.partialBytes = 0;
        return n;
      }
      throw Object.assign(new Error(`${code}: simulated`), { code });
    },
  };
  return { fs, state };
}

describe('saving when the disk misbehaves', () => {
  it('a full disk: nothing thrown, a warning, records kept in order and written when there is room', () => {
    const dir = tempDir();
    const { fs, state } = flakyFs('ENOSPC');
    const w = createSession(dir, { model: 'm' }, { fs, checkpointIntervalMs: 0 });
    const seen: WriterStatus[] = [];
    w.onStatus((st) => seen.push(st));
    let s = streamTurn(initialConversation(), w, 1, '01-text-short-sonnet45.sse');
    state.broken = true;
    expect(() => {
      s = streamTurn(s, w, 2, '06-thinking-budget-sonnet45.sse');
    }).not.toThrow();
    expect(w.status.ok).toBe(false);
    if (!w.status.ok) {
      expect(w.status.problem).toMatch(/disk is full/);
      expect(w.status.unsaved).toBeGreaterThan(0);
    }
    expect(seen[0]?.ok).toBe(false);
    // What is on disk now is the first turn only, and it loads cleanly.
    expect(loadSession(dir, w.id).messages).toHaveLength(2);
    state.broken = false;
    s = streamTurn(s, w, 3, '01-text-short-sonnet45.sse');
    expect(w.status).toEqual({ ok: true });
    expect(seen[seen.length - 1]).toEqual({ ok: true });
    w.close();
    const loaded = loadSession(dir, w.id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.messages).toEqual(s.messages);
    // While failing, checkpoints were not piled up: at most one per reply waited in memory.
    const kinds = lines(w.path).map((r) => `${r.k}:${String(r.id)}`);
    expect(kinds.filter((k) => k === 'checkpoint:a2').length).toBeLessThanOrEqual(1);
  });

  it('a write cut short mid-line is marked torn and the record written again; the file loads clean', () => {
    for (const partial of [1, 7, 40, 95]) {
      const dir = tempDir();
      const { fs, state } = flakyFs('ENOSPC', partial);
      const w = createSession(dir, { model: 'm' }, { fs, checkpointIntervalMs: 0 });
      let s = streamTurn(initialConversation(), w, 1, '01-text-short-sonnet45.sse');
      state.broken = true;
      s = streamTurn(s, w, 2, '01-text-short-sonnet45.sse');
      expect(w.status.ok).toBe(false);
      // The file now ends with a cut-short line: a crash here would load the first turn.
      const mid = loadSession(dir, w.id);
      expect(mid.messages).toHaveLength(2);
      expect(mid.tail).toBe('torn');
      state.broken = false;
      expect(w.flush()).toEqual({ ok: true });
      w.close();
      const loaded = loadSession(dir, w.id);
      expect(loaded.problems).toEqual([]);
      expect(loaded.damaged).toBe(false);
      expect(loaded.messages).toEqual(s.messages);
      expect(readFileSync(w.path, 'utf8')).toContain('"k":"torn"');
    }
  });

  it('a write cut just before its newline counts as written, with no torn marker', () => {
    const dir = tempDir();
    const w0 = createSession(dir, { model: 'm' });
    w0.close();
    const user = { role: 'user' as const, id: 'u1', text: 'hello', createdAt: 5 };
    const lineLength = Buffer.byteLength(JSON.stringify({ v: FORMAT_VERSION, k: 'user', id: 'u1', at: 7, message: user })) + 1;
    const { fs, state } = flakyFs('ENOSPC', lineLength - 1);
    const opened = openSessionForWriting(dir, w0.id, { fs, now: () => 7 });
    state.broken = true;
    opened.writer!.appendUser(user);
    state.broken = false;
    opened.writer!.appendNotice({ role: 'notice', id: 'n1', level: 'info', text: 'after', createdAt: 8 });
    opened.writer!.close();
    const raw = readFileSync(opened.loaded.path, 'utf8');
    expect(raw).not.toContain('torn');
    expect(raw.match(/"k":"user"/g)).toHaveLength(1);
    expect(loadSession(dir, w0.id).messages.map((m) => m.id)).toEqual(['u1', 'n1']);
  });

  it('a sessions folder that is not a folder: the session goes on in memory and is saved once it can be', () => {
    const root = tempDir();
    const dir = path.join(root, 'sessions');
    writeFileSync(dir, 'not a directory'); // works even as root, unlike chmod
    const w = createSession(dir, { model: 'm' });
    expect(w.status.ok).toBe(false);
    if (!w.status.ok) expect(w.status.problem).toMatch(/missing or is not a folder/);
    let s = initialConversation();
    expect(() => {
      s = streamTurn(s, w, 1, '01-text-short-sonnet45.sse');
    }).not.toThrow();
    rmSync(dir);
    s = streamTurn(s, w, 2, '01-text-short-sonnet45.sse');
    expect(w.status).toEqual({ ok: true });
    w.close();
    const loaded = loadSession(dir, w.id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.messages).toEqual(s.messages);
  });

  it('/dev/full (a real ENOSPC from the kernel) reports the full disk without throwing', () => {
    if (!existsSync('/dev/full')) return;
    const dir = tempDir();
    const fs: WriterFs = { ...nodeWriterFs, open: (_file, _flags) => nodeWriterFs.open('/dev/full', 'a') };
    const w = createSession(dir, { model: 'm' }, { fs });
    w.appendUser({ role: 'user', id: 'u1', text: 'hi', createdAt: 1 });
    expect(w.status.ok).toBe(false);
    if (!w.status.ok) {
      expect(w.status.problem).toMatch(/disk is full/);
      expect(w.status.unsaved).toBe(2);
    }
    w.close();
  });

  it('saving resumes on its own a few seconds after the disk has room again, without a new append', () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const dir = tempDir();
    const { fs, state } = flakyFs('ENOSPC');
    state.broken = true;
    const w = createSession(dir, { model: 'm' }, { fs });
    w.appendUser({ role: 'user', id: 'u1', text: 'hello', createdAt: 1 });
    expect(w.status).toMatchObject({ ok: false, unsaved: 2 });
    vi.advanceTimersByTime(5000);
    expect(w.status.ok).toBe(false); // still full: tried again, still waiting
    state.broken = false;
    vi.advanceTimersByTime(5000);
    expect(w.status).toEqual({ ok: true });
    expect(loadSession(dir, w.id).messages).toHaveLength(1);
    w.close();
  });

  it('an fsync failure is reported and retried', () => {
    const dir = tempDir();
    let failSync = true;
    const fs: WriterFs = {
      ...nodeWriterFs,
      fsync: (fd) => {
        if (failSync) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        nodeWriterFs.fsync(fd);
      },
    };
    const w = createSession(dir, { model: 'm' }, { fs });
    expect(w.status.ok).toBe(false);
    if (!w.status.ok) expect(w.status.problem).toMatch(/disk reported an error/);
    failSync = false;
    w.appendUser({ role: 'user', id: 'u1', text: 'hi', createdAt: 1 });
    expect(w.status).toEqual({ ok: true });
    w.close();
    expect(loadSession(dir, w.id).messages).toHaveLength(1);
  });

  it('nothing after close is written, and close is idempotent', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'm' });
    w.close();
    const size = readFileSync(w.path).length;
    w.appendUser({ role: 'user', id: 'u1', text: 'late', createdAt: 1 });
    expect(w.close()).toEqual({ ok: true });
    expect(readFileSync(w.path).length).toBe(size);
  });
});
