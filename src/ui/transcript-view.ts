import cliTruncate from 'cli-truncate';
import type { ChatEngine } from '../chat/engine.js';
import type { ConversationState } from '../domain/conversation.js';
import type { Screen } from '../terminal/screen.js';
import type { Theme } from '../theme.js';
import { TranscriptLayout } from '../transcript/layout.js';
import { TranscriptWindow, type ScrollPosition, type ViewportSlice } from '../transcript/viewport.js';
import { IdleWork } from './idle.js';
import { type StatusBarProps, statusLine } from './StatusBar.js';
import { cacheWarmUntil, type LiveTokens, liveReplyTokens } from './status.js';

/** Follow the tail of the transcript. */
export const FOLLOW: ScrollPosition = { mode: 'follow' };

/** ms between the spinner's frames (the status bar's live output count is sampled then too). */
export const SPINNER_MS = 250;

/**
 * A streaming frame whose layout takes longer than this (ms) delays the next one by three times
 * as long (see `TranscriptView.streamed`).
 */
const SLOW_FRAME_MS = 12;

/** While text flows, the spinner turns on every this-many ticks of {@link SPINNER_MS}. */
const SLOW_EVERY = 4;

/** What the app's layout gives the transcript view on each render. */
export interface TranscriptFrame {
  /** Columns. */
  width: number;
  /** Rows of transcript (above the completion menu and the status bar). */
  height: number;
  theme: Theme;
  /** The completion menu's rows, styled, under the transcript. */
  menu: readonly string[];
  /** What the status bar shows, but for the state and the spinner (the view adds those). */
  status: Omit<StatusBarProps, 'state' | 'frame' | 'liveTokens'>;
  /** Whether the view paints the screen's region now (false while an overlay has the screen). */
  painting: boolean;
}

/**
 * The transcript's visible rows for a state: only the messages the window needs are laid out
 * (cached per message), the window cut out, a "N more lines below" marker when scrolled up,
 * padded to `height`.
 */
function visibleRows(
  state: ConversationState,
  layout: TranscriptLayout,
  window: TranscriptWindow,
  o: { width: number; height: number; scroll: ScrollPosition; theme: Theme },
): { slice: ViewportSlice; rows: string[] } {
  layout.retain(state.messages);
  // Following the tail, blocks a fast stream scrolls past before they are drawn are held and
  // rendered in idle time; scrolled up, every line the window may show is laid out.
  layout.followTail(o.scroll.mode === 'follow' ? o.height : undefined);
  const messages = state.messages;
  const opts = { width: o.width, expandThinking: state.expandThinking, theme: o.theme };
  const slice = window.view(
    { count: messages.length, idAt: (i) => messages[i]!.id, linesAt: (i) => layout.linesFor(messages[i]!, opts) },
    o.height,
    o.scroll,
  );
  const rows = slice.rows.slice();
  if (slice.below > 0 && rows.length > 0) {
    rows[rows.length - 1] = o.theme.warning(`↓ ${slice.below} more line${slice.below === 1 ? '' : 's'} below (End to jump)`);
  }
  while (rows.length < o.height) rows.push('');
  return { slice, rows };
}

/** A row cut to the width (ANSI-aware). */
function fitRow(row: string, width: number): string {
  return cliTruncate(row, Math.max(1, width), { position: 'end' });
}

/**
 * The transcript view's controller: lays out the conversation for the window, keeps the scroll
 * position, runs the spinner, and paints the Screen's region (transcript rows, completion menu,
 * status bar) straight from engine updates, so a streaming frame costs no React render. Without a
 * Screen (component tests) it only computes rows, which App draws in Ink.
 *
 * Data flows one way: engine state → {@link visibleRows} (transcript/) → rows → Screen.
 */
export class TranscriptView {
  readonly layout = new TranscriptLayout();
  readonly window = new TranscriptWindow();
  private readonly idle: IdleWork;
  private scroll: ScrollPosition = FOLLOW;
  private frame: TranscriptFrame | null = null;
  private spinner: { frame: number; live: LiveTokens | undefined } = { frame: 0, live: undefined };
  private timer: NodeJS.Timeout | null = null;
  /** The cache clock's next repaint while idle (the status bar's `warm m:ss`), one second at most. */
  private clock: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  /** The rows of the state App last rendered, reused when painting that same state. */
  private last: { state: ConversationState; frame: TranscriptFrame; view: { slice: ViewportSlice; rows: string[] } } | null = null;

  /**
   * @param engine the chat engine (its state is what is shown)
   * @param screen the terminal's Screen, or null when App draws the rows in Ink
   */
  constructor(
    private readonly engine: ChatEngine,
    private readonly screen: Screen | null,
  ) {
    // Held blocks (layout.followTail) are rendered once frames stop, and painted: the window's
    // rows should not change (the Screen then writes nothing), but if they do the screen follows.
    this.idle = new IdleWork((ms) => {
      const left = this.layout.catchUp(ms);
      this.paint();
      return left;
    });
    this.unsubscribe = screen ? engine.subscribe(() => this.streamed()) : () => {};
  }

  /** No streaming frame is laid out before this time (performance.now() ms): see {@link streamed}. */
  private notBefore = 0;
  private deferred: NodeJS.Timeout | null = null;

  /**
   * The engine's state changed. While a reply streams, a frame whose layout took long (a reply of
   * megabytes: even reading its text costs a copy of it) delays the next one, so that laying out
   * takes at most about a quarter of the time and keys (Esc, Ctrl+C, scrolling) are read between
   * frames whatever the reply holds; any other change is painted at once.
   */
  private streamed(): void {
    const now = performance.now();
    if (this.engine.getState().phase === 'streaming' && now < this.notBefore) {
      this.deferred ??= setTimeout(() => {
        this.deferred = null;
        this.paint();
      }, this.notBefore - now);
      return;
    }
    this.paint();
  }

