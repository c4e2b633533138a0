/**
 * Continuing a reply that stopped early (max_tokens, Esc, a dropped stream) as one seamless
 * message. Pure: which strategy a model takes, what to send, and how to join the new text on.
 *
 * Source: docs/PROTOCOL.md §7. Prefill (a final assistant message the model continues) is accepted only
 * by models up to the 4.5 generation and never with thinking on; every 4.6+ and 5.x model answers
 * 400 "This model does not support assistant message prefill". Elsewhere the partial goes back as
 * an assistant turn followed by a user turn asking to continue (Anthropic's "prefill replacement":
 * anthropics/skills shared/model-migration.md), and the seam is cleaned of restated text.
 */

/** How a continuation is asked for. */
export type ContinuationStrategy = 'prefill' | 'user_turn';

/** Model id prefixes that still accept assistant prefill (docs/PROTOCOL.md §7, "Still accepting prefill"). */
const PREFILL_PREFIXES = [
  'claude-3',
  'claude-haiku-4-5',
  'claude-sonnet-4-5',
  'claude-opus-4-5',
  'claude-opus-4-1',
  'claude-opus-4-0',
  'claude-sonnet-4-0',
  'claude-opus-4-2025',
  'claude-sonnet-4-2025',
];

/**
 * Whether a model is known to accept assistant prefill. Unknown models are assumed not to: a
 * wrong "no" costs a slightly less seamless seam, a wrong "yes" costs a 400 and a retry.
 */
export function prefillSupported(model: string): boolean {
  return PREFILL_PREFIXES.some((p) => model.startsWith(p));
}

/**
 * Picks the strategy for a model.
 * @param thinking extended thinking is on (prefill is never allowed then)
 * @param rejectsPrefill models that answered the prefill 400 before, remembered across runs
 */
export function chooseStrategy(model: string, thinking: boolean, rejectsPrefill: ReadonlySet<string>): ContinuationStrategy {
  return !thinking && prefillSupported(model) && !rejectsPrefill.has(model) ? 'prefill' : 'user_turn';
}

/** True when an API error message is the "prefill not supported" 400 (fixtures/http/400-prefill-not-supported). */
export function isPrefillRejection(apiMessage: string): boolean {
  return /does not support assistant message prefill|must end with a user message/i.test(apiMessage);
}

/** How much of the partial reply's end the user-turn instruction quotes, in characters. */
export const QUOTED_TAIL_CHARS = 300;

/**
 * The hidden user turn of the user-turn strategy: asks the model to carry on from the exact tail.
 * @param partial the reply so far
 */
export function continueInstruction(partial: string): string {
  const tail = partial.slice(-QUOTED_TAIL_CHARS);
  return [
    'Your previous response was cut off. It ended with:',
    '',
    '<previous_response_tail>',
    tail,
    '</previous_response_tail>',
    '',
    'Continue exactly from where it stopped, mid-word or mid-sentence if that is where it ended. Do not repeat any of the text above, do not add a preamble, and do not re-open a code block that is already open.',
  ].join('\n');
}

/** A message in the API's shape (text content only; inkwell never sends thinking or tool blocks back). */
export interface ContinuationTurn {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * The turns to append to the history (which ends with the user prompt the partial answered).
 * Prefill: the partial right-trimmed as the final assistant turn (the API rejects trailing
 * whitespace). User turn: the partial as an assistant turn, then the instruction. An empty partial
 * adds nothing: the prompt is simply asked again.
 */
export function continuationTurns(partial: string, strategy: ContinuationStrategy): ContinuationTurn[] {
  if (partial.trim() === '') return [];
  if (strategy === 'prefill') return [{ role: 'assistant', content: partial.trimEnd() }];
  return [
    { role: 'assistant', content: partial },
    { role: 'user', content: continueInstruction(partial) },
  ];
}

/** Where a continuation's text joins the partial: how much of its start to drop, once known. */
export interface Seam {
  /** False while the start of the continuation may still turn out to restate the partial. */
  decided: boolean;
  /** Characters to drop from the start of the continuation. */
  skip: number;
  /** Text to put between the partial and the continuation (restores trimmed whitespace). */
  joiner: string;
}

/** The longest restatement looked for, in characters. */
const MAX_OVERLAP = 400;

/** Whether `text` ends inside an open fenced code block (CommonMark fences at a line start). */
export function insideOpenFence(text: string): boolean {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    const fence = m[1]!;
    if (open === null) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
  }
  return open !== null;
}

