import { describe, expect, it } from 'vitest';
import {
  applySeam,
  chooseStrategy,
  continuationTurns,
  findSeam,
  insideOpenFence,
  isPrefillRejection,
  prefillSupported,
  type ContinuationStrategy,
} from '../../src/domain/continuation.js';

/** Streams `cont` into the seam finder char by char, as deltas would arrive; returns the joined text. */
function stitchStreamed(partial: string, cont: string, strategy: ContinuationStrategy): string {
  for (let i = 0; i <= cont.length; i++) {
    const seam = findSeam(partial, cont.slice(0, i), strategy, false);
    if (seam.decided) {
      const final = findSeam(partial, cont, strategy, true);
      // Once decided the seam never changes: what was shown only grows.
      expect(seam).toEqual(final);
      return applySeam(partial, cont, seam);
    }
  }
  return applySeam(partial, cont, findSeam(partial, cont, strategy, true));
}

describe('which strategy a model gets (docs/PROTOCOL.md §7)', () => {
  it('prefill only for models up to the 4.5 generation', () => {
    for (const m of [
      'claude-haiku-4-5',
      'claude-haiku-4-5-20251001',
      'claude-sonnet-4-5',
      'claude-opus-4-5-20251101',
      'claude-3-7-sonnet-latest',
    ]) {
      expect(prefillSupported(m)).toBe(true);
    }
    for (const m of [
      'claude-sonnet-4-6',
      'claude-opus-4-6',
      'claude-opus-4-8',
      'claude-sonnet-5',
      'claude-opus-5-5',
      'claude-haiku-5-5',
      'claude-fable-5-1',
      'inkwell-demo',
    ]) {
      expect(prefillSupported(m)).toBe(false);
    }
  });

  it('never prefill with thinking on, or for a model that rejected it before', () => {
    expect(chooseStrategy('claude-haiku-4-5', false, new Set())).toBe('prefill');
    expect(chooseStrategy('claude-haiku-4-5', true, new Set())).toBe('user_turn');
    expect(chooseStrategy('claude-haiku-4-5', false, new Set(['claude-haiku-4-5']))).toBe('user_turn');
  });

  it('recognises the real prefill 400 message', () => {
    expect(
      isPrefillRejection('This model does not support assistant message prefill. The conversation must end with a user message.'),
    ).toBe(true);
    expect(isPrefillRejection('prompt is too long: 1073758 tokens > 1000000 maximum')).toBe(false);
  });
});

describe('the turns sent to continue', () => {
  it('prefill: the partial right-trimmed as the final assistant turn', () => {
    expect(continuationTurns('Hello there.\n\n', 'prefill')).toEqual([{ role: 'assistant', content: 'Hello there.' }]);
  });

  it('user turn: the partial as it is, then an instruction quoting its tail', () => {
    const turns = continuationTurns('Some text that stops mid-wor', 'user_turn');
    expect(turns[0]).toEqual({ role: 'assistant', content: 'Some text that stops mid-wor' });
    expect(turns[1]?.role).toBe('user');
    expect(turns[1]?.content).toContain('Some text that stops mid-wor');
    expect(turns[1]?.content).toMatch(/Continue exactly/);
  });

  it('an empty partial adds nothing: the prompt is asked again', () => {
    expect(continuationTurns('  \n', 'user_turn')).toEqual([]);
  });
});

describe('stitching the seam', () => {
  it('a cut inside a word: the restated word is not doubled', () => {
    expect(stitchStreamed('The quick bro', 'brown fox jumps.', 'user_turn')).toBe('The quick brown fox jumps.');
    expect(stitchStreamed('The quick bro', 'wn fox jumps.', 'user_turn')).toBe('The quick brown fox jumps.');
  });

  it('a cut inside a sentence: a restated phrase is dropped', () => {
    expect(stitchStreamed('It works well. Then the parser', 'Then the parser stops at the end.', 'user_turn')).toBe(
      'It works well. Then the parser stops at the end.',
    );
  });

  it('a cut inside a list: the list goes on as the same list', () => {
    expect(stitchStreamed('- one\n- two\n- th', '- three\n- four\n', 'user_turn')).toBe('- one\n- two\n- three\n- four\n');
  });

  it('a cut inside a table row', () => {
    const partial = '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 ';
    expect(stitchStreamed(partial, '| 3 | 4 |\n', 'user_turn')).toBe('| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n');
  });

  it('a cut inside a code fence: a re-opened fence is removed, the block stays one block', () => {
    const partial = 'Here:\n\n```ts\nconst a = 1;\n';
    expect(insideOpenFence(partial)).toBe(true);
    expect(stitchStreamed(partial, '```ts\nconst b = 2;\n```\n', 'user_turn')).toBe('Here:\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n');
    // Not inside a fence: a fence at the start is real content.
    expect(stitchStreamed('Done.\n\n', '```sh\nls\n```\n', 'user_turn')).toBe('Done.\n\n```sh\nls\n```\n');
  });

  it('no false overlap on a lone letter or mid-word coincidence', () => {
    expect(stitchStreamed('I saw a', 'a bird.', 'user_turn')).toBe('I saw aa bird.');
    expect(stitchStreamed('The cat sat on the mat', 'tress was soft.', 'user_turn')).toBe('The cat sat on the mattress was soft.');
  });

  it('prefill: nothing is restated; trimmed whitespace comes back once', () => {
    expect(stitchStreamed('Hello world.\n\n', 'Next paragraph.', 'prefill')).toBe('Hello world.\n\nNext paragraph.');
    expect(stitchStreamed('Hello world.\n\n', '\n\nNext paragraph.', 'prefill')).toBe('Hello world.\n\nNext paragraph.');
    expect(stitchStreamed('foo ', 'bar', 'prefill')).toBe('foo bar');
    expect(stitchStreamed('foo', ' bar', 'prefill')).toBe('foo bar');
  });

  it('waits while the start of the continuation could still be a restatement', () => {
    const partial = 'alpha beta gamma';
    expect(findSeam(partial, 'gam', 'user_turn', false).decided).toBe(false);
    const seam = findSeam(partial, 'gamma delta', 'user_turn', false);
    expect(seam.decided).toBe(true);
    expect(applySeam(partial, 'gamma delta', seam)).toBe('alpha beta gamma delta');
    // Text that cannot be a restatement is decided at once.
    expect(findSeam(partial, 'Z', 'user_turn', false).decided).toBe(true);
  });
});

describe('prefill seam: whitespace is compared by character, not counted', () => {
  it('an indented continuation after a blank line keeps all its indentation', () => {
    // The partial ends in "\n\n" (trimmed before sending); the model goes on with one newline and
    // a four-space indent. Only the shared "\n" is dropped: the indent stays four spaces.
    expect(stitchStreamed('Here:\n\n', '\n    indented code\n', 'prefill')).toBe('Here:\n\n    indented code\n');
    expect(stitchStreamed('def f():\n\n', '\n    return 1\n', 'prefill')).toBe('def f():\n\n    return 1\n');
  });

  it('a trailing space and a continuation that starts a new line: nothing of the new line is eaten', () => {
    expect(stitchStreamed('Look: ', '\n    x = 1', 'prefill')).toBe('Look: \n    x = 1');
  });

  it('a cut inside an indentation: the rest of it comes once', () => {
    expect(stitchStreamed('def f():\n  ', '\n    return 1', 'prefill')).toBe('def f():\n    return 1');
  });
});
