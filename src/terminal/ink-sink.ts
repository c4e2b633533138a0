import { EventEmitter } from 'node:events';
import type { Screen } from './screen.js';

/**
 * The output stream Ink renders into: a stand-in terminal whose bytes never reach the real one
 * directly. The contract with Ink (ink 8, `build/ink.js`):
 * - Ink runs with `debug: true`, so each render writes its **whole frame** in one `write` (the
 *   `renderFrame` debug branch: `stdout.write(fullStaticOutput + output)`; inkwell uses no
 *   `<Static>`), with no cursor movement or erasing. That frame goes to {@link Screen.setInkFrame}.
 * - Between frames Ink writes **mode requests**: bracketed paste on/off (its App component, for
 *   `usePaste`), the kitty keyboard query and push/pop (`kittyKeyboard` option), and cursor
 *   show/hide or erases around `suspendTerminal`. A write made only of escape sequences is such a
 *   request: each sequence goes to {@link Screen.request}, which forwards the modes it owns and
 *   drops the rest. A frame always has text (the prompt's mark at least).
 * - Empty writes (`write('', callback)`, Ink waiting for a flush) only call back.
 *
 * Size and resize come from the Screen, so Ink lays out at the terminal's size.
 */
export class InkSink extends EventEmitter {
  readonly isTTY = true;
  readonly writable = true;
  readonly destroyed = false;
  readonly writableEnded = false;
  columns: number;
  rows: number;

  constructor(private readonly screen: Screen) {
    super();
    const { columns, rows } = screen.size;
    this.columns = columns;
    this.rows = rows;
    screen.onResize((size) => {
      this.columns = size.columns;
      this.rows = size.rows;
      this.emit('resize');
    });
  }

  /**
   * Takes one write of Ink's (see the class docstring).
   * @returns true (never applies back-pressure: the Screen writes the terminal itself)
   */
  write(chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (text !== '') {
      const requests = controlSequencesOnly(text);
      if (requests) for (const r of requests) this.screen.request(r);
      else this.screen.setInkFrame(text);
    }
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }

  /** Ink may call these on its stdout; nothing to do for a stand-in. */
  end(): this {
    return this;
  }
  cork(): void {}
  uncork(): void {}
}

/** One escape sequence: CSI (with private markers), OSC (BEL or ST ended), or a two-byte ESC x. */
const SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[^[\]]/y;

/**
 * The escape sequences `text` is made of, or null when it holds anything else (text, a newline).
 * @param text one write of Ink's
 */
export function controlSequencesOnly(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    SEQUENCE.lastIndex = i;
    const m = SEQUENCE.exec(text);
    if (!m) return null;
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}
