import type { ScrollPosition } from '../transcript/viewport.js';

/**
 * Moves the scroll position by `delta` rows (negative is up). Scrolling up leaves follow mode;
 * reaching the bottom returns to it, so the view follows a streaming reply again.
 * @param total rows in the transcript
 * @param height rows in the window
 */
export function scrollBy(s: ScrollPosition, delta: number, total: number, height: number): ScrollPosition {
  const maxTop = Math.max(0, total - height);
  const current = s.mode === 'follow' ? maxTop : Math.min(s.top, maxTop);
  const top = Math.max(0, Math.min(maxTop, current + delta));
  return top >= maxTop ? { mode: 'follow' } : { mode: 'fixed', top };
}

/** The first row of the transcript. */
export function scrollToTop(): ScrollPosition {
  return { mode: 'fixed', top: 0 };
}

/** Follow the tail. */
export function scrollToBottom(): ScrollPosition {
  return { mode: 'follow' };
}
