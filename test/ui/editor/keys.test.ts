import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { editorCommandsFor, editorHandlesKey, normalizeModifiedEnter, typedChunkCommands } from '../../../src/ui/editor/keys.js';

const key = (flags: Partial<Key> = {}): Key => ({
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
  ...flags,
});
const types = (input: string, flags: Partial<Key> = {}, hasText = true) =>
  editorCommandsFor(input, key(flags), hasText)?.map((c) => c.type) ?? null;

describe('key map', () => {
  it('leaves the App its keys: Esc, Ctrl+C, Tab, PageUp/PageDown, Shift+↑/↓', () => {
    expect(types('', { escape: true })).toBeNull();
    expect(types('c', { ctrl: true })).toBeNull();
    expect(types('', { tab: true })).toBeNull();
    expect(types('', { tab: true, shift: true })).toBeNull();
    expect(types('', { pageUp: true })).toBeNull();
    expect(types('', { pageDown: true })).toBeNull();
    expect(types('', { upArrow: true, shift: true })).toBeNull();
    expect(types('', { downArrow: true, shift: true })).toBeNull();
  });

  it('Home/End are the editor’s only while the prompt has text', () => {
    expect(editorHandlesKey('', key({ home: true }), '')).toBe(false);
    expect(editorHandlesKey('', key({ end: true }), '')).toBe(false);
    expect(editorHandlesKey('', key({ home: true }), 'x')).toBe(true);
    expect(types('', { end: true, ctrl: true })).toEqual(['text-end']);
    expect(editorHandlesKey('', key({ pageUp: true }), 'x')).toBe(false);
  });

  it('Enter sends; Enter with Alt, Shift or Ctrl inserts a newline', () => {
    expect(types('', { return: true })).toEqual(['submit']);
    expect(types('\r', { return: true })).toEqual(['submit']); // kitty protocol: input is "\r"
    expect(types('', { return: true, meta: true })).toEqual(['newline']);
    expect(types('\r', { return: true, shift: true })).toEqual(['newline']);
    expect(types('\r', { return: true, ctrl: true })).toEqual(['newline']);
  });

  it('Ctrl+J inserts a newline in both of its forms', () => {
    expect(types('\n')).toEqual(['newline']); // legacy LF
    expect(types('j', { ctrl: true })).toEqual(['newline']); // kitty CSI 106;5u
  });

  it('unbound Ctrl, Alt and Cmd combinations type nothing', () => {
    expect(types('l', { ctrl: true })).toBeNull();
    expect(types('x', { meta: true })).toBeNull();
    expect(types('v', { super: true })).toBeNull();
    expect(types('', { eventType: 'release', return: true })).toBeNull();
  });

  it('Ctrl+D deletes forward with text and is left alone on an empty prompt', () => {
    expect(types('d', { ctrl: true })).toEqual(['delete']);
    expect(types('d', { ctrl: true }, false)).toBeNull();
  });

  it('a typed chunk: CR is Enter, LF is a newline, the rest is text', () => {
    expect(typedChunkCommands('hello\r')).toEqual([{ type: 'insert', text: 'hello' }, { type: 'submit' }]);
    expect(typedChunkCommands('a\r\nb\nc')).toEqual([
      { type: 'insert', text: 'a' },
      { type: 'submit' },
      { type: 'insert', text: 'b' },
      { type: 'newline' },
      { type: 'insert', text: 'c' },
    ]);
  });

  it('control characters inside a chunk are their Ctrl keys (a held Ctrl+U arrives as "\\x15\\x15")', () => {
    expect(typedChunkCommands('\x15\x15ab\x17\x01')).toEqual([
      { type: 'delete-to-line-start' },
      { type: 'delete-to-line-start' },
      { type: 'insert', text: 'ab' },
      { type: 'delete-whitespace-word-backward' },
      { type: 'line-start' },
    ]);
    expect(typedChunkCommands('a\tb\x0c')).toEqual([{ type: 'insert', text: 'a\tb' }]); // tab stays text, Ctrl+L is not ours
  });

  it('xterm modifyOtherKeys Enter is rewritten to the kitty form Ink understands', () => {
    expect(normalizeModifiedEnter('a\x1b[27;2;13~b\x1b[27;3;13~')).toBe('a\x1b[13;2ub\x1b[13;3u');
    expect(normalizeModifiedEnter('\x1b[27;5;9~plain')).toBe('\x1b[27;5;9~plain');
  });
});
