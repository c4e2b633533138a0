import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssistantMessage } from '../../src/domain/types.js';
import { listSessions } from '../../src/sessions/list.js';
import { loadSession } from '../../src/sessions/load.js';
import { LIST_CACHE_NAME } from '../../src/sessions/paths.js';
import { createSession, nodeWriterFs, type SessionWriter, type WriterFs } from '../../src/sessions/store.js';
import { tempDir } from './helpers.js';

/** Benchmark figures only: printed, never asserted (the machine's speed is not the code's). */

const noFsync: WriterFs = { ...nodeWriterFs, fsync: () => {} };

const PARAGRAPH =
  'The pelican is a large water bird with a distinctive pouch under its beak. It catches fish by scooping them up, then drains the water before swallowing. ';

/** `turns` prompts and replies; each reply streamed with three checkpoints, then saved whole. */
function writeTurns(w: SessionWriter, turns: number, t0: number): void {
  for (let n = 0; n < turns; n++) {
    const at = t0 + n * 1000;
    w.appendUser({ role: 'user', id: `u${n}`, text: `Question ${n}: tell me about pelicans, part ${n}.`, createdAt: at });
    let m: AssistantMessage = {
      role: 'assistant', id: `a${n}`, model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null,
      stop_details: null, usage: { input_tokens: 100 + n, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      usageFinal: false, status: 'streaming', interruption: null, requestId: `req_${n}`, apiId: `msg_${n}`,
      startedAt: at, firstTokenAt: at + 1, endedAt: null,
    };
    for (let k = 1; k <= 3; k++) {
      m = { ...m, content: [{ type: 'text', text: PARAGRAPH.repeat(k * 2), citations: [] }] };
      w.checkpoint(m, { boundary: true });
    }
    w.appendAssistant({ ...m, status: 'complete', stop_reason: 'end_turn', usage: { ...m.usage, output_tokens: 250 }, usageFinal: true, endedAt: at + 900 });
  }
}

/** Runs `f`; returns its result and a figure "wall ms (cpu ms)": on a busy machine the CPU time is the steadier one. */
function time<T>(f: () => T): [T, string] {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = f();
  const cpu = process.cpuUsage(c);
  return [r, `${(performance.now() - t).toFixed(0)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`];
}

describe('speed figures', () => {
  it('listing 1,000 sessions', () => {
    const dir = tempDir();
    for (let i = 0; i < 1000; i++) {
      const w = createSession(dir, { model: 'claude-sonnet-4-5' }, { fs: noFsync, now: () => 1_700_000_000_000 + i * 60_000 });
      writeTurns(w, 10, 1_700_000_000_000 + i * 60_000);
      w.close();
    }
    rmSync(path.join(dir, LIST_CACHE_NAME), { force: true });
    const [cold, coldMs] = time(() => listSessions(dir));
    const [warm, warmMs] = time(() => listSessions(dir));
    expect(cold).toHaveLength(1000);
    expect(warm).toEqual(cold);
    expect(cold[0]?.messageCount).toBe(20);
    console.log(`[speed] listSessions, 1,000 sessions of 20 messages: ${coldMs} cold (no cache), ${warmMs} warm`);
  }, 120_000);

  it('opening a 10,000-message session', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'claude-sonnet-4-5' }, { fs: noFsync });
    writeTurns(w, 5000, 1_700_000_000_000);
    w.close();
    const runs: string[] = [];
    let [loaded, first] = time(() => loadSession(dir, w.id));
    for (let i = 0; i < 3; i++) {
      const [l, ms] = time(() => loadSession(dir, w.id));
      loaded = l;
      runs.push(ms);
    }
    expect(loaded.messages).toHaveLength(10_000);
    expect(loaded.problems).toEqual([]);
    const [, listMs] = time(() => listSessions(dir));
    console.log(
      `[speed] loadSession, 10,000 messages (${(statSync(w.path).size / 1e6).toFixed(1)} MB file): ` +
        `first ${first}, then ${runs.join(' / ')}; listing that one session cold: ${listMs}`,
    );
  }, 120_000);
});
