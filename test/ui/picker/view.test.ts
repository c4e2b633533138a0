import { describe, expect, it } from 'vitest';
import { plainTheme } from '../../../src/theme.js';
import { keepVisible, moveSelection, relativeTime, renderRow, truncateToWidth } from '../../../src/ui/picker/view.js';
import { NOW, summary } from './fixtures.js';

const at = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo, d, h, mi).getTime();

describe('relativeTime', () => {
  it('says how long ago in words, then a date', () => {
    expect(relativeTime(NOW - 20_000, NOW)).toBe('just now');
    expect(relativeTime(NOW + 60_000, NOW)).toBe('just now');
    expect(relativeTime(NOW - 3 * 60_000, NOW)).toBe('3 min ago');
    expect(relativeTime(NOW - 59 * 60_000, NOW)).toBe('59 min ago');
    expect(relativeTime(NOW - 60 * 60_000, NOW)).toBe('1 hour ago');
    expect(relativeTime(at(2025, 5, 15, 1), NOW)).toBe('11 hours ago');
    expect(relativeTime(at(2025, 5, 14, 23, 59), NOW)).toBe('yesterday');
    expect(relativeTime(at(2025, 5, 14, 0, 1), NOW)).toBe('yesterday');
    expect(relativeTime(at(2025, 5, 13, 23, 59), NOW)).toBe('Jun 13');
    expect(relativeTime(at(2024, 11, 31), NOW)).toBe('Dec 31, 2024');
  });

  it('a few minutes across midnight is still minutes, not "yesterday"', () => {
    expect(relativeTime(at(2025, 5, 14, 23, 50), at(2025, 5, 15, 0, 10))).toBe('20 min ago');
  });
});

describe('truncateToWidth', () => {
  it('cuts by terminal columns and never splits a wide character', () => {
    expect(truncateToWidth('hello', 5)).toBe('hello');
    expect(truncateToWidth('hello world', 6)).toBe('hello…');
    expect(truncateToWidth('日本語テキスト', 6)).toBe('日本…');
  });
});

describe('renderRow', () => {
  it('shows title, messages, model, time and tags within the width', () => {
    const row = renderRow(summary('a', 'A fine title', 3, { messageCount: 1, damaged: true }), {
      width: 100,
      now: NOW,
      selected: true,
      current: true,
      theme: plainTheme,
    });
    expect(row).toBe('› A fine title [damaged] (open now) · 1 message · claude-sonnet-4-5 · 3 min ago');
  });

  it('a long title is cut so the details still fit', () => {
    const row = renderRow(summary('a', 'x'.repeat(200), 3), { width: 80, now: NOW, selected: false, current: false, theme: plainTheme });
    expect(row.length).toBeLessThanOrEqual(80);
    expect(row).toMatch(/x…+ · 4 messages · claude-sonnet-4-5 · 3 min ago$/);
  });

  it('terminal controls in a title are made visible, not sent', () => {
    const row = renderRow(summary('a', 'evil\u001b[2Jtitle\nline', 3), {
      width: 100,
      now: NOW,
      selected: false,
      current: false,
      theme: plainTheme,
    });
    expect(row).not.toContain('\u001b');
    expect(row).toContain('evil␛title line');
  });
});

describe('keepVisible and moveSelection', () => {
  it('scrolls as little as possible to keep the selection on screen', () => {
    expect(keepVisible(0, 3, 5, 50)).toBe(0);
    expect(keepVisible(0, 5, 5, 50)).toBe(1);
    expect(keepVisible(10, 4, 5, 50)).toBe(4);
    expect(keepVisible(48, 49, 5, 50)).toBe(45);
    expect(keepVisible(7, 0, 5, 3)).toBe(0);
  });

  it('moves stop at the ends', () => {
    expect(moveSelection(0, -1, 5)).toBe(0);
    expect(moveSelection(4, 1, 5)).toBe(4);
    expect(moveSelection(1, 10, 5)).toBe(4);
    expect(moveSelection(-1, 1, 5)).toBe(0);
    expect(moveSelection(-1, 3, 5)).toBe(0); // from no selection, any move selects the first
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});
