import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Box, render as inkRender, Text, useInput } from 'ink';
import { render } from 'ink-testing-library';
import { useState } from 'react';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { editorHandlesKey, normalizeModifiedEnter } from '../../../src/ui/editor/keys.js';
import { PromptEditor, type PromptEditorProps } from '../../../src/ui/editor/PromptEditor.js';

const mounted: Array<{ unmount: () => void }> = [];
const dirs: string[] = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});
afterAll(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-editor-test-'));
  dirs.push(dir);
  return dir;
};

const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not met in time: ${what}`);
    await tick(10);
  }
}

/** Waits for a rendered frame to equal `expected` (renders can lag on a loaded machine), then asserts it. */
async function expectFrame(ui: { lastFrame: () => string | undefined }, expected: string): Promise<void> {
  await until(() => ui.lastFrame() === expected, `frame ${JSON.stringify(expected)}`).catch(() => undefined);
  expect(ui.lastFrame()).toBe(expected);
}

/** Mounts the editor; `accept` decides what onSubmit returns. */
function mount(over: Partial<PromptEditorProps> = {}, accept = true) {
  const submitted: string[] = [];
  const changes: string[] = [];
  const notices: string[] = [];
  const props: PromptEditorProps = {
    onSubmit: (t) => {
      submitted.push(t);
      return accept;
    },
    placeholder: 'Ask Claude…',
    width: 40,
    maxRows: 5,
    historyFile: null,
    isActive: true,
    originRow: 0,
    onChange: (t) => changes.push(t),
    onNotice: (n) => notices.push(n),
    ...over,
  };
  const ui = render(<PromptEditor {...props} />);
  mounted.push(ui);
  const frame = () => ui.lastFrame() ?? '';
  const last = () => changes.at(-1) ?? '';
  /** Writes raw terminal input, one chunk per read, letting Ink parse each and React commit. */
  const press = async (...chunks: string[]) => {
    await tick(); // the input listeners attach in an effect after mount
    for (const c of chunks) {
      ui.stdin.write(c);
      await tick();
    }
  };
  /** Waits for the frame to show `expected` (renders can lag a loaded machine), then asserts it. */
  const frameIs = (expected: string) => expectFrame(ui, expected);
  return { ui, frame, frameIs, press, submitted, changes, notices, last };
}

const KEY = {
  enter: '\r',
  altEnter: '\x1b\r',
  ctrlJ: '\n',
  shiftEnterKitty: '\x1b[13;2u',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  home: '\x1b[H',
  end: '\x1b[F',
  ctrlLeft: '\x1b[1;5D',
  altB: '\x1bb',
  altF: '\x1bf',
  ctrlA: '\x01',
  ctrlE: '\x05',
  ctrlW: '\x17',
  ctrlU: '\x15',
  ctrlK: '\x0b',
  ctrlG: '\x07',
  backspace: '\x7f',
  tab: '\t',
  paste: (s: string) => `\x1b[200~${s}\x1b[201~`,
};

describe('<PromptEditor> typing and sending', () => {
  it('shows the placeholder when empty, then the typed text after the prompt mark', async () => {
    const e = mount();
    await tick();
    await e.frameIs('› Ask Claude…');
    await e.press('hello 你好');
    await e.frameIs('› hello 你好');
    expect(e.last()).toBe('hello 你好');
  });

  it('Enter sends the text and clears the editor', async () => {
    const e = mount();
    await e.press('hi there', KEY.enter);
    expect(e.submitted).toEqual(['hi there']);
    await e.frameIs('› Ask Claude…');
    expect(e.last()).toBe('');
  });

  it('when onSubmit returns false the text stays', async () => {
    const e = mount({}, false);
    await e.press('abc', KEY.enter);
    expect(e.submitted).toEqual(['abc']);
    await e.frameIs('› abc');
    await e.press('d');
    expect(e.last()).toBe('abcd');
  });

  it('"abc\\r" arriving as one chunk (fast typing, tmux send-keys) sends "abc"', async () => {
    const e = mount();
    await e.press('abc\r');
    expect(e.submitted).toEqual(['abc']);
    await e.frameIs('› Ask Claude…');
  });

  it('a CR inside a typed chunk is Enter too: "one\\rtwo" sends "one" and keeps "two"', async () => {
    const e = mount();
    await e.press('one\rtwo');
    expect(e.submitted).toEqual(['one']);
    await e.frameIs('› two');
  });

  it('Alt+Enter, Ctrl+J and kitty Shift+Enter insert newlines and never send', async () => {
    const e = mount();
    await e.press('a', KEY.altEnter, 'b', KEY.ctrlJ, 'c', KEY.shiftEnterKitty, 'd');
    expect(e.submitted).toEqual([]);
    expect(e.last()).toBe('a\nb\nc\nd');
    await e.frameIs('› a\n  b\n  c\n  d');
    await e.press(KEY.enter);
    expect(e.submitted).toEqual(['a\nb\nc\nd']);
  });

  it('xterm modifyOtherKeys Shift+Enter is dropped by Ink as it comes, and is a newline once normalised', async () => {
    const e = mount();
    await e.press('a', '\x1b[27;2;13~', 'b');
    expect(e.last()).toBe('ab'); // Ink swallowed it: no newline, no send, no stray text
    await e.press(normalizeModifiedEnter('\x1b[27;2;13~'), 'c');
    expect(e.last()).toBe('ab\nc');
    expect(e.submitted).toEqual([]);
  });

  it('a bracketed paste with newlines arrives whole and never sends, even with CRs in it', async () => {
    const e = mount();
    await e.press('x', KEY.paste('line one\r\nline two\rline three\r'));
    expect(e.submitted).toEqual([]);
    expect(e.last()).toBe('xline one\nline two\nline three\n');
    expect(e.changes).toEqual(['x', 'xline one\nline two\nline three\n']); // one change for the whole paste
    await e.press(KEY.enter);
    expect(e.submitted).toEqual(['xline one\nline two\nline three\n']);
  });

  it('a paste of coloured text loses the colour codes', async () => {
    const e = mount();
    await e.press(KEY.paste('\x1b[31mred\x1b[0m'));
    expect(e.last()).toBe('red');
  });
});

describe('<PromptEditor> editing keys', () => {
  it('arrows, Home/End, Ctrl+A/E move the caret where the next character goes', async () => {
    const e = mount();
    await e.press('bcd', KEY.left, KEY.left, 'X');
    expect(e.last()).toBe('bXcd');
    await e.press(KEY.home, 'a', KEY.end, 'e');
    expect(e.last()).toBe('abXcde');
    await e.press(KEY.ctrlA, '<', KEY.ctrlE, '>');
    expect(e.last()).toBe('<abXcde>');
    await e.press(KEY.right, KEY.backspace);
    expect(e.last()).toBe('<abXcde');
  });

  it('word jumps: Ctrl+←, Alt+B, Alt+F', async () => {
    const e = mount();
    await e.press('one two three', KEY.ctrlLeft, '_');
    expect(e.last()).toBe('one two _three');
    await e.press(KEY.altB, KEY.altB, '^');
    expect(e.last()).toBe('one ^two _three');
    await e.press(KEY.altF, '$');
    expect(e.last()).toBe('one ^two$ _three');
  });

  it('Ctrl+W deletes the word before the caret, Ctrl+U to the line start, Ctrl+K to the line end', async () => {
    const e = mount();
    await e.press('keep see https://x.io/a', KEY.ctrlW);
    expect(e.last()).toBe('keep see ');
    await e.press('this gone', '\x1b\x7f'); // Alt+Backspace: one word, not up to the space
    expect(e.last()).toBe('keep see this ');
    await e.press(KEY.ctrlA, KEY.right, KEY.right, KEY.ctrlK);
    expect(e.last()).toBe('ke');
    await e.press(KEY.ctrlU);
    expect(e.last()).toBe('');
  });

  it('Ctrl keys that arrive together in one read all take effect', async () => {
    const e = mount();
    await e.press('one two\nthree four', '\x17\x17\x15');
    expect(e.last()).toBe('one two');
  });

  it('Esc, Tab, Ctrl+C and PageUp reach the App and do nothing to the text', async () => {
    const seen: string[] = [];
    function Parent() {
      useInput((input, key) => {
        if (key.escape) seen.push('esc');
        if (key.tab) seen.push('tab');
        if (key.ctrl && input === 'c') seen.push('ctrl-c');
        if (key.pageUp) seen.push('page-up');
      });
      return (
        <PromptEditor onSubmit={() => true} placeholder="…" width={30} maxRows={3} historyFile={null} isActive originRow={0} value="abc" />
      );
    }
    const ui = render(<Parent />);
    mounted.push(ui);
    await tick();
    for (const k of [KEY.tab, '\x03', '\x1b[5~', '\x1b']) {
      ui.stdin.write(k);
      await tick(50); // a lone ESC is flushed after Ink's 20 ms escape timeout
    }
    expect(seen).toEqual(['tab', 'ctrl-c', 'page-up', 'esc']);
    await expectFrame(ui, '› abc');
  });

  it('Backspace over an emoji removes it whole', async () => {
    const e = mount();
    await e.press('ok👨‍👩‍👧', KEY.backspace);
    expect(e.last()).toBe('ok');
  });

  it('keys claimed by interceptKey (an open completion menu) never reach the editor', async () => {
    const claimed: string[] = [];
    const e = mount({
      interceptKey: (_input, key) => {
        if (key.upArrow || key.return) {
          claimed.push(key.upArrow ? 'up' : 'enter');
          return true;
        }
        return false;
      },
    });
    await e.press('/he', KEY.up, KEY.enter, 'l');
    expect(claimed).toEqual(['up', 'enter']);
    expect(e.submitted).toEqual([]);
    expect(e.last()).toBe('/hel');
  });

  it('ignores keys and pastes while inactive', async () => {
    const e = mount({ isActive: false });
    await e.press('abc', KEY.paste('zzz'), KEY.enter);
    expect(e.changes).toEqual([]);
    expect(e.submitted).toEqual([]);
  });
});

describe('<PromptEditor> history', () => {
  it('Up walks back through sent prompts, Down walks forward and brings back the draft', async () => {
    const e = mount();
    await e.press('first', KEY.enter, 'second', KEY.enter, 'my draft');
    await e.press(KEY.up);
    await e.frameIs('› second');
    await e.press(KEY.up);
    await e.frameIs('› first');
    await e.press(KEY.up); // nothing older
    await e.frameIs('› first');
    await e.press(KEY.down);
    await e.frameIs('› second');
    await e.press(KEY.down);
    await e.frameIs('› my draft');
  });

  it('Up moves between lines of a multi-line prompt first, and reaches the history only from the first line', async () => {
    const e = mount();
    await e.press('old', KEY.enter, 'line1', KEY.ctrlJ, 'line2', KEY.up, 'X');
    expect(e.last()).toBe('line1X\nline2');
    await e.press(KEY.up);
    await e.frameIs('› old');
    await e.press(KEY.down);
    expect(e.last()).toBe('line1X\nline2');
  });

  it('is saved to the file and there on the next mount', async () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const first = mount({ historyFile: file });
    await first.press('alpha', KEY.enter, 'beta\ngamma', KEY.enter);
    first.ui.unmount();
    expect(fs.readFileSync(file, 'utf8')).toBe('"alpha"\n"beta\\ngamma"\n');

    const second = mount({ historyFile: file });
    await second.press(KEY.up);
    await second.frameIs('› beta\n  gamma');
    await second.press(KEY.up, KEY.up);
    await second.frameIs('› alpha');
  });

  it('a prompt that was not accepted does not go into the history', async () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const e = mount({ historyFile: file }, false);
    await e.press('rejected', KEY.enter);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('an unwritable history file gives one plain notice, and sending still works', async () => {
    const dir = tempDir();
    const e = mount({ historyFile: dir }); // a directory: cannot be replaced by a file
    await e.press('a', KEY.enter, 'b', KEY.enter);
    expect(e.submitted).toEqual(['a', 'b']);
    expect(e.notices).toHaveLength(1);
    expect(e.notices[0]).toContain('Could not save the prompt history');
  });
});

describe('<PromptEditor> layout', () => {
  it('wraps long text by display width and scrolls to keep the caret in view', async () => {
    const e = mount({ width: 6, maxRows: 2 });
    await e.press('你好世界ab');
    // rows: "你好世" (6 columns), "界ab"
    await e.frameIs('› 你好世\n  界ab');
    await e.press(KEY.ctrlJ, 'x', KEY.ctrlJ, 'y');
    await e.frameIs('↑ x\n  y');
    await e.press(KEY.up, KEY.up, KEY.up);
    await e.frameIs('› 你好世\n↓ 界ab');
  });

  it('shows a value set by the parent with the caret at its end', async () => {
    function Parent() {
      const [value, setValue] = useState('');
      useInput((input, key) => {
        if (key.ctrl && input === 'o') setValue('/help ');
      });
      return (
        <PromptEditor
          onSubmit={() => true}
          placeholder="…"
          width={30}
          maxRows={3}
          historyFile={null}
          isActive
          originRow={0}
          value={value}
          onChange={setValue}
        />
      );
    }
    const ui = render(<Parent />);
    mounted.push(ui);
    await tick();
    ui.stdin.write('xyz');
    await tick();
    ui.stdin.write('\x0f'); // Ctrl+O: the parent picks a completion
    await tick();
    ui.stdin.write('me');
    await tick();
    await expectFrame(ui, '› /help me');
  });
});

describe('<PromptEditor> inside the App: keys it leaves alone', () => {
  /** A stand-in for App: scrolls on Home/End unless the editor takes them. */
  function Harness({ log }: { log: string[] }) {
    const [text, setText] = useState('');
    useInput((input, key) => {
      if (editorHandlesKey(input, key, text)) return;
      if (key.home) log.push('scroll-top');
      if (key.end) log.push('scroll-bottom');
      if (key.pageUp) log.push('page-up');
      if (key.shift && key.upArrow) log.push('line-up');
    });
    return (
      <PromptEditor
        onSubmit={() => true}
        placeholder="…"
        width={30}
        maxRows={3}
        historyFile={null}
        isActive
        originRow={0}
        value={text}
        onChange={setText}
      />
    );
  }

  it('Home/End scroll the App while the prompt is empty and move the caret once it has text', async () => {
    const log: string[] = [];
    const ui = render(<Harness log={log} />);
    mounted.push(ui);
    await tick();
    for (const k of [KEY.home, KEY.end, '\x1b[5~', '\x1b[1;2A']) {
      ui.stdin.write(k);
      await tick();
    }
    expect(log).toEqual(['scroll-top', 'scroll-bottom', 'page-up', 'line-up']);
    await expectFrame(ui, '› …');
    log.length = 0;
    for (const k of ['bc', KEY.home, 'a', '\x1b[1;2A']) {
      ui.stdin.write(k);
      await tick();
    }
    expect(log).toEqual(['line-up']);
    await expectFrame(ui, '› abc');
  });
});

describe('<PromptEditor> Ctrl+G external editor', () => {
  it('replaces the prompt with what the editor saved', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'fake-editor.sh');
    // Appends a line to whatever the editor was given, as a user would.
    fs.writeFileSync(script, '#!/bin/sh\nprintf "%s\\nadded in editor\\n" "$(cat "$1")" > "$1"\n', { mode: 0o755 });
    const phases: string[] = [];
    const e = mount({ editorCommand: script, onExternalEditor: (p) => phases.push(p) });
    await e.press('draft', KEY.ctrlG);
    await until(() => e.last() === 'draft\nadded in editor', 'edited text');
    expect(phases).toEqual(['start', 'end']);
    await e.frameIs('› draft\n  added in editor');
    expect(e.submitted).toEqual([]);
    expect(e.notices).toEqual([]);
  });

  it('keeps the text and says so in plain words when no editor can run', async () => {
    const e = mount({ editorCommand: 'inkwell-no-such-editor-xyz' });
    await e.press('keep me', KEY.ctrlG);
    await until(() => e.notices.length > 0, 'a notice');
    expect(e.notices[0]).toContain('was not found');
    await e.frameIs('› keep me');
  });

  it('keeps the text when the editor exits with an error (vi :cq)', async () => {
    const e = mount({ editorCommand: 'false' });
    await e.press('keep me', KEY.ctrlG);
    await until(() => e.notices.length > 0, 'a notice');
    expect(e.notices[0]).toContain('exited with status 1');
    expect(e.last()).toBe('keep me');
  });
});

describe('<PromptEditor> the terminal cursor', () => {
  /** A TTY-like stdout, so Ink runs interactively and places the real cursor. */
  class TtyOut extends EventEmitter {
    isTTY = true;
    columns = 40;
    rows = 12;
    written = '';
    write = (s: string) => {
      this.written += s;
      return true;
    };
  }
  class TtyIn extends EventEmitter {
    isTTY = true;
    private data: string | null = null;
    write(d: string) {
      this.data = d;
      this.emit('readable');
    }
    read = () => {
      const d = this.data;
      this.data = null;
      return d;
    };
    setEncoding() {}
    setRawMode() {}
    resume() {}
    pause() {}
    ref() {}
    unref() {}
  }

  /**
   * The last cursor placement Ink wrote, as (x, y) in the output: Ink leaves the terminal cursor
   * on the line after the output's last row and moves up from there (cursor-helpers.js).
   * @param outputRows rows the output has now
   */
  const lastCursor = (out: string, outputRows: number) => {
    const all = [...out.matchAll(/(?:\x1b\[(\d+)A)?\x1b\[(\d+)G\x1b\[\?25h/g)];
    const m = all.at(-1);
    return m ? { x: Number(m[2]) - 1, y: outputRows - Number(m[1] ?? 0) } : null;
  };

  it('sits at the caret, counting wide characters as two columns and the rows above the editor', async () => {
    const stdout = new TtyOut();
    const stdin = new TtyIn();
    const app = inkRender(
      <Box flexDirection="column">
        <Text>transcript 1</Text>
        <Text>transcript 2</Text>
        <PromptEditor
          onSubmit={() => true}
          placeholder="…"
          width={10}
          maxRows={3}
          historyFile={null}
          isActive
          originRow={2}
          originColumn={0}
        />
        <Text>status</Text>
      </Box>,
      { stdout: stdout as never, stdin: stdin as never, debug: false, exitOnCtrlC: false, patchConsole: false, interactive: true },
    );
    mounted.push(app);
    await tick(80); // interactive renders are throttled
    // Empty: the cursor is on the placeholder just after the mark: column 2 of output row 2.
    expect(lastCursor(stdout.written, 4)).toEqual({ x: 2, y: 2 });
    stdin.write('你好ab');
    await tick(80); // interactive renders are throttled
    expect(lastCursor(stdout.written, 4)).toEqual({ x: 8, y: 2 }); // mark 2 + 你 2 + 好 2 + a + b
    stdin.write('cdefgh'); // "你好abcdef" fills the 10 columns; "gh" wraps to the editor's second row
    await tick(80); // interactive renders are throttled
    expect(lastCursor(stdout.written, 5)).toEqual({ x: 4, y: 3 });
    stdin.write('\x1b[A'); // Up: column 2 of the row above, between 你 and 好
    await tick(80); // interactive renders are throttled
    expect(lastCursor(stdout.written, 5)).toEqual({ x: 4, y: 2 });
  });
});