function isBoundary(ch: string | undefined): boolean {
  return ch === undefined || /[\s([{"'`*_>|-]/.test(ch);
}

/**
 * Decides the seam between a partial reply and the start of its continuation.
 *
 * Prefill: the model continued the right-trimmed partial, so nothing is restated. The partial is
 * shown with its trailing whitespace; a continuation that re-sends whitespace has the part it
 * shares with it (same characters, from the start) dropped, and the rest kept.
 * User turn: models often restate the last words or line, or re-open the code fence they were in;
 * the longest such restatement is dropped. A restatement is only trusted when it starts at a word
 * boundary of the partial or is at least 12 characters long, so "bro" + "brown" becomes "brown"
 * but "the" + "theory" stays "thetheory"-safe.
 *
 * The decision waits (decided: false) only while more text could still lengthen the overlap, so
 * the continuation normally appears after a few characters.
 * @param partial the reply text so far
 * @param continuation the continuation's text so far
 * @param final the continuation has ended (decide with what there is)
 */
export function findSeam(partial: string, continuation: string, strategy: ContinuationStrategy, final: boolean): Seam {
  if (strategy === 'prefill') {
    const trimmed = partial.trimEnd();
    const lost = partial.slice(trimmed.length);
    if (continuation.length === 0 && !final) return { decided: false, skip: 0, joiner: '' };
    // The display already shows `partial` whole; the continuation goes after it either way.
    const startsBlank = /^\s/.test(continuation);
    if (!startsBlank || lost === '') return { decided: true, skip: 0, joiner: '' };
    // It re-sent whitespace of its own: what it shares with the trimmed whitespace, character for
    // character, is shown already and is dropped; the rest (an indentation the trimmed part did not
    // have) is kept. Counting characters instead would eat a space of "\n    code" after "\n\n".
    const ws = /^\s*/.exec(continuation)![0];
    let shared = 0;
    while (shared < ws.length && shared < lost.length && ws[shared] === lost[shared]) shared++;
    // Only whitespace so far, all of it shown already: more of it may still come.
    if (!final && ws.length === continuation.length && shared === ws.length && ws.length < lost.length)
      return { decided: false, skip: 0, joiner: '' };
    return { decided: true, skip: shared, joiner: '' };
  }

  let skip = 0;
  let rest = continuation;
  // A re-opened code fence at the very start, when the partial is inside an open fence.
  if (insideOpenFence(partial)) {
    const lead = /^\s*/.exec(rest)![0].length;
    const afterLead = rest.slice(lead);
    if (/^(`|~)/.test(afterLead) || afterLead === '') {
      const nl = afterLead.indexOf('\n');
      if (nl === -1 && !final && afterLead.length < 40) return { decided: false, skip: 0, joiner: '' };
      const firstLine = nl === -1 ? afterLead : afterLead.slice(0, nl);
      if (/^(`{3,}|~{3,})[\w+-]*\s*$/.test(firstLine)) {
        skip = lead + (nl === -1 ? afterLead.length : nl + 1);
        rest = continuation.slice(skip);
      }
    }
  }

  // The longest k with partial ending in rest[0:k], trusted only from a boundary or when long.
  const trimmedRest = rest.replace(/^[ \t]+/, '');
  const leading = rest.length - trimmedRest.length;
  const window = partial.slice(-MAX_OVERLAP);
  const maxK = Math.min(window.length, trimmedRest.length);
  let best = 0;
  for (let k = maxK; k >= 1; k--) {
    if (!window.endsWith(trimmedRest.slice(0, k))) continue;
    const before = window[window.length - k - 1];
    if (k >= 12 || (k >= 2 && (isBoundary(before) || window.length === k))) {
      best = k;
      break;
    }
  }
  // Could a longer overlap still come? Only if all of `rest` so far matches inside the window's
  // tail somewhere that extends past its end.
  if (!final && trimmedRest.length < MAX_OVERLAP) {
    const probe = trimmedRest;
    let from = Math.max(0, window.length - MAX_OVERLAP);
    for (;;) {
      const at = window.indexOf(probe, from);
      if (at === -1) break;
      if (window.length - at > probe.length) return { decided: false, skip: 0, joiner: '' };
      from = at + 1;
    }
    if (probe.length === 0) return { decided: false, skip: 0, joiner: '' };
  }
  if (best > 0) skip += leading + best;
  return { decided: true, skip, joiner: '' };
}

/**
 * Joins a continuation onto a partial with a decided seam.
 * @returns the stitched text (the partial is always its prefix)
 */
export function applySeam(partial: string, continuation: string, seam: Seam): string {
  return partial + seam.joiner + continuation.slice(seam.skip);
}
