import { describe, expect, it } from 'vitest';
import { conversationReducer, initialConversation, type ConversationState } from '../../src/domain/conversation.js';
import { stripSgr } from '../../src/text/sgr.js';
import terminalWidth from '../../src/text/width.js';
import { darkTheme, monochromeTheme } from '../../src/theme.js';
import { statusLine } from '../../src/ui/StatusBar.js';
import { fitStatus, liveReplyTokens, statusSegments } from '../../src/ui/status.js';
import { fixtureEvents } from '../helpers/fixtures.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]$/;
const plain = stripSgr;

/** A reply streaming: the prompt sent and the first `n` events of a recorded stream applied. */
function streaming(n: number): ConversationState {
  let s = conversationReducer(initialConversation(), {
    type: 'user_sent',
    userId: 'u1',
    assistantId: 'a1',
    text: 'hi',
    model: 'claude-sonnet-4-5',
    at: 1,
  });
  const events = fixtureEvents('03-text-long-markdown-compaction-opus46.sse').slice(0, n);
  s = conversationReducer(s, { type: 'stream_events', id: 'a1', events, at: 2 });
  return s;
}

const ctx = { model: 'claude-sonnet-4-5', maxTokens: 8192, now: 1000, frame: 3 };

describe('the status bar while a reply streams', () => {
  it('ends with the spinner, after the live output count (so a turn of it rewrites one cell)', () => {
    const state = streaming(60);
    const last = statusSegments(state, ctx).at(-1)!;
    expect(last.text).toMatch(SPINNER);
    expect(last.text).toMatch(/^out ~\d+\/8\.2k /);
    const live = liveReplyTokens(state);
    expect(live.final).toBe(false);
    expect(live.tokens % 10).toBe(0);
    expect(last.text).toContain(`~${live.tokens}/`);
  });

  it('shows the count sampled at the last spinner turn when one is given, not the newest', () => {
    const state = streaming(200);
    const sampled = statusSegments(state, { ...ctx, liveTokens: { tokens: 40, final: false } }).at(-1)!;
    expect(sampled.text.startsWith('out ~40/8.2k ')).toBe(true);
    expect(liveReplyTokens(state).tokens).toBeGreaterThan(40);
  });

  it('the line: the same inputs give the same text, a change of content, width or theme a new one', () => {
    const state = streaming(60);
    const props = {
      state,
      session: { id: null, title: null, problem: null, readOnly: null },
      model: 'claude-sonnet-4-5',
      maxTokens: 8192,
      frame: 1,
      theme: darkTheme,
    };
    const a = statusLine(props, 100);
    expect(statusLine(props, 100)).toBe(a);
    expect(a).toContain('\x1b[36m'); // the model, in the dark theme's accent
    expect(statusLine({ ...props, theme: monochromeTheme }, 100)).not.toContain('\x1b[36m');
    expect(plain(statusLine({ ...props, frame: 2 }, 100))).not.toBe(plain(a));
    expect(plain(statusLine(props, 20)).length).toBeLessThanOrEqual(20);
  });
});

/** A whole reply done: usage, the context window and a cost known. */
function finished(fixture = '01-text-short-sonnet45.sse'): ConversationState {
  let s = conversationReducer(initialConversation(), {
    type: 'model_limits',
    limits: { model: 'claude-sonnet-4-5', contextWindow: 200_000, maxOutputTokens: 64_000, source: 'fallback' },
  });
  s = conversationReducer(s, { type: 'user_sent', userId: 'u1', assistantId: 'a1', text: 'hi', model: 'claude-sonnet-4-5', at: 1 });
  s = conversationReducer(s, { type: 'stream_events', id: 'a1', events: fixtureEvents(fixture), at: 2 });
  return conversationReducer(s, { type: 'stream_completed', id: 'a1', requestId: null, at: 3 });
}

/** A second request waiting out a retry after `finished()`. */
function retrying(): ConversationState {
  let s = finished();
  s = conversationReducer(s, { type: 'user_sent', userId: 'u2', assistantId: 'a2', text: 'again', model: 'claude-sonnet-4-5', at: 4 });
  return conversationReducer(s, { type: 'retry_wait', wait: { attempt: 2, of: 5, until: 4_000, reason: 'overloaded' } });
}

const LONG_TITLE = 'Explain the difference between a mutex and a semaphore with examples in Rust and Go';
const session = (title: string | null) => ({ id: 's', title, problem: null, readOnly: null });
const props = (state: ConversationState, title: string | null = LONG_TITLE) => ({
  state,
  session: session(title),
  model: 'claude-sonnet-4-5',
  maxTokens: 8192,
  frame: 1,
  theme: darkTheme,
});

/**
 * Asserts the line is the segments joined whole: every piece is one of its segment's forms (the
 * full text or a compact one), or the elastic title cut with an ellipsis.
 * @returns the pieces shown
 */
