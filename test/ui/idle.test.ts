import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleWork } from '../../src/ui/idle.js';

describe('IdleWork', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a quiet period after the last frame, then works in slices until nothing is left', () => {
    let left = 3;
    const budgets: number[] = [];
    const idle = new IdleWork((ms) => (budgets.push(ms), --left), 50, 8);
    idle.poke(true);
    vi.advanceTimersByTime(40);
    idle.poke(true); // another frame: the quiet period starts again
    vi.advanceTimersByTime(40);
    expect(budgets).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(budgets).toEqual([8]);
    vi.advanceTimersByTime(5);
    expect(budgets).toEqual([8, 8, 8]);
    vi.advanceTimersByTime(1000);
    expect(left).toBe(0);
  });

  it('a frame painted by a slice itself does not restart the quiet period or schedule twice', () => {
    let left = 3;
    let calls = 0;
    const idle: IdleWork = new IdleWork(
      () => {
        calls++;
        idle.poke(true); // the slice repaints, and the paint pokes
        return --left;
      },
      50,
      8,
    );
    idle.poke(true);
    vi.advanceTimersByTime(50);
    expect(calls).toBe(1);
    vi.advanceTimersByTime(2);
    expect(calls).toBe(3);
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(3);
  });

  it('a frame with nothing pending cancels what was scheduled; dispose cancels too', () => {
    const work = vi.fn(() => 0);
    const idle = new IdleWork(work, 50, 8);
    idle.poke(true);
    idle.poke(false);
    vi.advanceTimersByTime(100);
    expect(work).not.toHaveBeenCalled();
    idle.poke(true);
    idle.dispose();
    vi.advanceTimersByTime(100);
    expect(work).not.toHaveBeenCalled();
  });
});
