/**
 * Hostile model output, exhaustively at the unit level: a corpus of terminal escape payloads (clear
 * screen, cursor moves, OSC 52 clipboard write, OSC 8 link, window title, DCS, C1 controls, BiDi
 * overrides, zero-width characters, …) in several markdown contexts, each fed through the real
 * transcript pipeline (TranscriptLayout → MarkdownStream → renderStream) split into two deltas at
 * every position of the payload, and one character per delta. After every update, every line the
 * app would draw must carry no escape sequence but SGR and no C0/C1/BiDi/zero-width character, and
 * the payload's own words (clipboard data, title, URL) must never show.
 *
 * The pty tests in hostile-output.e2e.test.ts check the same on the real byte stream.
 */
import { describe, expect, it, vi } from 'vitest';

// marked-terminal emits OSC 8 hyperlinks for markdown links when it believes the terminal supports
// them (it decides at import): make it believe so, to prove inkwell still never lets one out.
vi.hoisted(() => {
  process.env.FORCE_HYPERLINK = '1';
});

import type { AssistantMessage, ContentBlock, NoticeMessage, UserMessage } from '../../src/domain/types.js';
import { themeNamed } from '../../src/theme.js';
import { TranscriptLayout } from '../../src/transcript/layout.js';
import { PAYLOADS, type Payload } from '../helpers/hostile.js';

/** Markdown contexts a payload is placed in (the renderer treats each differently). */
const CONTEXTS: Array<{ name: string; wrap: (p: string) => string }> = [
  { name: 'paragraph', wrap: (p) => `Intro line.\n\nSafe ${p} text after.\n` },
  { name: 'list item and heading', wrap: (p) => `# Title ${p}\n\n- item ${p} done\n- second\n` },
  { name: 'code fence', wrap: (p) => `Code:\n\n\`\`\`ts\nconst x = "${p}";\n\`\`\`\n` },
  { name: 'table cell and inline code', wrap: (p) => `| a | b |\n|---|---|\n| ${p} | \`${p}\` |\n` },
];

const SGR = /\x1b\[[0-9;:]*m/g;
const FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/** Why a drawn line is unsafe, or null. */
/**
 * inkwell's own hyperlinks (markdown/links.ts): an id it made, a printable-ASCII http(s) URL, and
 * the closing sequence. The only OSC the layout may emit; the Screen drops them where the terminal
 * has no hyperlinks.
 */
const OWN_LINK = /\x1b\]8;id=iw[0-9a-z]+;https?:\/\/[\x21-\x7e]+?\x1b\\|\x1b\]8;;\x1b\\/g;

function unsafe(line: string): string | null {
  const rest = line.replace(OWN_LINK, '').replace(SGR, '');
  const m = FORBIDDEN.exec(rest);
  if (m) return `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index} in ${JSON.stringify(line)}`;
  return null;
}

function expectSafe(lines: readonly string[], payload: Payload, where: string): void {
  for (const line of lines) {
    const why = unsafe(line);
    if (why) expect.fail(`${payload.name} (${where}): ${why}`);
    const visible = line.replace(OWN_LINK, '').replace(SGR, '');
    for (const h of payload.hidden)
      if (visible.includes(h)) expect.fail(`${payload.name} (${where}): payload words "${h}" shown in ${JSON.stringify(line)}`);
  }
}

// Colour on (truecolor): the SGR the app adds itself is allowed, and must be the only escape there is.
const OPTS = { width: 60, expandThinking: false, maxTokens: 8192, theme: themeNamed('dark', 3) };

function reply(
  id: string,
  content: ContentBlock[],
  status: AssistantMessage['status'],
  extra: Partial<AssistantMessage> = {},
): AssistantMessage {
  return {
    role: 'assistant',
    id,
    model: 'claude-sonnet-5-5',
    content,
    stop_reason: status === 'complete' ? 'end_turn' : null,
    stop_sequence: null,
    stop_details: null,
    usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    usageFinal: status === 'complete',
    status,
    interruption: status === 'interrupted' ? { reason: 'the connection dropped' } : null,
    requestId: 'req_x',
    apiId: 'msg_x',
    startedAt: 0,
    firstTokenAt: 1,
    endedAt: status === 'streaming' ? null : 2,
    ...extra,
  };
}

const text = (t: string): ContentBlock => ({ type: 'text', text: t });

/**
 * Streams `chunks` (text deltas) into one reply through a fresh TranscriptLayout, laying it out
 * after every delta as the app does each frame, then lays out the final reply.
 */
function stream(chunks: readonly string[], payload: Payload, where: string): void {
  const layout = new TranscriptLayout();
  let soFar = '';
  for (const c of chunks) {
    soFar += c;
    expectSafe(layout.linesFor(reply('a1', [text(soFar)], 'streaming'), OPTS), payload, where);
  }
  expectSafe(layout.linesFor(reply('a1', [text(soFar)], 'complete'), OPTS), payload, `${where}, final`);
}

