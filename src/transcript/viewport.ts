/**
 * The visible window of a transcript made of per-message line arrays. Pure: only the visible rows
 * are copied, so a frame costs O(messages + rows), never O(all lines).
 */

/** Scroll position: follow the tail (the default while a reply streams), or a fixed top row. */
export type ScrollPosition = { mode: 'follow' } | { mode: 'fixed'; top: number };

/** A computed window onto the transcript. */
export interface ViewportSlice {
  /** The rows to draw, exactly `height` long at most (fewer when the transcript is short). */
  rows: string[];
  /** Index of the first drawn row in the whole transcript. */
  top: number;
  /** Rows in the whole transcript. */
  total: number;
  /** Rows below the window (0 when following the tail). */
  below: number;
}

/**
 * Total rows when messages are joined with one blank row between them.
 * @param parts each message's lines (empty messages take no rows and no separator)
 */
export function totalRows(parts: readonly (readonly string[])[]): number {
  let total = 0;
  let nonEmpty = 0;
  for (const p of parts) {
    if (p.length === 0) continue;
    total += p.length;
    nonEmpty += 1;
  }
  return total + Math.max(0, nonEmpty - 1);
}

/** Clamps a top row into [0, total - height]. */
export function clampTop(top: number, total: number, height: number): number {
  return Math.max(0, Math.min(top, total - height));
}

/**
 * Cuts the visible window out of the transcript.
 * @param parts each message's lines, oldest first
 * @param height rows available
 * @param scroll follow the tail, or a fixed top row (clamped)
 */
export function sliceViewport(parts: readonly (readonly string[])[], height: number, scroll: ScrollPosition): ViewportSlice {
  const total = totalRows(parts);
  const h = Math.max(0, height);
  const top = scroll.mode === 'follow' ? Math.max(0, total - h) : clampTop(scroll.top, total, h);
  const end = Math.min(total, top + h);
  const rows: string[] = [];
  let row = 0; // index of the current part's first row
  let first = true;
  for (const p of parts) {
    if (p.length === 0) continue;
    if (!first) {
      if (row >= top && row < end) rows.push('');
      row += 1;
    }
    first = false;
    if (row >= end) break;
    const partEnd = row + p.length;
    if (partEnd > top) {
      const from = Math.max(0, top - row);
      const to = Math.min(p.length, end - row);
      for (let i = from; i < to; i++) rows.push(p[i]!);
    }
    row = partEnd;
  }
  return { rows, top, total, below: Math.max(0, total - end) };
}
