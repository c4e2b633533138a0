import { describe, expect, it } from 'vitest';
import {
  deleteBackward,
  deleteForward,
  deleteToLineEnd,
  deleteToLineStart,
  deleteWhitespaceWordBackward,
  deleteWordBackward,
  deleteWordForward,
  editorHeight,
  editorWith,
  emptyEditor,
  insertNewline,
  insertText,
  layoutEditor,
  moveDown,
  moveLeft,
  moveLineEnd,
  moveLineStart,
  moveRight,
  moveTextEnd,
  moveTextStart,
  moveUp,
  moveWordLeft,
  moveWordRight,
  sanitizeInput,
  scrollToCaret,
  snapToBoundary,
  textColumns,
  wrapRows,
  type EditorState,
} from '../../../src/ui/editor/state.js';

/** Applies `op` n times. */
const times = (s: EditorState, n: number, op: (s: EditorState) => EditorState) => {
  for (let i = 0; i < n; i++) s = op(s);
  return s;
};
/** The text with a "|" at the caret, for readable expectations. */
const show = (s: EditorState) => s.text.slice(0, s.caret) + '|' + s.text.slice(s.caret);
/** An editor from "ab|c" notation. */
const at = (marked: string) => editorWith(marked.replace('|', ''), marked.indexOf('|'));
const up = (s: EditorState, width = 80) => {
  const r = moveUp(s, width);
  if (r === 'history-prev') throw new Error('unexpected history-prev');
  return r;
};
const down = (s: EditorState, width = 80) => {
  const r = moveDown(s, width);
  if (r === 'history-next') throw new Error('unexpected history-next');
  return r;
};

describe('editor model: graphemes', () => {
  const family = '👨‍👩‍👧'; // 8 UTF-16 units, one grapheme
  it('left/right step over a whole emoji ZWJ sequence, never into its surrogates', () => {
    let s = editorWith(`a${family}b`);
    s = moveLeft(s);
    expect(show(s)).toBe(`a${family}|b`);
    s = moveLeft(s);
    expect(show(s)).toBe(`a|${family}b`);
    s = moveRight(s);
    expect(s.caret).toBe(1 + family.length);
  });

  it('backspace removes a whole emoji, flag or accented letter', () => {
    expect(deleteBackward(editorWith(`x${family}`)).text).toBe('x');
    expect(deleteBackward(editorWith('🇯🇵🇺🇸')).text).toBe('🇯🇵');
    expect(deleteBackward(editorWith('cafe\u0301')).text).toBe('caf');
    expect(deleteForward(at('|e\u0301x')).text).toBe('x');
  });

  it('backspace at the start and delete at the end change nothing', () => {
    expect(deleteBackward(at('|abc'))).toEqual(at('|abc'));
    expect(deleteForward(at('abc|'))).toEqual(at('abc|'));
  });

  it('a caret given inside a cluster is snapped to its boundary', () => {
    const text = `a${family}`;
    expect(editorWith(text, 3).caret).toBe(1);
    expect(snapToBoundary(text, 3, 'after')).toBe(text.length);
    expect(snapToBoundary('ab', 99)).toBe(2);
  });

  it('left and right cross line breaks one character at a time', () => {
    let s = at('ab\n|cd');
    s = moveLeft(s);
    expect(show(s)).toBe('ab|\ncd');
    s = moveRight(moveRight(s));
    expect(show(s)).toBe('ab\nc|d');
  });
});

describe('editor model: typing', () => {
  it('inserts at the caret and moves the caret after the insertion', () => {
    let s = insertText(emptyEditor, 'hello');
    s = times(s, 2, moveLeft);
    s = insertText(s, 'XY');
    expect(show(s)).toBe('helXY|lo');
  });

  it('a newline splits the line at the caret', () => {
    expect(show(insertNewline(at('ab|cd')))).toBe('ab\n|cd');
  });

  it('pasted CRLF and CR become LF; escape sequences and control characters are dropped; tabs stay', () => {
    expect(sanitizeInput('a\r\nb\rc\x1b[31mred\x1b[0m\x07\x00\td')).toBe('a\nb\ncred\td');
    expect(insertText(emptyEditor, 'one\r\ntwo').text).toBe('one\ntwo');
    expect(insertText(emptyEditor, '\x1b]8;;http://x\x07link\x1b]8;;\x07').text).toBe('link');
  });

  it('a combining mark typed after a letter joins it; the caret stays after the cluster', () => {
    const s = insertText(at('e|'), '\u0301');
    expect(s.caret).toBe(2);
    expect(moveLeft(s).caret).toBe(0);
  });
});