function expectWholeSegments(state: ConversationState, line: string, width: number, now: number): string[] {
  const text = plain(line);
  expect(terminalWidth(text), text).toBeLessThanOrEqual(width);
  const segments = statusSegments(state, {
    model: 'claude-sonnet-4-5',
    maxTokens: 8192,
    now,
    frame: 1,
    session: session(LONG_TITLE),
    prices: {},
    thinking: false,
  });
  const pieces = text.split(' · ');
  // A piece may itself contain " · " (a notice's "· Esc cancels"): match greedily against forms.
  const shown: string[] = [];
  let rest = text;
  for (const seg of segments) {
    const forms = [seg.text, ...(seg.compact ?? [])];
    const form = forms.find((f) => rest === f || rest.startsWith(`${f} · `));
    if (form !== undefined) {
      shown.push(form);
      rest = rest.slice(form.length + 3);
      continue;
    }
    if (seg.elastic) {
      const cut = /^([^·]*?…)(?: · |$)/.exec(rest);
      if (cut && seg.text.startsWith(cut[1]!.slice(0, -1))) {
        shown.push(cut[1]!);
        rest = rest.slice(cut[1]!.length + 3);
      }
    }
  }
  expect(rest, `left over in ${JSON.stringify(text)} (pieces ${JSON.stringify(pieces)})`).toBe('');
  return shown;
}

describe('the status bar at any width: priorities, not truncation', () => {
  const WIDTHS = [30, 60, 80, 100, 200];

  it('after a reply: no segment is cut, the cost and the model always stay, the title gives way first', () => {
    const state = finished();
    const all = statusSegments(state, {
      model: 'claude-sonnet-4-5',
      maxTokens: 8192,
      now: 10,
      frame: 1,
      session: session(LONG_TITLE),
      prices: {},
    });
    const cost = all.find((s) => s.text.startsWith('$'))!;
    expect(cost).toBeDefined();
    for (const width of WIDTHS) {
      const shown = expectWholeSegments(state, statusLine(props(state), width), width, Date.now());
      expect(shown, `${width}`).toContain(cost.text);
      expect(
        shown.some((s) => s === 'claude-sonnet-4-5' || s === 'sonnet-4-5'),
        `${width}`,
      ).toBe(true);
    }
    const at200 = plain(statusLine(props(state), 200));
    expect(at200).toContain('Explain the difference betwee…'); // full form: 30 columns, as before
    expect(at200).toContain('last in ');
    expect(at200).toMatch(/ctx \d+(\.\d)?% of 200k/);
    // Shorter bars: the title shrinks, usage goes to arrows, the context drops "of 200k".
    const at80 = plain(statusLine(props(state), 80));
    expect(at80).toMatch(/(^|· )↑\d+ ↓\d+/);
    const at30 = plain(statusLine(props(state), 30));
    expect(at30).not.toContain('Explain');
  });

  it('keeps the whole cost at 100 columns with a long title', () => {
    const state = finished('04-max-tokens-cache-write-sonnet46.sse');
    const line = plain(statusLine(props(state), 100));
    const cost = statusSegments(state, { model: 'claude-sonnet-4-5', maxTokens: 8192, now: 10, frame: 1, prices: {} }).find((s) =>
      s.text.startsWith('$'),
    )!;
    expect(cost.text).toMatch(/^\$\d+\.\d+$/);
    expect(line).toContain(cost.text);
    expect(line).not.toMatch(/\$[\d.]*…/);
    expect(line).toContain('⚠ stopped at max_tokens · Enter continues');
  });

  it('keeps "Esc cancels" of a retry notice at 100 columns, and the notice at 30', () => {
    const state = retrying();
    const at100 = plain(statusLine(props(state), 100));
    expect(at100).toContain('overloaded, retrying in');
    expect(at100).toMatch(/· Esc cancels$/);
    for (const width of WIDTHS) {
      const shown = expectWholeSegments(state, statusLine(props(state), width), width, Date.now());
      expect(shown.at(-1), `${width}`).toMatch(/Esc cancels$/);
    }
    expect(plain(statusLine(props(state), 30))).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] retry in \d+ s · Esc cancels$/);
  });

  it('keeps the live output gauge (with the model where it fits) while a reply streams', () => {
    const state = streaming(60);
    for (const width of WIDTHS) {
      const line = plain(statusLine(props(state), width));
      expect(line, `${width}`).toMatch(/~\d+\/8\.2k [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]$/);
      expectWholeSegments(state, statusLine(props(state), width), width, Date.now());
    }
    expect(plain(statusLine(props(state), 30))).toMatch(/^sonnet-4-5 · (out )?~\d+\/8\.2k .$/);
  });

  it('fitStatus: only the most important segment is ever cut, and only on a bar narrower than its shortest form', () => {
    const segs = [
      { text: 'a long session title here', tone: 'normal' as const, priority: 10, elastic: true },
      { text: 'model-name', tone: 'accent' as const, priority: 75 },
      { text: 'live part', tone: 'normal' as const, priority: 100, compact: ['live'] },
    ];
    expect(fitStatus(segs, 200).map((s) => s.text)).toEqual(['a long session title here', 'model-name', 'live part']);
    expect(fitStatus(segs, 40).map((s) => s.text)).toEqual(['a long session…', 'model-name', 'live part']);
    expect(fitStatus(segs, 22).map((s) => s.text)).toEqual(['model-name', 'live part']);
    expect(fitStatus(segs, 10).map((s) => s.text)).toEqual(['live part']);
    expect(fitStatus(segs, 5).map((s) => s.text)).toEqual(['live']);
    expect(fitStatus(segs, 3).map((s) => s.text)).toEqual(['li…']);
  });
});

