import { describe, expect, it } from 'vitest';
import { resumeHint } from '../../src/main/resume-hint.js';

const status = { id: 'k7qx2mfa', title: 'Pelican facts', problem: null, readOnly: null };

describe('the resume hint printed after quitting', () => {
  it('offers -c when it would open this session, and always -r <id>', () => {
    expect(resumeHint(status, 'k7qx2mfa')).toBe('Session "Pelican facts" saved. Resume it with: inkwell -c  (or inkwell -r k7qx2mfa)');
    expect(resumeHint(status, 'other123')).toBe('Session "Pelican facts" saved. Resume it with: inkwell -r k7qx2mfa');
  });

  it('says nothing when nothing was saved, and says so for a read-only window', () => {
    expect(resumeHint({ ...status, id: null, title: null }, null)).toBeNull();
    expect(resumeHint({ ...status, readOnly: 'open elsewhere' }, 'k7qx2mfa')).toMatch(/Nothing from this window was saved/);
  });

  it('a session that could not be saved whole does not claim it was', () => {
    const hint = resumeHint({ ...status, problem: 'The disk is full.' }, 'k7qx2mfa')!;
    expect(hint).toContain('may not be saved whole: The disk is full.');
    expect(hint).not.toContain(' saved. ');
  });

  it('a title with escapes or newlines is made plain', () => {
    const hint = resumeHint({ ...status, title: 'evil\x1b]52;c;AAAA\x07\nline' }, null)!;
    expect(hint).not.toContain('\x1b');
    expect(hint).not.toContain('\x07');
    expect(hint).not.toContain('\n');
  });
});
