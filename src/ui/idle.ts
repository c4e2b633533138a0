/**
 * Deferred work done in idle time: slices of at most `sliceMs` once the app has had no frame for
 * `quietMs`, so it never delays the frames of a stream that is still arriving.
 */
export class IdleWork {
  private timer: NodeJS.Timeout | null = null;
  /** A slice is running: frames it paints itself do not restart the quiet period. */
  private running = false;

  /**
   * @param work does up to `budgetMs` (wall-clock ms) of the work; returns how much is left (0: done)
   * @param quietMs ms without a {@link poke} before the first slice
   * @param sliceMs budget of each slice; slices follow each other through the timer queue, so
   *   keys and terminal data are handled between them
   */
  constructor(
    private readonly work: (budgetMs: number) => number,
    private readonly quietMs = 50,
    private readonly sliceMs = 8,
  ) {}

  /** Call after every frame: restarts the quiet period while there is work (`pending`), cancels it otherwise. */
  poke(pending: boolean): void {
    if (this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = pending ? setTimeout(this.run, this.quietMs).unref() : null;
  }

  /** Cancels what is scheduled. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly run = (): void => {
    this.timer = null;
    this.running = true;
    let left: number;
    try {
      left = this.work(this.sliceMs);
    } finally {
      this.running = false;
    }
    if (left > 0) this.timer = setTimeout(this.run, 0).unref();
  };
}