describe('editor model: words and line kills', () => {
  it('word left/right stop at word starts and ends, skipping punctuation and spaces', () => {
    let s = at('hello, wide world|');
    s = moveWordLeft(s);
    expect(show(s)).toBe('hello, wide |world');
    s = moveWordLeft(s);
    expect(show(s)).toBe('hello, |wide world');
    s = moveWordLeft(moveWordLeft(s));
    expect(show(s)).toBe('|hello, wide world');
    s = moveWordRight(s);
    expect(show(s)).toBe('hello|, wide world');
    s = moveWordRight(s);
    expect(show(s)).toBe('hello, wide| world');
    expect(show(moveWordRight(at('hello, wide world|')))).toBe('hello, wide world|');
  });

  it('word jumps inside CJK text follow dictionary word boundaries', () => {
    expect(show(moveWordLeft(at('你好世界|')))).toBe('你好|世界');
  });

  it('word jumps treat identifiers and dotted names as one word, as UAX #29 does', () => {
    expect(show(moveWordLeft(at('call _private|')))).toBe('call |_private');
    expect(show(moveWordLeft(at('see e.g.|')))).toBe('see |e.g.');
    expect(show(moveWordRight(at('|snake_case x')))).toBe('snake_case| x');
  });

  it('word jumps cross line breaks', () => {
    expect(show(moveWordLeft(at('one two\n|three')))).toBe('one |two\nthree');
    expect(show(moveWordRight(at('one two|\n\n  three four')))).toBe('one two\n\n  three| four');
  });

  it('Alt+Backspace deletes the word before the caret, Alt+D the word after', () => {
    expect(show(deleteWordBackward(at('say path/to/file|')))).toBe('say path/to/|');
    expect(show(deleteWordBackward(at('say hello |')))).toBe('say |');
    expect(show(deleteWordForward(at('say| hello there')))).toBe('say| there');
  });

  it('Ctrl+W deletes back to whitespace, like readline: a whole URL goes in one press', () => {
    expect(show(deleteWhitespaceWordBackward(at('see https://x.io/a?b=c|')))).toBe('see |');
    expect(show(deleteWhitespaceWordBackward(at('foo bar   |')))).toBe('foo |');
    expect(show(deleteWhitespaceWordBackward(at('foo bar|baz')))).toBe('foo |baz');
    expect(show(deleteWhitespaceWordBackward(at('one\n|two')))).toBe('|two');
    expect(show(deleteWhitespaceWordBackward(at('|x')))).toBe('|x');
  });

  it('Ctrl+U deletes to the line start, then the line break before it', () => {
    let s = at('ab\ncd|ef');
    s = deleteToLineStart(s);
    expect(show(s)).toBe('ab\n|ef');
    s = deleteToLineStart(s);
    expect(show(s)).toBe('ab|ef');
    expect(show(deleteToLineStart(at('|ab')))).toBe('|ab');
  });

  it('Ctrl+K deletes to the line end, then joins the next line', () => {
    let s = at('ab|cd\nef');
    s = deleteToLineEnd(s);
    expect(show(s)).toBe('ab|\nef');
    s = deleteToLineEnd(s);
    expect(show(s)).toBe('ab|ef');
    expect(show(deleteToLineEnd(at('ab|')))).toBe('ab|');
  });

  it('Home/End and Ctrl+A/E go to the ends of the logical line; Ctrl+Home/End to the ends of the text', () => {
    const s = at('one\ntw|o\nthree');
    expect(show(moveLineStart(s))).toBe('one\n|two\nthree');
    expect(show(moveLineEnd(s))).toBe('one\ntwo|\nthree');
    expect(show(moveTextStart(s))).toBe('|one\ntwo\nthree');
    expect(show(moveTextEnd(s))).toBe('one\ntwo\nthree|');
  });
});

