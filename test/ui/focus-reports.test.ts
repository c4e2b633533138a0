import { describe, expect, it } from 'vitest';
import { stripMouseReports } from '../../src/ui/mouse.js';

describe('focus reports in terminal input', () => {
  it('are taken out before the editor sees the input, in order, beside keys, wheel turns and F1', () => {
    const r = stripMouseReports('a\x1b[Ob\x1b[<64;3;4M\x1b[Ic\x1bOP');
    expect(r.text).toBe('abc');
    expect(r.focus).toEqual([false, true]);
    expect(r.wheel).toEqual([-1]);
    expect(r.f1).toBe(1);
  });

  it('leave other escapes alone (a lone Esc, arrows, SS3 O)', () => {
    const r = stripMouseReports('\x1b\x1b[A\x1bOA');
    expect(r.text).toBe('\x1b\x1b[A\x1bOA');
    expect(r.focus).toEqual([]);
  });
});
