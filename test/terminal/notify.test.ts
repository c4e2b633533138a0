import { describe, expect, it } from 'vitest';
import { notificationSequence, notificationText, notifyProtocol } from '../../src/terminal/notify.js';

describe('notifyProtocol', () => {
  it('picks the kind each terminal takes, the bell for the rest, nothing when off', () => {
    expect(notifyProtocol('auto', { TERM_PROGRAM: 'iTerm.app' })).toBe('osc9');
    expect(notifyProtocol('auto', { WT_SESSION: 'x', TERM: 'xterm-256color' })).toBe('osc9');
    expect(notifyProtocol('auto', { TERM: 'xterm-kitty' })).toBe('osc99');
    expect(notifyProtocol('auto', { TERM_PROGRAM: 'WezTerm' })).toBe('osc777');
    expect(notifyProtocol('auto', { TERM: 'foot' })).toBe('osc777');
    expect(notifyProtocol('auto', { TERM: 'xterm-ghostty' })).toBe('osc777');
    // Inside tmux, by what the outer terminal left in the environment.
    expect(notifyProtocol('auto', { TERM: 'tmux-256color', TERM_PROGRAM: 'tmux', TMUX: '/tmp/t,1,0', LC_TERMINAL: 'iTerm2' })).toBe('osc9');
    // Terminals that would print an unknown OSC as text, or are not known to take one: the bell.
    expect(notifyProtocol('auto', { TERM: 'linux' })).toBe('bell');
    expect(notifyProtocol('auto', { TERM: 'xterm-256color', TERM_PROGRAM: 'Apple_Terminal' })).toBe('bell');
    expect(notifyProtocol('bell', { TERM_PROGRAM: 'iTerm.app' })).toBe('bell');
    expect(notifyProtocol('off', { TERM_PROGRAM: 'iTerm.app' })).toBeNull();
  });
});

describe('notificationSequence', () => {
  const n = { title: 'Pelicans', body: 'Reply done · 12 tokens · $0.0010' };
  it('writes each kind as its terminal documents it', () => {
    expect(notificationSequence('osc9', n, false)).toBe('\x1b]9;Pelicans: Reply done · 12 tokens · $0.0010\x07');
    expect(notificationSequence('osc777', { title: 'a;b', body: 'c;d' }, false)).toBe('\x1b]777;notify;a,b;c,d\x07');
    expect(notificationSequence('osc99', n, false)).toBe(
      '\x1b]99;i=inkwell:d=0;Pelicans\x1b\\\x1b]99;i=inkwell:d=1:p=body;Reply done · 12 tokens · $0.0010\x1b\\',
    );
    expect(notificationSequence('bell', n, true)).toBe('\x07');
  });

  it('wraps for tmux passthrough with every ESC doubled', () => {
    expect(notificationSequence('osc9', { title: 't', body: 'b' }, true)).toBe('\x1bPtmux;\x1b\x1b]9;t: b\x07\x1b\\');
  });

  it('carries no control character from the text (model output, a title with escapes)', () => {
    const seq = notificationSequence('osc9', { title: 'x\x1b]52;c;AAAA\x07y', body: 'b\x9b31m\nc' }, false);
    expect(seq).toBe('\x1b]9;x ]52;c;AAAA y: b 31m c\x07');
    // An OSC 9 text starting with a digit would read as a ConEmu command.
    expect(notificationSequence('osc9', { title: '4;3', body: 'b' }, false)).toBe('\x1b]9;inkwell · 4;3: b\x07');
    expect(notificationText('a'.repeat(500))).toHaveLength(160);
  });
});
