import { describe, expect, it } from 'vitest';
import { classifyOutput, csiKind } from '../../scripts/bench/budget.mjs';

const SAVE = '\x1b7';
const RESTORE = '\x1b8';
const SYNC_ON = '\x1b[?2026h';
const SYNC_OFF = '\x1b[?2026l';

describe('classifyOutput (the byte budget of terminal output)', () => {
  it('sorts text, SGR and controls, counting UTF-8 bytes', () => {
    // "héllo ▍" = 4 ASCII + é (2) + space + ▍ (3); red on/off = 5 + 5; CUP 6, erase 4.
    const b = classifyOutput('\x1b[3;1H\x1b[2K\x1b[31mhéllo ▍\x1b[39m', { rows: 40, statusRow: 39 });
    expect(b.text).toBe(10);
    expect(b.sgr).toBe(10);
    expect(b.controls.cup).toBe(6);
    expect(b.controls.erase).toBe(4);
    expect(b.control).toBe(10);
    expect(b.bytes).toBe(b.text + b.sgr + b.control);
    expect(b.status.bytes).toBe(0);
    expect(b.rest.bytes).toBe(b.bytes);
  });

  it('counts an emoji (a surrogate pair) as 4 bytes', () => {
    expect(classifyOutput('a😀b').text).toBe(6);
  });

  it('gives the status bar the bytes written on its row, and a paint of it alone its brackets too', () => {
    const status = `${SAVE}\x1b[39;64H10/8.2k ⠋${RESTORE}`; // 2 + 8 + 10 (⠋ is 3 bytes) + 2
    const b = classifyOutput(status, { rows: 40, statusRow: 39 });
    expect(b.status.bytes).toBe(Buffer.byteLength(status));
    expect(b.status.text).toBe(11);
    expect(b.status.controls.saveRestore).toBe(4);
    expect(b.rest.bytes).toBe(0);

    const synced = `${SYNC_ON}${status}${SYNC_OFF}`;
    expect(classifyOutput(synced, { rows: 40, statusRow: 39 }).status.bytes).toBe(Buffer.byteLength(synced));
  });

  it('splits a paint that touches the transcript and the status bar by row, the brackets to the rest', () => {
    const transcript = '\x1b[5;3Hhello';
    const bar = '\x1b[39;1Hbar';
    const b = classifyOutput(`${SAVE}${transcript}${bar}${RESTORE}`, { rows: 40, statusRow: 39 });
    expect(b.status.bytes).toBe(bar.length);
    expect(b.rest.bytes).toBe(transcript.length + 4);
    expect(b.rest.controls.saveRestore).toBe(4);
  });

  it('follows the row through relative moves, line feeds, DECSTBM and restore', () => {
    // From row 40 (the prompt): up one to 39, text there belongs to the status bar.
    expect(classifyOutput('\x1b[1Aab', { rows: 40, statusRow: 39 }).status.text).toBe(2);
    // A line feed from row 38 lands on 39.
    expect(classifyOutput('\x1b[38;1H\nxy', { rows: 40, statusRow: 39 }).status.text).toBe(2);
    // DECSTBM homes the cursor: text after it is on row 1, not the status row.
    const scrolled = classifyOutput('\x1b[39;1H\x1b[1;38r\x1b[2S\x1b[rzz', { rows: 40, statusRow: 39 });
    expect(scrolled.status.text).toBe(0);
    expect(scrolled.rest.controls.scroll).toBe('\x1b[1;38r\x1b[2S\x1b[r'.length);
    // After a restore the cursor is back where it was saved (row 40), not on the status row.
    expect(classifyOutput(`${SAVE}\x1b[39;1Ha${RESTORE}b`, { rows: 40, statusRow: 39 }).rest.text).toBe(1);
  });

  it('counts OSC strings and other escapes as controls', () => {
    const b = classifyOutput('\x1b]0;title\x07\x1b=x');
    expect(b.controls.osc).toBe(10);
    expect(b.controls.other).toBe(2);
    expect(b.text).toBe(1);
  });

  it('names CSI kinds', () => {
    expect(csiKind('', 'm')).toBe('sgr');
    expect(csiKind('?2026', 'h')).toBe('sync');
    expect(csiKind('?25', 'l')).toBe('other');
    expect(csiKind('3', 'S')).toBe('scroll');
    expect(csiKind('', 'K')).toBe('erase');
    expect(csiKind('', 'E')).toBe('move');
  });
});
