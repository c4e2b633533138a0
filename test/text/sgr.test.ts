import { describe, expect, it } from 'vitest';
import { activeStyles, balanceLines, combine, SGR_PATTERN, sgrLengthAt, sgrStyle, splitSgr, stripSgr } from '../../src/text/sgr.js';

const bold = sgrStyle([1], 22);
const cyan = sgrStyle([36], 39);

describe('the SGR helper', () => {
  it('strips SGR sequences (with ; and : parameters) and only them', () => {
    expect(stripSgr('\x1b[1ma\x1b[22m \x1b[38:2::1:2:3mb\x1b[0m\x1b[m')).toBe('a b');
    expect(stripSgr('keep \x1b[2J this')).toBe('keep \x1b[2J this');
    expect('x\x1b[31my'.replace(SGR_PATTERN, '')).toBe('xy');
  });

  it('splits styled text into runs, sequences at odd indices', () => {
    expect(splitSgr('a\x1b[1mb\x1b[22m')).toEqual(['a', '\x1b[1m', 'b', '\x1b[22m', '']);
    expect(splitSgr('plain')).toEqual(['plain']);
  });

  it('measures the sequence at an offset', () => {
    expect(sgrLengthAt('a\x1b[1;31mb', 1)).toBe(7);
    expect(sgrLengthAt('a\x1b[1;31mb', 0)).toBe(0);
    expect(sgrLengthAt('\x1b[2J', 0)).toBe(0);
    expect(sgrLengthAt('\x1b[12', 0)).toBe(0);
  });

  it('builds styles that nest like chalk (the outer style comes back after an inner close)', () => {
    expect(bold('a')).toBe('\x1b[1ma\x1b[22m');
    expect(bold('')).toBe('');
    expect(bold(`x ${bold('y')} z`)).toBe('\x1b[1mx \x1b[1my\x1b[22m\x1b[1m z\x1b[22m');
    expect(combine(cyan, bold)('t')).toBe('\x1b[36m\x1b[1mt\x1b[22m\x1b[39m');
  });

  it('tells the attributes still on at the end of a text', () => {
    expect(activeStyles(`${cyan('a')}b`)).toBe('');
    expect(activeStyles('\x1b[36m\x1b[1mab')).not.toBe('');
    expect(stripSgr(activeStyles('\x1b[36m\x1b[1mab'))).toBe('');
    expect(activeStyles('\x1b[1m\x1b[22m')).toBe('');
    expect(activeStyles('plain')).toBe('');
  });

  it('balances lines: a style open at a line end is closed there and opened again on the next line', () => {
    expect(balanceLines(['\x1b[1ma', 'b\x1b[22m', 'c'])).toEqual(['\x1b[1ma\x1b[0m', '\x1b[1mb\x1b[22m', 'c']);
    expect(balanceLines(['\x1b[36m', '  ', 'x\x1b[39m'])).toEqual(['', '  ', '\x1b[36mx\x1b[39m']);
  });
});
