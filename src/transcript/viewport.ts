/**
 * The visible window of a transcript made of per-message line arrays, laid out lazily from the
 * tail: only the messages the window shows (and, once scrolled up, those between it and the end)
 * are ever laid out, so resuming a 10,000-message session renders one screenful, not 10,000
 * replies. A frame costs O(laid-out messages + rows), never O(all lines).
 */

/**
 * Scroll position: follow the tail (the default while a reply streams), or fixed: the window's
 * top row is `offset` rows below the first row of the message with id `anchor` (anchored to a
 * message, so laying out more messages above it, or a reply growing below it, never moves it).
 */
export type ScrollPosition = { mode: 'follow' } | { mode: 'fixed'; anchor: string; offset: number };

/** A computed window onto the transcript. */
export interface ViewportSlice {
  /** The rows to draw, exactly `height` long at most (fewer when the transcript is short). */
  rows: string[];
  /**
   * Index of the first drawn row in a coordinate that stays the same from frame to frame while
   * the same messages are shown (it may be negative): the painter compares two frames' `top` to
   * scroll instead of redrawing.
   */
  top: number;
  /** Rows laid out: from the first laid-out message to the end. */
  total: number;
  /** Rows below the window (0 when following the tail). */
  below: number;
  /** True when messages above the laid-out ones exist (the transcript has more than `total`). */
  more: boolean;
}

/** What the window reads the transcript through. */
export interface WindowSource {
  /** Messages in the transcript. */
  count: number;
  /** The id of message `i` (0 ≤ i < count), oldest first. */
  idAt(i: number): string;
  /** The lines of message `i`, laid out on demand (the caller caches them). */
  linesAt(i: number): readonly string[];
}

/**
 * Keeps which messages are laid out (a suffix of the transcript, from message `from` on) and a
 * row coordinate that stays put when that suffix grows or shrinks at its front.
 * Messages are joined with one blank row between non-empty ones; empty messages take no rows.
 */
export class TranscriptWindow {
  /** First laid-out message. */
  private from = 0;
  private fromId: string | null = null;
  /** Row coordinate of the first laid-out row (see {@link ViewportSlice.top}). */
  private origin = 0;
  /** `starts[i - from]`: row (relative to `from`) where message i's first line is (or would be). */
  private starts: number[] = [];
  private total = 0;
  private source: WindowSource | null = null;

  /**
   * Cuts the visible window out of the transcript, laying out only what it needs.
   * @param source the messages and their lines
   * @param height rows available
   * @param scroll follow the tail, or a fixed position (clamped to the transcript; an anchor no
   *   longer in the transcript follows the tail)
   */
  view(source: WindowSource, height: number, scroll: ScrollPosition): ViewportSlice {
    this.source = source;
    const h = Math.max(0, height);
    this.sync(source);
    let relTop: number;
    const anchor = scroll.mode === 'fixed' ? this.indexOf(source, scroll.anchor) : -1;
    if (scroll.mode === 'fixed' && anchor >= 0) {
      this.moveFrom(source, anchor);
      relTop = this.starts[anchor - this.from]! + scroll.offset;
      // Above the laid-out rows: lay out more messages until the top row exists.
      while (relTop < 0 && this.from > 0) {
        const before = this.starts[anchor - this.from]!;
        this.moveFrom(source, this.from - 1);
        relTop += this.starts[anchor - this.from]! - before;
      }
      relTop = Math.max(0, Math.min(relTop, this.total - h));
    } else {
      this.moveFrom(source, this.tailStart(source, h));
      relTop = Math.max(0, this.total - h);
    }
    const end = Math.min(this.total, relTop + h);
    return {
      rows: this.rowsBetween(source, relTop, end),
      top: this.origin + relTop,
      total: this.total,
      below: Math.max(0, this.total - end),
      more: this.from > 0,
    };
  }

  /**
   * Moves a scroll position by `delta` rows (negative is up), laying out more messages above
   * when it goes past the laid-out ones. Scrolling up leaves follow mode; reaching the bottom
   * returns to it, so the view follows a streaming reply again. Uses the source and height of
   * the last {@link view} (a no-op before the first).
   */
  scrollBy(scroll: ScrollPosition, delta: number, height: number): ScrollPosition {
    const source = this.source;
    if (!source) return scroll;
    this.view(source, height, scroll);
    const h = Math.max(0, height);
    let top = scroll.mode === 'fixed' ? this.relTopOf(source, scroll, h) : Math.max(0, this.total - h);
    top += delta;
    while (top < 0 && this.from > 0) {
      const before = this.total;
      this.moveFrom(source, this.from - 1);
      top += this.total - before;
    }
    const maxTop = Math.max(0, this.total - h);
    top = Math.max(0, Math.min(maxTop, top));
    if (top >= maxTop) return { mode: 'follow' };
    return this.positionAt(source, top);
  }

