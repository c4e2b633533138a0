/**
 * Hostile model output through the real app in a pty: the escape corpus of hostile-output.test.ts
 * streamed as real SSE (one text_delta per UTF-16 code unit, the body cut into a few bytes per
 * write), in thinking, tool calls and a refusal's explanation, in an API error message, in print
 * mode on a terminal, and in `inkwell sessions show`. The check is on every byte the app wrote to
 * the terminal (`app.raw()`), not only the rendered screen: nothing distinctive of the payloads
 * (see NEVER) and none of their words may appear.
 */
import { describe, expect, it } from 'vitest';
import {
  ask,
  byRole,
  fullReply,
  httpError,
  idle,
  messageStart,
  MODEL,
  replyText,
  rig,
  savedSession,
  sse,
  stillTakesInput,
} from '../helpers/faults.js';
import { spawnApp, type AppInPty } from '../helpers/pty.js';
import { PAYLOADS } from '../helpers/hostile.js';
import { provide } from '../helpers/lifecycle.js';

const r = provide(rig, (x) => x.close(), 'each');

const ALL = PAYLOADS.map((p) => p.text).join(' · ');
const HIDDEN = PAYLOADS.flatMap((p) => p.hidden);
const REPLY_TEXT = `Start of reply.\n\nparagraph ${ALL} end-of-paragraph\n\n- item ${ALL}\n\n\`\`\`\ncode ${ALL}\n\`\`\`\n\n| a | b |\n|---|---|\n| ${ALL} | x |\n\nEnd of reply.\n`;

/**
 * What the model's payloads would put on the wire and inkwell's own UI never writes while it runs
 * (no /copy, no exit, no resize in these tests). The UI's vocabulary (SGR, cursor moves within the
 * screen, erase, scroll regions, DECSC/DECRC, synchronized output, mode switches on, keyboard
 * protocol queries) changes as the UI does, so the check is on what is distinctive of the
 * payloads: control strings, a full reset, leaving the alternate screen or turning mouse/paste
 * off, moves to rows/columns beyond any screen here (the corpus uses 777, 888, 997), conceal and
 * title reports, raw C0/C1/BiDi/zero-width characters, and the payloads' own words.
 */
