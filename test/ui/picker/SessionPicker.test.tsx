import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../../../src/sessions/list.js';
import { plainTheme } from '../../../src/theme.js';
import { SessionPicker, type SessionPickerProps } from '../../../src/ui/picker/SessionPicker.js';
import { NOW, summary } from './fixtures.js';

const mounted: Array<{ unmount: () => void }> = [];
afterEach(() => {
  while (mounted.length) mounted.pop()!.unmount();
});

const UP = '\u001B[A';
const DOWN = '\u001B[B';
const PAGE_DOWN = '\u001B[6~';
const ENTER = '\r';
const ESC = '\u001B';
const CTRL_D = '\u0004';
const CTRL_N = '\u000E';
const CTRL_P = '\u0010';
const CTRL_R = '\u0012';

const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not met in time: ${what}`);
    await tick(10);
  }
}

const SESSIONS: SessionSummary[] = [
  summary('s-new', 'Planning the garden', 3, { messageCount: 12 }),
  summary('s-mid', 'Rust borrow checker', 60 * 24, { model: 'claude-opus-4-1' }), // yesterday 12:00
  summary('s-old', 'Tax questions', 60 * 24 * 40, { messageCount: 1, damaged: true }),
];

function mount(over: Partial<SessionPickerProps> = {}) {
  const props: SessionPickerProps = {
    sessions: SESSIONS,
    width: 100,
    height: 12,
    currentId: null,
    onOpen: vi.fn(),
    onDelete: vi.fn(() => ({ ok: true as const })),
    onRename: vi.fn(() => ({ ok: true as const })),
    onClose: vi.fn(),
    theme: plainTheme,
    now: () => NOW,
    ...over,
  };
  const ui = render(<SessionPicker {...props} />);
  mounted.push(ui);
  const frame = () => ui.lastFrame() ?? '';
  /** The row marked as selected ("›" in front). */
  const selectedRow = () =>
    frame()
      .split('\n')
      .find((l) => l.startsWith('› ')) ?? '';
  /** Writes one key and waits for the picker to have handled it. */
  const press = async (key: string) => {
    ui.stdin.write(key);
    await tick(30);
  };
  return { ui, props, frame, selectedRow, press };
}

describe('<SessionPicker>', () => {
  it('lists sessions newest first with messages, model, relative time and the keys', async () => {
    const { frame } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    const lines = frame().split('\n');
    expect(lines[0]).toContain('Sessions search:');
    expect(lines[1]).toBe('› Planning the garden · 12 messages · claude-sonnet-4-5 · 3 min ago');
    expect(lines[2]).toBe('  Rust borrow checker · 4 messages · claude-opus-4-1 · yesterday');
    expect(lines[3]).toBe('  Tax questions [damaged] · 1 message · claude-sonnet-4-5 · May 6');
    expect(frame()).toContain('3 sessions');
    expect(frame()).toContain('d/Ctrl+D delete · r/Ctrl+R rename · Esc close');
    expect(lines.length).toBeLessThanOrEqual(12);
  });

  it('an empty store says there are no saved sessions yet', async () => {
    const { frame } = mount({ sessions: [] });
    await until(() => frame().includes('No saved sessions yet.'), 'empty message');
  });

  it('typing filters the list live, by title and by text; no match says so', async () => {
    const text: Record<string, string> = { 's-new': 'which tomatoes grow in shade', 's-old': 'deductions' };
    const { frame, press } = mount({ contentOf: (id) => text[id] ?? null });
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press('borrow');
    await until(() => !frame().includes('Planning the garden'), 'filtered by title');
    expect(frame()).toContain('› Rust borrow checker');
    expect(frame()).toContain('1 of 3 match');
    for (let i = 0; i < 'borrow'.length; i++) await press('\u007F'); // backspace
    await press('tomatoes');
    await until(() => !frame().includes('Rust borrow checker'), 'filtered by text');
    expect(frame()).toContain('› Planning the garden');
    await press('zz');
    await until(() => frame().includes('No sessions match "tomatoeszz".'), 'no match message');
  });

  it('arrows and Ctrl+N/Ctrl+P move the selection; Enter opens the selected session', async () => {
    const { frame, selectedRow, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press(DOWN);
    await until(() => selectedRow().includes('Rust borrow checker'), 'moved down');
    await press(CTRL_N);
    await until(() => selectedRow().includes('Tax questions'), 'Ctrl+N moved down');
    await press(DOWN); // stays at the last row
    await press(CTRL_P);
    await until(() => selectedRow().includes('Rust borrow checker'), 'Ctrl+P moved up');
    await press(UP);
    await press(DOWN);
    await press(ENTER);
    expect(props.onOpen).toHaveBeenCalledTimes(1);
    expect(props.onOpen).toHaveBeenCalledWith('s-mid');
    expect(props.onDelete).not.toHaveBeenCalled();
  });

  it('Enter opens the first match of a search', async () => {
    const { frame, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press('CHECKER');
    await until(() => frame().includes('1 of 3 match'), 'filtered');
    await press(ENTER);
    expect(props.onOpen).toHaveBeenCalledWith('s-mid');
  });

  it('Esc closes the picker', async () => {
    const { frame, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press(ESC);
    await until(() => (props.onClose as ReturnType<typeof vi.fn>).mock.calls.length === 1, 'onClose');
  });

  it('d asks before deleting: n keeps the session, y deletes it', async () => {
    const { frame, selectedRow, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press(DOWN);
    await press('d');
    await until(() => frame().includes('› Delete "Rust borrow checker"? y/n'), 'confirmation asked');
    expect(frame()).toContain('y delete · n or Esc keep it');
    await press('x'); // other keys do nothing
    await press('n');
    await until(() => selectedRow().includes('Rust borrow checker · 4 messages'), 'row back');
    expect(props.onDelete).not.toHaveBeenCalled();
    await press('d');
    await until(() => frame().includes('Delete "Rust borrow checker"? y/n'), 'asked again');
    await press(ESC);
    await until(() => !frame().includes('? y/n'), 'Esc cancels');
    expect(props.onClose).not.toHaveBeenCalled();
    expect(props.onDelete).not.toHaveBeenCalled();
    await press('d');
    await until(() => frame().includes('? y/n'), 'asked a third time');
    await press('y');
    await until(() => !frame().includes('Rust borrow checker ·'), 'row gone');
    expect(props.onDelete).toHaveBeenCalledTimes(1);
    expect(props.onDelete).toHaveBeenCalledWith('s-mid');
    expect(frame()).toContain('Deleted "Rust borrow checker".');
    expect(selectedRow()).toContain('Tax questions'); // the next row is selected
  });

  it('with text in the search, d types and Ctrl+D deletes (without typing a "d")', async () => {
    const { frame, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press('gar');
    await press('d');
    await until(() => frame().includes('search: gard'), 'd was typed');
    expect(frame()).toContain('Ctrl+D delete · Ctrl+R rename');
    await press(CTRL_D);
    await until(() => frame().includes('Delete "Planning the garden"? y/n'), 'Ctrl+D asks');
    await press('y');
    await until(() => frame().includes('Deleted "Planning the garden".'), 'deleted');
    expect(props.onDelete).toHaveBeenCalledWith('s-new');
    expect(frame()).toContain('search: gard');
    expect(frame()).not.toContain('search: gardd');
  });

  it('a refused delete is explained in plain words and the row stays', async () => {
    const { frame, press } = mount({
      onDelete: () => ({ ok: false, reason: 'Session "s-new" is open in another inkwell window (pid 42); close it there first.' }),
    });
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press('d');
    await until(() => frame().includes('? y/n'), 'asked');
    await press('y');
    await until(() => frame().includes('open in another inkwell window (pid 42)'), 'reason shown');
    expect(frame()).toContain('› Planning the garden');
  });

  it('the session open now is marked and cannot be deleted', async () => {
    const { frame, press, props } = mount({ currentId: 's-new' });
    await until(() => frame().includes('Planning the garden (open now)'), 'current marked');
    await press('d');
    await until(() => frame().includes('cannot be deleted'), 'refusal shown');
    expect(frame()).not.toContain('? y/n');
    await press('y');
    expect(props.onDelete).not.toHaveBeenCalled();
    await press(CTRL_D);
    await press('y');
    expect(props.onDelete).not.toHaveBeenCalled();
  });

  it('r renames in place: the field starts with the title and Enter saves', async () => {
    const { frame, selectedRow, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press(DOWN);
    await press('r');
    await until(() => frame().includes('› Rename: Rust borrow checker'), 'rename field');
    expect(frame()).toContain('Enter save · Ctrl+U clear · Esc cancel');
    await press(' tips');
    await until(() => frame().includes('Rename: Rust borrow checker tips'), 'typed');
    await press(ENTER);
    await until(() => frame().includes('Renamed to "Rust borrow checker tips".'), 'renamed');
    expect(props.onRename).toHaveBeenCalledTimes(1);
    expect(props.onRename).toHaveBeenCalledWith('s-mid', 'Rust borrow checker tips');
    expect(selectedRow()).toContain('Rust borrow checker tips · 4 messages');
    expect(props.onOpen).not.toHaveBeenCalled();
  });

  it('Ctrl+U clears the rename field, as in the prompt editor, so a new title is typed from scratch', async () => {
    const { frame, press, props } = mount();
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press(DOWN);
    await press('r');
    await until(() => frame().includes('› Rename: Rust borrow checker'), 'rename field');
    await press('\u0015');
    await until(() => !frame().includes('Rename: Rust'), 'cleared');
    await press('Ownership notes');
    await until(() => frame().includes('Rename: Ownership notes'), 'typed');
    expect(frame()).not.toContain('Rename: Rust');
    await press(ENTER);
    expect(props.onRename).toHaveBeenCalledWith('s-mid', 'Ownership notes');
  });

  it('Esc cancels a rename without saving or closing; Ctrl+R renames while searching', async () => {
    const { frame, press, props } = mount({ onRename: vi.fn(() => ({ ok: false as const, reason: 'The disk is full.' })) });
    await until(() => frame().includes('Tax questions'), 'list shown');
    await press('r');
    await until(() => frame().includes('Rename: Planning the garden'), 'rename field');
    await press('!');
    await press(ESC);
    await until(() => frame().includes('› Planning the garden · 12'), 'back to the list');
    expect(props.onRename).not.toHaveBeenCalled();
    expect(props.onClose).not.toHaveBeenCalled();
    await press('rust');
    await until(() => frame().includes('1 of 3 match'), 'searched');
    await press(CTRL_R);
    await until(() => frame().includes('Rename: Rust borrow checker'), 'Ctrl+R renames');
    await press('!');
    await press(ENTER);
    await until(() => frame().includes('The disk is full.'), 'error shown');
    expect(props.onRename).toHaveBeenCalledWith('s-mid', 'Rust borrow checker!');
  });

  it('a damaged session is tagged, explained, opens on Enter, and is not renamed', async () => {
    const { frame, selectedRow, press, props } = mount();
    await until(() => frame().includes('Tax questions [damaged]'), 'damaged tag');
    expect(frame()).not.toContain('Planning the garden [damaged]');
    await press(DOWN);
    await press(DOWN);
    await until(() => selectedRow().includes('Tax questions'), 'selected');
    expect(frame()).toContain('damaged: Enter opens what could be read, read-only');
    await press('r');
    await until(() => frame().includes('cannot be renamed'), 'rename refused');
    expect(frame()).not.toContain('Rename:');
    await press(ENTER);
    expect(props.onOpen).toHaveBeenCalledWith('s-old');
  });

  it('with 50 sessions in a small height the selection always stays visible', async () => {
    const many = Array.from({ length: 50 }, (_, i) => summary(`id${i}`, `Session number ${i}`, i + 1));
    const height = 8; // search line, 5 rows, message line, keys line
    const { frame, selectedRow, press, props } = mount({ sessions: many, height });
    await until(() => frame().includes('Session number 4 '), 'list shown');
    expect(frame()).not.toContain('Session number 5 ');
    for (let i = 1; i <= 20; i++) {
      await press(DOWN);
      await until(() => selectedRow().includes(`Session number ${i} `), `row ${i} selected and visible`);
      expect(frame().split('\n').length).toBeLessThanOrEqual(height);
    }
    expect(frame()).toContain('50 sessions · 17–21 shown');
    expect(frame()).not.toContain('Session number 15 ');
    await press(PAGE_DOWN);
    await until(() => selectedRow().includes('Session number 25 '), 'a page down');
    for (let i = 0; i < 30; i++) await press(DOWN);
    await until(() => selectedRow().includes('Session number 49 '), 'the last one');
    await press(ENTER);
    expect(props.onOpen).toHaveBeenCalledWith('id49');
  });
});
