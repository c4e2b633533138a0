import { describe, expect, it } from 'vitest';
import { HELP_CLOSE, helpScroll, helpWindow } from '../../src/ui/help-view.js';

const body = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);

describe('helpWindow: the help overlay on a screen of any height', () => {
  it('shows all of it, a blank row and the closing line when it fits', () => {
    expect(helpWindow(body.slice(0, 5), 3, 10)).toEqual({ rows: [...body.slice(0, 5), '', HELP_CLOSE], top: 0 });
  });

  it('taller than the screen: a window of the body and a last row with how to close, how to scroll and where it is', () => {
    const w = helpWindow(body, 0, 10);
    expect(w.rows).toHaveLength(10);
    expect(w.rows.slice(0, 9)).toEqual(body.slice(0, 9));
    expect(w.rows[9]).toBe(`${HELP_CLOSE} ↓ PgUp/PgDn scroll · lines 1–9 of 30`);
    const mid = helpWindow(body, 5, 10);
    expect(mid.rows[0]).toBe('line 6');
    expect(mid.rows[9]).toBe(`${HELP_CLOSE} ↑↓ PgUp/PgDn scroll · lines 6–14 of 30`);
  });

  it('clamps the window: never past the last line, never before the first', () => {
    const end = helpWindow(body, 99, 10);
    expect(end.top).toBe(21);
    expect(end.rows[8]).toBe('line 30');
    expect(end.rows[9]).toBe(`${HELP_CLOSE} ↑ PgUp/PgDn scroll · lines 22–30 of 30`);
    expect(helpWindow(body, -4, 10).top).toBe(0);
  });

  it('moves a line with ↑/↓ and a page with PgUp/PgDn or Space; other keys do nothing', () => {
    expect(helpScroll({ downArrow: true }, '', 3, 9)).toBe(4);
    expect(helpScroll({ upArrow: true }, '', 3, 9)).toBe(2);
    expect(helpScroll({ pageDown: true }, '', 3, 9)).toBe(12);
    expect(helpScroll({ pageUp: true }, '', 12, 9)).toBe(3);
    expect(helpScroll({}, ' ', 0, 9)).toBe(9);
    expect(helpScroll({}, 'x', 0, 9)).toBeNull();
  });
});