const NEVER: Array<[RegExp, string]> = [
  [/\x1b\]/, 'an OSC string (clipboard, hyperlink, title)'],
  [/\x1b[PX^_]/, 'a DCS / SOS / PM / APC string'],
  [/\x1bc/, 'a full reset (RIS)'],
  [/\x1b\[\?(1049|1047|47|1000|1002|1003|1006|2004)l/, 'leaving the alternate screen, or mouse / paste mode off'],
  [/\x1b\[[0-9;]*(?:[5-9]\d\d|\d{4,})(?:;[0-9;]*)?[A-HJ-LSTdf]/, 'a cursor move beyond any screen'],
  [/\x1b\[(?:21t|8m)/, 'a title report or concealed text'],
];

/** Fails with the offending bytes when the terminal got anything of the payloads. */
function expectRawClean(raw: string, hidden: readonly string[] = HIDDEN): void {
  for (const [re, what] of NEVER) {
    const m = re.exec(raw);
    expect(m ? JSON.stringify(raw.slice(Math.max(0, m.index - 20), m.index + 40)) : null, `the terminal got ${what}`).toBeNull();
  }
  // No C0 but CR/LF/TAB/ESC, no DEL, no C1, no BiDi control, no invisible character.
  const stray = raw.match(/[\x00-\x08\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g) ?? [];
  expect(stray.map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`)).toEqual([]);
  for (const h of hidden) expect(raw, `payload words "${h}"`).not.toContain(h);
}

/** Clear-screen / clear-scrollback sequences in `raw` (the UI may use them itself: compare counts). */
function clears(raw: string): number {
  return raw.match(/\x1b\[[23]?J/g)?.length ?? 0;
}

/** A stream with one text_delta per UTF-16 code unit of `text`. */
function perCharStream(text: string): string {
  const events: Array<{ type: string } & Record<string, unknown>> = [
    messageStart(),
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  ];
  for (const ch of text.split('')) events.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ch } });
  events.push(
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: text.length } },
    { type: 'message_stop' },
  );
  return sse(events);
}

describe('hostile model output never reaches the terminal raw (pty byte stream)', () => {
  it('the whole corpus, one text_delta per character, the body 5 bytes per write: none of it on the wire, the text kept in the session', async () => {
    // A control turn first: the same reply with the payloads replaced by plain text, to measure how
    // often the UI itself clears the screen while such a reply streams.
    const control = REPLY_TEXT.split(ALL).join('x'.repeat(40));
    r.server.enqueue(
      { kind: 'sse', body: perCharStream(control), chunkBytes: 5 },
      { kind: 'sse', body: perCharStream(REPLY_TEXT), chunkBytes: 5 },
    );
    const a = await r.start({ cols: 120, rows: 60 });
    ask(a, 'be nice');
    await a.waitFor('End of reply.', 20_000);
    await idle(a);
    const mark = a.raw().length;
    const controlClears = clears(a.raw());
    ask(a, 'be evil');
    await a.waitFor((s) => s.includes('› be evil') && s.includes('End of reply.') && s.includes('hidden-by-conceal'), 20_000);
    await idle(a);
    expect(clears(a.raw().slice(mark))).toBeLessThanOrEqual(controlClears);
    const screen = a.screen();
    expect(screen).toContain('Start of reply.');
    expect(screen).toContain('hidden-by-conceal');
    expect(screen).toContain('access level = "user" // admin');
    expect(screen).toContain('␛');
    expectRawClean(a.raw());

    const recovery = await stillTakesInput(a, r.server);
    expectRawClean(a.raw());
    // The session keeps what the model sent, exactly; only the screen is sanitised.
    const { users, replies } = byRole(savedSession(a.home));
    expect(users.map((u) => u.text)).toEqual(['be nice', 'be evil', recovery.prompt]);
    expect(replyText(replies[1]!)).toBe(REPLY_TEXT);
  });

  it('payloads in thinking (expanded with Tab), a tool call and a refusal explanation', async () => {
    const events = [
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      ...ALL.match(/[\s\S]{1,7}/g)!.map((t) => ({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: t } })),
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_01', name: `evil\x1b]0;pwned-title-0\x07tool`, input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ cmd: ALL }) } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'I will not do that.' } },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: {
          stop_reason: 'refusal',
          stop_sequence: null,
          stop_details: { type: 'refusal', category: 'cyber', explanation: `Because ${ALL}` },
        },
        usage: { output_tokens: 40 },
      },
      { type: 'message_stop' },
    ];
    r.server.enqueue({ kind: 'sse', body: sse(events), chunkBytes: 11 });
    const a = await r.start({ cols: 120, rows: 60 });
    ask(a, 'be evil');
    await a.waitFor('I will not do that.');
    await a.waitFor('Claude declined to answer');
    a.type('\t'); // expand thinking
    // Expanded: the collapsed line ("… (Tab expands) · …") is gone. Waiting for this, not just for
    // "✻ Thought", keeps the next keys from reaching the app in the same read as the Tab.
    await a.waitFor((s) => s.includes('✻ Thought') && !s.includes('Tab expands'));
    await idle(a);
    expectRawClean(a.raw());
    await stillTakesInput(a, r.server);
    expectRawClean(a.raw());
  });

  it('an API error message carrying escapes is shown as plain words', async () => {
    r.server.enqueue(httpError(400, 'invalid_request_error', `bad thing ${ALL}`, 'req_011CHOSTILEERROR00001'));
    const a = await r.start({ cols: 120, rows: 60, env: { INKWELL_MAX_RETRIES: '0' } });
    ask(a, 'be evil');
    await a.waitFor('The API rejected the request (400)');
    await idle(a);
    expectRawClean(a.raw());
    await stillTakesInput(a, r.server);
  });

  it('print mode on a terminal (-p with stdout a tty): no escape from the model reaches it', async () => {
    r.server.enqueue({ kind: 'sse', body: perCharStream(`Printed: ${ALL} done.\n`), chunkBytes: 7 });
    const a = spawnApp({
      args: ['--model', MODEL, '-p', 'be evil'],
      env: { ANTHROPIC_API_KEY: 'sk-ant-x', ANTHROPIC_BASE_URL: r.server.url },
    });
    expect(await a.exited).toBe(0);
    expect(a.raw()).toContain('Printed:');
    expect(a.raw()).toContain('done.');
    // Print mode streams each delta as it comes, so a sequence split across deltas shows its inert
    // pieces as text ("␛" then "]52;c;…"): no control function, but the payload's words may show.
    expectRawClean(a.raw(), []);
  });

  it('`inkwell sessions show` on a terminal prints the hostile reply without its escapes', async () => {
    r.server.enqueue({ kind: 'sse', body: fullReply([REPLY_TEXT]) });
    const a = await r.start({ cols: 120, rows: 60 });
    ask(a, 'be evil');
    await a.waitFor('End of reply.');
    await idle(a);
    const id = savedSession(a.home).id;
    const show: AppInPty = spawnApp({ args: ['sessions', 'show', id], home: a.home, cols: 120, rows: 60 });
    expect(await show.exited).toBe(0);
    expect(show.raw()).toContain('End of reply.');
    expectRawClean(show.raw());
  });
});
