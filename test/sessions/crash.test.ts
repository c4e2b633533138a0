import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AssistantMessage } from '../../src/domain/types.js';
import { lockHolder } from '../../src/sessions/lock.js';
import { loadSession, STOPPED_MID_REPLY } from '../../src/sessions/load.js';
import { openSessionForWriting } from '../../src/sessions/open.js';
import { sessionsBundle, tempDir } from './helpers.js';

/**
 * kill -9 for real: a separate node process runs the real writer (src/sessions bundled by esbuild)
 * streaming a reply of numbered words, with a new block every 40 words, checkpointing on every
 * frame; the test kills it with SIGKILL at a moment of its choosing and reads what is on disk.
 */
function childScript(bundle: string, dir: string): string {
  return `
    const { createSession } = await import(${JSON.stringify(bundle)});
    const w = createSession(${JSON.stringify(dir)}, { model: 'claude-test' }, { checkpointIntervalMs: 20 });
    w.appendUser({ role: 'user', id: 'u1', text: 'Count for me, forever.', createdAt: Date.now() });
    let m = {
      role: 'assistant', id: 'a1', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null,
      stop_details: null, usage: { input_tokens: 10, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      usageFinal: false, status: 'streaming', interruption: null, requestId: 'req_x', apiId: 'msg_x',
      startedAt: Date.now(), firstTokenAt: null, endedAt: null,
    };
    process.stdout.write(w.id + '\\n');
    let i = 0;
    setInterval(() => {
      for (let k = 0; k < 5; k++, i++) {
        const content = m.content.slice();
        if (i % 40 === 0) content.push({ type: 'text', text: '', citations: [] });
        const last = content[content.length - 1];
        content[content.length - 1] = { ...last, text: last.text + (last.text ? ' ' : '') + 'w' + i };
        m = { ...m, content, usage: { ...m.usage, output_tokens: i + 1 } };
      }
      w.checkpoint(m);
      if (i === 200) process.stdout.write('streaming\\n');
    }, 1);`;
}

/** The words the child had written by block: block b holds words 40b … 40b+39. */
function expectedBlockText(block: number, words: number): string {
  return Array.from({ length: words }, (_, k) => `w${block * 40 + k}`).join(' ');
}

async function runAndKill(bundle: string, dir: string, afterMs: number): Promise<{ id: string; pid: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(bundle, dir)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('streaming\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
  });
  await new Promise((r) => setTimeout(r, afterMs));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return { id: out.split('\n')[0]!, pid: child.pid! };
}

describe('kill -9 mid-stream', () => {
  it.each([0, 37, 150])('killed %i ms into the stream: the partial reply is on disk and comes back interrupted', async (afterMs) => {
    const bundle = await sessionsBundle();
    const dir = tempDir();
    const { id } = await runAndKill(bundle, dir, afterMs);
    const bytes = readFileSync(`${dir}/${id}.jsonl`);
    const loaded = loadSession(dir, id);
    expect(loaded.damaged).toBe(false);
    expect(loaded.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    const a1 = loaded.messages[1] as AssistantMessage;
    expect(a1.status).toBe('interrupted');
    expect(a1.interruption).toEqual({ reason: STOPPED_MID_REPLY });
    // Every block is exactly the words streamed into it, in order, nothing invented or garbled.
    const words = a1.usage.output_tokens;
    expect(words).toBeGreaterThanOrEqual(160); // the block boundary at word 160 was written at once
    a1.content.forEach((b, block) => {
      const n = Math.min(40, words - block * 40);
      expect(b).toEqual({ type: 'text', text: expectedBlockText(block, n), citations: [] });
    });
    expect(a1.content.length).toBe(Math.ceil(words / 40));
    // Loading changed nothing.
    expect(readFileSync(`${dir}/${id}.jsonl`).equals(bytes)).toBe(true);

    // The dead window's lock is stale: resuming takes it over and appends after the crash.
    expect(lockHolder(dir, id)).toBeNull();
    const opened = openSessionForWriting(dir, id);
    expect(opened.readOnly).toBeNull();
    opened.writer!.appendNotice({ role: 'notice', id: 'n1', level: 'info', text: 'Resumed.', createdAt: 1 });
    expect(opened.writer!.close()).toEqual({ ok: true });
    const again = loadSession(dir, id);
    expect(again.problems).toEqual([]);
    expect(again.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'n1']);
  });
});