describe('hostile model output never leaves the transcript pipeline raw', () => {
  for (const payload of PAYLOADS) {
    describe(payload.name, () => {
      for (const ctx of CONTEXTS) {
        it(`${ctx.name}: split into two deltas at every position of the payload, and one character per delta`, () => {
          const whole = ctx.wrap(payload.text);
          const start = whole.indexOf(payload.text);
          for (let i = start; i <= start + payload.text.length; i++) {
            stream([whole.slice(0, i), whole.slice(i)], payload, `split at ${i}`);
          }
          stream(Array.from(whole), payload, 'one character per delta');
        });
      }
    });
  }

  it('every payload at once, in every context, in a thinking block (collapsed and expanded), a tool call and a citation', () => {
    const all = PAYLOADS.map((p) => p.text).join(' ');
    const hostile: Payload = { name: 'all payloads', text: all, hidden: PAYLOADS.flatMap((p) => p.hidden) };
    const layout = new TranscriptLayout();
    // Wire blocks as the API sends them, with the infos kept beside them (tool input fragments, thought time).
    const blocks: ContentBlock[] = [
      { type: 'thinking', thinking: `Let me think ${all}\nmore ${all}`, signature: 's' },
      text(CONTEXTS.map((c) => c.wrap(all)).join('\n')),
      { type: 'tool_use', id: 'toolu_1', name: `evil${all}`, input: {} },
      {
        type: 'text',
        text: 'cited',
        citations: [{ type: 'web_search_result_location', cited_text: all, title: `Title ${all}`, url: `https://evil.example/${all}` }],
      },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: { type: 'web_search_tool_result_error', error_code: all } },
      { type: `hologram${all}`, payload: all },
    ];
    const info = (partialJson = '') => ({ startedAt: 0, stoppedAt: 5, partialJson });
    const infos = [info(), info(), info(`{"cmd":"${JSON.stringify(all).slice(1, -1)}"}`), info(), info(), info()];
    for (const expand of [false, true]) {
      expectSafe(
        layout.linesFor(reply('a2', blocks, 'complete', { blocks: infos }), { ...OPTS, expandThinking: expand }),
        hostile,
        `blocks, expand ${expand}`,
      );
      expectSafe(
        layout.linesFor(reply('a2s', blocks, 'streaming', { blocks: infos }), { ...OPTS, expandThinking: expand }),
        hostile,
        `blocks streaming, expand ${expand}`,
      );
    }
  });

  it('server-sent words around the reply: a refusal explanation, an unknown stop_reason, a stop sequence', () => {
    const all = PAYLOADS.map((p) => p.text).join(' ');
    const hostile: Payload = { name: 'stop details', text: all, hidden: PAYLOADS.flatMap((p) => p.hidden) };
    const layout = new TranscriptLayout();
    const refusal = reply('r1', [text('I cannot.')], 'complete', {
      stop_reason: 'refusal',
      stop_details: { type: 'refusal', category: `cyber${all}`, explanation: `Because ${all}` },
    });
    expectSafe(layout.linesFor(refusal, OPTS), hostile, 'refusal explanation');
    const odd = reply('r2', [text('Done.')], 'complete', { stop_reason: `brand_new_reason${all}` });
    expectSafe(layout.linesFor(odd, OPTS), hostile, 'unknown stop_reason');
    // The stop sequence is shown JSON-quoted ("\u001b]52;…" as visible text): no control character,
    // and its words may show, since it is the user's own request parameter.
    const seq = reply('r3', [text('Done.')], 'complete', { stop_reason: 'stop_sequence', stop_sequence: all });
    expectSafe(layout.linesFor(seq, OPTS), { ...hostile, hidden: [] }, 'stop sequence');
  });

  it('error notices quoting the API, and the user prompt, are drawn safe too', () => {
    const all = PAYLOADS.map((p) => p.text).join(' ');
    const hostile: Payload = { name: 'notice and prompt', text: all, hidden: PAYLOADS.flatMap((p) => p.hidden) };
    const layout = new TranscriptLayout();
    const n: NoticeMessage = {
      role: 'notice',
      id: 'n1',
      level: 'error',
      text: `The API rejected the request (400): ${all}.`,
      createdAt: 0,
    };
    expectSafe(layout.linesFor(n, OPTS), hostile, 'notice');
    const u: UserMessage = { role: 'user', id: 'u1', text: `pasted: ${all}`, createdAt: 0 };
    expectSafe(layout.linesFor(u, OPTS), hostile, 'user prompt');
  });
});