describe('editor model: layout', () => {
  it('an empty editor is one empty row with the caret at column 0', () => {
    expect(layoutEditor(emptyEditor, 10)).toEqual({ rows: [''], caretRow: 0, caretCol: 0 });
  });

  it('wide CJK characters take two columns and never straddle a row end', () => {
    const l = layoutEditor(editorWith('你好世界'), 5);
    expect(l.rows).toEqual(['你好', '世界']);
    expect(l).toMatchObject({ caretRow: 1, caretCol: 4 });
    expect(layoutEditor(at('你|好世界'), 5)).toMatchObject({ caretRow: 0, caretCol: 2 });
    expect(layoutEditor(at('你好|世界'), 5)).toMatchObject({ caretRow: 1, caretCol: 0 });
  });

  it('emoji count two columns; combining marks none', () => {
    expect(textColumns('👍a')).toBe(3);
    expect(textColumns('👨‍👩‍👧')).toBe(2);
    expect(textColumns('e\u0301')).toBe(1);
    expect(layoutEditor(editorWith('a👍e\u0301'), 20)).toMatchObject({ caretRow: 0, caretCol: 4 });
  });

  it('words wrap whole; the caret at a wrap point is drawn at the start of the next row', () => {
    expect(layoutEditor(at('hello |world'), 8)).toEqual({ rows: ['hello ', 'world'], caretRow: 1, caretCol: 0 });
    expect(layoutEditor(at('hello| world'), 8)).toMatchObject({ caretRow: 0, caretCol: 5 });
  });

  it('a word longer than the row is cut between characters', () => {
    expect(wrapRows('abcdefghij', 4).map((r) => [r.start, r.end])).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(layoutEditor(editorWith('abcdefghij'), 4).rows).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('a line that exactly fills its row gets an empty row for the caret after it, wherever the caret is', () => {
    expect(layoutEditor(editorWith('abcde'), 5)).toEqual({ rows: ['abcde', ''], caretRow: 1, caretCol: 0 });
    expect(layoutEditor(at('abcd|e'), 5)).toEqual({ rows: ['abcde', ''], caretRow: 0, caretCol: 4 });
  });

  it('line breaks start new rows; empty lines are rows too', () => {
    expect(layoutEditor(at('ab\n\n|cd'), 10)).toEqual({ rows: ['ab', '', 'cd'], caretRow: 2, caretCol: 0 });
    expect(layoutEditor(at('ab|\n\ncd'), 10)).toMatchObject({ caretRow: 0, caretCol: 2 });
    expect(layoutEditor(at('ab\n|\ncd'), 10)).toMatchObject({ caretRow: 1, caretCol: 0 });
  });

  it('the same line wraps afresh at another width (rows are remembered per line and width)', () => {
    const s = editorWith('alpha beta gamma delta');
    expect(layoutEditor(s, 12).rows).toEqual(['alpha beta ', 'gamma delta']);
    expect(layoutEditor(s, 8).rows).toEqual(['alpha ', 'beta ', 'gamma ', 'delta']);
    expect(layoutEditor(s, 12).rows).toEqual(['alpha beta ', 'gamma delta']);
    expect(layoutEditor(editorWith('alpha beta gamma delta\nalpha beta gamma delta'), 12).rows).toHaveLength(4);
  });

  it('tabs are drawn as four spaces and count four columns', () => {
    expect(layoutEditor(editorWith('\tx'), 20)).toEqual({ rows: ['    x'], caretRow: 0, caretCol: 5 });
  });

  it('the height is the wrapped row count, at least 1, at most maxRows', () => {
    expect(editorHeight('', 10, 5)).toBe(1);
    expect(editorHeight('a\nb\nc', 10, 5)).toBe(3);
    expect(editorHeight('abcdefghij', 4, 5)).toBe(3);
    expect(editorHeight('1\n2\n3\n4\n5\n6\n7', 10, 5)).toBe(5);
  });

  it('scrolling moves as little as possible to keep the caret visible', () => {
    expect(scrollToCaret(0, 2, 10, 3)).toBe(0);
    expect(scrollToCaret(0, 3, 10, 3)).toBe(1);
    expect(scrollToCaret(5, 4, 10, 3)).toBe(4);
    expect(scrollToCaret(5, 6, 10, 3)).toBe(5);
    expect(scrollToCaret(9, 9, 4, 3)).toBe(1); // text shrank
  });
});

describe('editor model: up and down', () => {
  it('move by visual column between lines and remember the column across a short line', () => {
    let s = at('abc\nx\nabcdef|');
    s = up(s);
    expect(show(s)).toBe('abc\nx|\nabcdef');
    s = up(s);
    expect(show(s)).toBe('abc|\nx\nabcdef');
    s = down(down(s));
    expect(show(s)).toBe('abc\nx\nabcdef|');
    expect(show(up(at('abc\nx\nab|cdef')))).toBe('abc\nx|\nabcdef');
  });

  it('signal history on the first and last row', () => {
    expect(moveUp(at('a|bc\ndef'), 80)).toBe('history-prev');
    expect(moveDown(at('abc\nd|ef'), 80)).toBe('history-next');
    expect(moveUp(emptyEditor, 80)).toBe('history-prev');
    expect(moveDown(emptyEditor, 80)).toBe('history-next');
  });

  it('walk the rows of a soft-wrapped line before reaching the history', () => {
    let s = editorWith('abcdefgh'); // rows: abcd | efgh | (caret row)
    expect(layoutEditor(s, 4).caretRow).toBe(2);
    s = up(s, 4);
    expect(show(s)).toBe('abcd|efgh');
    s = up(s, 4);
    expect(show(s)).toBe('|abcdefgh');
    expect(moveUp(s, 4)).toBe('history-prev');
  });

  it('never land inside a wide character: a column in its middle goes before it', () => {
    // caret at column 3 of "abcd"; the row above has 你 (0–1) and 好 (2–3)
    expect(show(up(at('你好\nabc|d')))).toBe('你|好\nabcd');
    expect(show(down(at('a|bc\n你好')))).toBe('abc\n|你好');
  });

  it('on a wrapped row the caret stops before the row end (which belongs to the next row)', () => {
    // rows: "hello " | "world"; from the end of "world" (col 5) up to col 5 of "hello " = before the space
    expect(show(up(at('hello world|'), 8))).toBe('hello| world');
    // rows: "abcd" | "ef"; col 9 does not exist above: stop before "d", not after it
    expect(show(up(at('abcdef|'), 4))).toBe('ab|cdef');
    expect(show(down(at('abc|def'), 4))).toBe('abcdef|');
  });

  it('any other edit forgets the remembered column', () => {
    const s = up(at('abc\nx\nabcdef|'));
    expect(s.goalColumn).toBe(6);
    expect(moveLeft(s).goalColumn).toBeNull();
    expect(insertText(s, 'y').goalColumn).toBeNull();
  });
});
