import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/api/errors.js';
import { failureJson, printMessage, stringifyVisible } from '../../src/main/print-output.js';

describe('stringifyVisible', () => {
  it('escapes DEL, C1, bidi, zero-width and separator characters; the JSON value is unchanged', () => {
    const value = { text: 'a\u007f\u0085\u009b\u061c\u200b\u200e\u202e\u2028\u2066\u2069\u2060\ufeffz', plain: 'é ü 日本 🙂' };
    const out = stringifyVisible(value, 2);
    expect(out).not.toMatch(/[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/);
    expect(out).toContain('a\\u007f\\u0085\\u009b\\u061c\\u200b\\u200e\\u202e\\u2028\\u2066\\u2069\\u2060\\ufeffz');
    expect(out).toContain('é ü 日本 🙂');
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('printMessage', () => {
  it('turns every chat-command hint of a failure into a command-line one', () => {
    const kinds = [
      describeFailure(Object.assign(new Error('terminated'), {}), undefined, true),
      describeFailure(Object.assign(new Error('terminated'), {}), undefined, false),
    ];
    for (const f of kinds) {
      const m = printMessage(f.message);
      expect(m).not.toMatch(/\/(retry|continue|new)\b/);
      expect(m).toMatch(/run the command again/);
    }
    expect(printMessage('Rate limited (429). /retry asks again.')).toBe('Rate limited (429). Run the command again to retry.');
    expect(printMessage('Too long. Start a new conversation with /new.')).toBe('Too long. Start a new session: run it without -c / -r.');
    expect(printMessage('Unknown hint. Try /continue later. Kept.')).toBe('Unknown hint. Kept.');
  });

  it('failureJson is shaped like the API error body, with the partial reply', () => {
    const f = describeFailure(new Error('terminated'), undefined, true);
    expect(failureJson(f, { id: 'msg_1' })).toMatchObject({
      type: 'error',
      error: { type: 'stream_cut', status: null },
      request_id: null,
      partial: { id: 'msg_1' },
    });
  });
});
