import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/types.js';
import { copyItems, itemRow, rawReplyText } from '../../src/ui/copy-picker.js';

const reply = (id: string, text: string, citations: unknown[] = []): Message =>
  ({ role: 'assistant', id, status: 'complete', content: [{ type: 'text', text, citations }] }) as unknown as Message;
const user = (id: string): Message => ({ role: 'user', id, text: 'q', createdAt: 0 });

describe('copyItems', () => {
  it('offers the last replies with text, newest numbered 1: the whole reply, then each block, then its sources', () => {
    const messages = [
      user('u0'),
      reply('a0', 'too old'),
      user('u1'),
      reply('a1', 'first'),
      user('u2'),
      reply('a2', ''),
      user('u3'),
      reply('a3', 'one\n\n```js\nx()\n```', [{ type: 'web_search_result_location', url: 'https://a.example', title: 'A' }]),
    ];
    const items = copyItems(messages, 2);
    expect(items.map((i) => `${i.reply} ${i.kind}`)).toEqual(['2 reply', '2 paragraph', '1 reply', '1 paragraph', '1 code', '1 sources']);
    expect(items[2]!.block).toEqual({ markdown: 'one\n\n```js\nx()\n```', plain: 'one\n\nx()', language: '' });
    expect(items[5]!.block.plain).toBe('A — https://a.example');
  });

  it('rows show a label and the plain text on one line, model escapes made visible, cut to the width', () => {
    const [, para] = copyItems([reply('a', 'evil \x1b]52;c;AAAA\x07 text that goes on and on')]);
    const row = itemRow(para!, 40);
    expect(row).not.toContain('\x1b');
    expect(row).toMatch(/^#1 paragraph +evil ␛/);
    expect(row.length).toBeLessThanOrEqual(40);
  });
});

describe('rawReplyText', () => {
  it('is the last reply with text, as written, escapes made visible; null without one', () => {
    expect(rawReplyText([reply('a', 'x **y**\n\n- z\n\n'), reply('b', ' ')])).toBe('x **y**\n\n- z');
    expect(rawReplyText([reply('a', 'bell\x07')])).toBe('bell␇');
    expect(rawReplyText([user('u')])).toBeNull();
  });
});