  /** The first row of the whole transcript (lays out every message when the window is drawn). */
  scrollToTop(): ScrollPosition {
    const source = this.source;
    if (!source || source.count === 0) return { mode: 'follow' };
    return { mode: 'fixed', anchor: source.idAt(0), offset: 0 };
  }

  /** After messages were removed (a /clear, /retry, another session) start over from the tail. */
  private sync(source: WindowSource): void {
    const n = source.count;
    const valid = this.fromId !== null && this.from < n && source.idAt(this.from) === this.fromId;
    if (!valid) {
      this.from = n;
      this.fromId = null;
      this.origin = 0;
    }
    this.measure(source);
  }

  /** Recomputes `starts` and `total` for messages `from..count-1`. */
  private measure(source: WindowSource): void {
    const n = source.count;
    const starts = new Array<number>(n - this.from);
    let row = 0;
    let any = false;
    for (let i = this.from; i < n; i++) {
      const len = source.linesAt(i).length;
      if (len > 0 && any) row += 1; // the blank row between two non-empty messages
      starts[i - this.from] = row;
      if (len > 0) {
        any = true;
        row += len;
      }
    }
    this.starts = starts;
    this.total = row;
  }

  /** Lays out from message `to` on (earlier or later than now), keeping row coordinates. */
  private moveFrom(source: WindowSource, to: number): void {
    if (to === this.from) return;
    const old = this.from;
    const oldStarts = this.starts;
    this.from = to;
    this.fromId = to < source.count ? source.idAt(to) : null;
    this.measure(source);
    // The same row keeps its coordinate: match a message laid out both before and after.
    // (Nothing was laid out before: any coordinate will do, the origin stays.)
    if (to < old && old < source.count) this.origin -= this.starts[old - to]!;
    else if (to > old) this.origin += oldStarts[to - old] ?? 0;
  }

  /** The smallest suffix whose rows fill `height` (at least the last message). */
  private tailStart(source: WindowSource, height: number): number {
    let rows = 0;
    let i = source.count;
    while (i > 0 && (rows < height || rows === 0)) {
      i--;
      const len = source.linesAt(i).length;
      if (len > 0) rows += len + (rows > 0 ? 1 : 0);
    }
    return i;
  }

  private indexOf(source: WindowSource, id: string): number {
    for (let i = source.count - 1; i >= 0; i--) if (source.idAt(i) === id) return i;
    return -1;
  }

  private relTopOf(source: WindowSource, scroll: { anchor: string; offset: number }, h: number): number {
    const i = this.indexOf(source, scroll.anchor);
    if (i < this.from) return Math.max(0, this.total - h);
    return Math.max(0, Math.min(this.starts[i - this.from]! + scroll.offset, this.total - h));
  }

  /**
   * The anchored position of relative row `top`: the last non-empty message starting at or above
   * it (a blank row between two messages belongs to the one above, as its last offset).
   */
  private positionAt(source: WindowSource, top: number): ScrollPosition {
    let lo = this.lastStartingBy(top);
    while (lo > 0 && (source.linesAt(this.from + lo).length === 0 || this.starts[lo]! > top)) lo--;
    return { mode: 'fixed', anchor: source.idAt(this.from + lo), offset: top - this.starts[lo]! };
  }

  /** Index into `starts` of the last laid-out message starting at or before relative row `row` (0 if none). */
  private lastStartingBy(row: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Rows `a..b-1` (relative), copying only those. */
  private rowsBetween(source: WindowSource, a: number, b: number): string[] {
    const rows: string[] = [];
    if (b <= a) return rows;
    let row = a;
    for (let k = this.lastStartingBy(a); k < this.starts.length && row < b; k++) {
      const lines = source.linesAt(this.from + k);
      if (lines.length === 0) continue;
      const start = this.starts[k]!;
      // The blank row before this message, if the window covers it.
      while (row < start && row < b) {
        rows.push('');
        row++;
      }
      for (let j = row - start; j < lines.length && row < b; j++, row++) rows.push(lines[j]!);
    }
    return rows;
  }
}