/** A finished reply from a recorded stream, its request sent at `at` (ms since the epoch). */
function finishedAt(name: string, at: number): ConversationState {
  let s = conversationReducer(initialConversation(), {
    type: 'user_sent',
    userId: 'u1',
    assistantId: 'a1',
    text: 'hi',
    model: 'claude-sonnet-4-6',
    at,
  });
  s = conversationReducer(s, { type: 'stream_events', id: 'a1', events: fixtureEvents(name), at: at + 500 });
  return conversationReducer(s, { type: 'stream_completed', id: 'a1', requestId: null, at: at + 600 });
}

describe('the cache hit rate and the cache clock', () => {
  const T = 1_700_000_000_000;
  const idle = (now: number) => ({ model: 'claude-sonnet-4-6', maxTokens: 8192, now, frame: 0 });
  const texts = (s: ConversationState, now: number, extra = {}) => statusSegments(s, { ...idle(now), ...extra }).map((g) => g.text);

  it('a cache read: cache_read ÷ (input + cache_write + cache_read), 18639 ÷ 18642 → 99 %', () => {
    const s = finishedAt('05-max-tokens-cache-read-sonnet46.sse', T);
    expect(s.activeId).toBeNull();
    expect(texts(s, T + 1000)).toContain('cache 99%');
    // A cache write reads nothing: 0 %.
    expect(texts(finishedAt('04-max-tokens-cache-write-sonnet46.sse', T), T + 1000)).toContain('cache 0%');
  });

  it('no cache field non-zero: neither the rate nor the clock', () => {
    const t = texts(finishedAt('01-text-short-sonnet45.sse', T), T + 1000);
    expect(t.some((x) => /^cache |^warm |^cold$/.test(x))).toBe(false);
  });

  it('the clock counts 5 minutes down from the request start, last on the line, then says cold', () => {
    const s = finishedAt('05-max-tokens-cache-read-sonnet46.sse', T);
    expect(texts(s, T).at(-1)).toBe('warm 5:00');
    expect(texts(s, T + 48_000).at(-1)).toBe('warm 4:12');
    expect(texts(s, T + 299_001).at(-1)).toBe('warm 0:01');
    expect(texts(s, T + 300_000).at(-1)).toBe('cold');
  });

  it('counts an hour when the last request wrote 1-hour entries, or requests are sent with ttl 1h', () => {
    const s = finishedAt('05-max-tokens-cache-read-sonnet46.sse', T);
    expect(texts(s, T + 48_000, { promptCache: '1h' }).at(-1)).toBe('warm 59:12');
    const reply = s.messages.at(-1)!;
    if (reply.role !== 'assistant') throw new Error('no reply');
    const oneHour: ConversationState = {
      ...s,
      messages: [
        ...s.messages.slice(0, -1),
        {
          ...reply,
          usage: {
            ...reply.usage,
            cache_creation_input_tokens: 100,
            cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 100 },
          },
        },
      ],
    };
    expect(texts(oneHour, T).at(-1)).toBe('warm 1:00:00');
    expect(texts(oneHour, T + 3_600_000).at(-1)).toBe('cold');
  });

  it('gives way by priority: the hit rate (compact c99%) goes before the last usage and the cost, the clock stays last', () => {
    const s = finishedAt('05-max-tokens-cache-read-sonnet46.sse', T);
    const segs = statusSegments(s, { ...idle(T + 48_000), prices: {} });
    const cost = segs.find((g) => g.text.startsWith('$'))!;
    expect(cost).toBeDefined();
    const wide = fitStatus(segs, 200).map((g) => g.text);
    expect(wide).toContain('cache 99%');
    expect(wide.at(-1)).toBe('warm 4:12');
    const forms = new Set<string>();
    for (let w = 200; w >= 70; w--) {
      const shown = fitStatus(segs, w).map((g) => g.text);
      const rate = shown.find((x) => /^c(ache )?99%$/.test(x));
      if (rate) forms.add(rate);
      // While the rate shows, the last reply's usage shows too: the rate gives way first.
      if (rate) expect(shown.some((x) => x.startsWith('last in') || x.startsWith('↑'))).toBe(true);
      expect(shown).toContain(cost.text);
      const clock = shown.find((x) => /^w(arm )?4:12$/.test(x));
      if (clock) expect(shown.at(-1)).toBe(clock);
    }
    expect([...forms].sort()).toEqual(['c99%', 'cache 99%']);
    // At 72 columns the rate is gone, the clock compact and still last.
    const narrow = fitStatus(segs, 72).map((g) => g.text);
    expect(narrow.some((x) => /99%/.test(x))).toBe(false);
    expect(narrow.at(-1)).toBe('w4:12');
  });
});
