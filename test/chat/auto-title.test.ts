import { appendFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TitleRequester } from '../../src/chat/auto-title.js';
import { SessionRecorder } from '../../src/chat/recorder.js';
import { NO_SECRETS } from '../../src/sessions/redact.js';
import { createSession, listSessions, loadSession, searchSessions } from '../../src/sessions/index.js';
import { sanitizeAutoTitle } from '../../src/sessions/title.js';
import { sideRequestsCost } from '../../src/domain/cost.js';
import { ZERO_USAGE } from '../../src/domain/usage.js';
import { tempDir } from '../sessions/helpers.js';
import { prompt, textReply } from '../sessions/search-gen.js';

const usage = { ...ZERO_USAGE, input_tokens: 1_000_000, output_tokens: 0 };

/** A requester answering `title` when `release` is called (so a rename can arrive meanwhile). */
function deferred(title: string | null) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const calls: Array<{ prompt: string }> = [];
  const ask: TitleRequester = async (first) => {
    calls.push({ prompt: first.prompt });
    await gate;
    return title === null ? null : { title, request: { model: 'claude-haiku-4-5', usage } };
  };
  return { ask, release, calls };
}

function recorder(dir: string, ask: TitleRequester | null) {
  return new SessionRecorder({ dir, model: 'claude-sonnet-4-5', system: null, redactor: NO_SECRETS, autoTitle: ask });
}

async function firstTurn(r: SessionRecorder) {
  r.userSent(prompt('u1', 'How do pelicans catch fish?', 1));
  r.replyEnded(textReply('a1', 'They scoop them up.', 2), []);
  await new Promise((res) => setTimeout(res, 10));
}

describe('auto titles', () => {
  it('after the first complete reply: one request, a title record appended, the title shown, its cost counted', async () => {
    const dir = tempDir();
    const d = deferred('"Pelican\u001b[31m fishing\nsecond line"');
    const r = recorder(dir, d.ask);
    await firstTurn(r);
    expect(d.calls).toEqual([{ prompt: 'How do pelicans catch fish?' }]);
    d.release();
    await new Promise((res) => setTimeout(res, 10));
    expect(r.status().title).toBe('Pelican fishing');
    r.userSent(prompt('u2', 'More?', 3));
    r.replyEnded(textReply('a2', 'Yes.', 4), []);
    expect(d.calls).toHaveLength(1);
    r.close();
    const loaded = loadSession(dir, r.status().id!);
    expect(loaded.title).toBe('Pelican fishing');
    expect(loaded.sideRequests).toEqual([{ model: 'claude-haiku-4-5', usage }]);
    expect(sideRequestsCost(loaded.sideRequests).usd).toBeCloseTo(1); // haiku 4.5: $1 per million input tokens
  });

  it('a rename while the request is in flight wins, and stays after reloading', async () => {
    const dir = tempDir();
    const d = deferred('Model title');
    const r = recorder(dir, d.ask);
    await firstTurn(r);
    expect(r.rename('My own title')).toBe(true);
    d.release();
    await new Promise((res) => setTimeout(res, 10));
    expect(r.status().title).toBe('My own title');
    r.close();
    expect(listSessions(dir)[0]!.title).toBe('My own title');
    // Nothing of the model's title was written.
    expect(readFileSync(listSessions(dir)[0]!.path, 'utf8')).not.toContain('Model title');
  });

  it('a user title beats a model title written after it, in every reader', () => {
    const dir = tempDir();
    const w = createSession(dir, { model: 'claude-sonnet-4-5' });
    w.appendUser(prompt('u1', 'first prompt', 1));
    w.rename('Mine');
    w.close();
    // A model title appended later (another window's request that landed after the rename).
    const line = { v: 2, k: 'title', at: 5, title: 'Theirs', auto: { model: 'claude-haiku-4-5', usage } };
    appendFileSync(w.path, `${JSON.stringify(line)}\n`);
    expect(listSessions(dir)[0]!.title).toBe('Mine');
    expect(loadSession(dir, w.id).title).toBe('Mine');
    expect(searchSessions(dir, 'mine').hits).toHaveLength(1);
    expect(searchSessions(dir, 'theirs').hits).toHaveLength(0);
  });

  it('a failed request leaves the first-prompt title; off sends nothing', async () => {
    const dir = tempDir();
    const d = deferred(null);
    const r = recorder(dir, d.ask);
    await firstTurn(r);
    d.release();
    await new Promise((res) => setTimeout(res, 10));
    expect(r.status().title).toBe('How do pelicans catch fish?');
    r.close();
    const off = recorder(tempDir(), null);
    await firstTurn(off);
    expect(off.status().title).toBe('How do pelicans catch fish?');
    off.close();
  });
});

describe('sanitizeAutoTitle', () => {
  it('keeps one clean line, capped', () => {
    expect(sanitizeAutoTitle('## Title: **Bold move**.\nmore')).toBe('Bold move');
    expect(sanitizeAutoTitle('\u001b]52;c;Zm9v\u0007Clip\u0000board')).toBe('Clip board');
    expect(sanitizeAutoTitle('   \n  ')).toBeNull();
    expect(sanitizeAutoTitle('x'.repeat(200))).toBe(`${'x'.repeat(50)}…`);
  });
});