  /** Where the window is: following the reply, or scrolled to a place. */
  get position(): ScrollPosition {
    return this.scroll;
  }

  /** The spinner's frame number (advances every {@link SPINNER_MS} while a reply runs). */
  get spinnerFrame(): number {
    return this.spinner.frame;
  }

  /** Calls `listener` when the scroll position changes. @returns unsubscribe */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * The visible rows for `state` at the frame's size. App calls this while rendering (without a
   * Screen it draws them); the result is kept for the paint that follows the render.
   */
  rows(state: ConversationState, frame: TranscriptFrame): { slice: ViewportSlice; rows: string[] } {
    const view = visibleRows(state, this.layout, this.window, {
      width: frame.width,
      height: frame.height,
      scroll: this.scroll,
      theme: frame.theme,
    });
    this.last = { state, frame, view };
    this.idle.poke(this.layout.holds);
    return view;
  }

  /** The app's layout after a render: paints the region at once (a Screen flushes per microtask). */
  setFrame(frame: TranscriptFrame): void {
    this.frame = frame;
    this.paint();
  }

  /** Moves the window by `rows` (negative: up), every line laid out as the window will show it. */
  scrollBy(rows: number): void {
    if (!this.frame) return;
    this.layout.followTail(undefined);
    this.setScroll(this.window.scrollBy(this.scroll, rows, this.frame.height));
  }

  /** The top of the conversation. */
  scrollToTop(): void {
    this.setScroll(this.window.scrollToTop());
  }

  /** Back to following the reply. */
  follow(): void {
    this.setScroll(FOLLOW);
  }

  /** Starts or stops the spinner (while a reply runs). */
  setBusy(busy: boolean): void {
    if (busy === (this.timer !== null)) return;
    if (!busy) {
      clearInterval(this.timer!);
      this.timer = null;
      // The reply's last paint came while the spinner ran: the cache clock starts from here.
      if (this.screen && this.frame) this.tickClock(this.engine.getState(), this.frame);
      return;
    }
    this.spinner = { frame: this.spinner.frame, live: undefined };
    let ticks = 0;
    let lastTokens = -1;
    this.timer = setInterval(() => {
      ticks += 1;
      const live = liveReplyTokens(this.engine.getState());
      // While text flows the reply itself shows the stream is alive: the spinner and the live
      // count turn once a second then (each turn rewrites the end of the status bar, ~20 bytes),
      // and four times a second while nothing arrives, so a stall shows at once.
      const flowing = live.tokens !== lastTokens;
      lastTokens = live.tokens;
      if (flowing && ticks % SLOW_EVERY !== 0) return;
      this.spinner = { frame: this.spinner.frame + 1, live };
      if (this.screen) this.paint();
      else for (const l of this.listeners) l();
    }, SPINNER_MS);
    this.timer.unref?.();
  }

  /** Stops the timers and the engine subscription. */
  dispose(): void {
    this.setBusy(false);
    if (this.clock) clearTimeout(this.clock);
    this.clock = null;
    this.idle.dispose();
    this.unsubscribe();
    if (this.deferred) clearTimeout(this.deferred);
  }

  /** The status bar's line for a state, as the Screen's region shows it. */
  statusRow(state: ConversationState, frame: TranscriptFrame): string {
    return statusLine({ ...frame.status, state, frame: this.spinner.frame, liveTokens: this.spinner.live }, frame.width);
  }

  private setScroll(s: ScrollPosition): void {
    if (s === this.scroll) return;
    this.scroll = s;
    this.last = null;
    for (const l of this.listeners) l();
    this.paint();
  }

  /** Paints the region for the engine's state now (Screen only). */
  private paint(): void {
    const screen = this.screen;
    const frame = this.frame;
    if (!screen || !frame) return;
    if (!frame.painting) {
      screen.setRegion([], 0, 0);
      return;
    }
    const state = this.engine.getState();
    const last = this.last;
    const reuse = last && last.state === state && last.frame.width === frame.width && last.frame.height === frame.height;
    // rows() pokes the idle work itself; a reused view was laid out before and still needs it.
    const started = performance.now();
    const view = reuse ? last.view : this.rows(state, frame);
    const took = performance.now() - started;
    this.notBefore = took > SLOW_FRAME_MS ? started + took * 4 : 0;
    if (this.deferred && this.notBefore === 0) {
      clearTimeout(this.deferred);
      this.deferred = null;
    }
    if (reuse) this.idle.poke(this.layout.holds);
    const below = [...frame.menu.map((l) => fitRow(l, frame.width)), this.statusRow(state, frame)];
    screen.setRegion([...view.rows, ...below], view.slice.top, frame.height);
    this.tickClock(state, frame);
  }

  /**
   * While idle with a warm prompt cache, repaints when the status bar's cache clock next changes
   * (each second, until it shows `cold`): the Screen writes only the row's changed tail, a few
   * bytes. While a reply runs the spinner's timer repaints instead; nothing runs once cold.
   */
  private tickClock(state: ConversationState, frame: TranscriptFrame): void {
    if (this.clock || this.timer) return;
    const until = cacheWarmUntil(state, frame.status.promptCache);
    const left = until === null ? 0 : until - Date.now();
    if (left <= 0) return;
    this.clock = setTimeout(
      () => {
        this.clock = null;
        this.paint();
      },
      left % 1000 || 1000,
    );
    this.clock.unref?.();
  }
}
