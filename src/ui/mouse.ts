import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { useEffect } from 'react';
import { normalizeModifiedEnter } from './editor/index.js';

/**
 * Mouse-wheel scrolling. Ink has no mouse support and drops mouse reports, so the terminal's
 * input goes through a proxy stream that takes SGR mouse reports (xterm ctlseqs, "SGR (1006)
 * extended coordinates": `ESC [ < b ; x ; y M|m`, wheel up b=64, down b=65) out of the byte
 * stream before Ink parses it, and announces wheel turns here. (The Screen turns the reports on:
 * terminal/modes.ts MOUSE_ON.)
 */

const wheel = new EventEmitter();
/** F1 as terminals send it (xterm SS3, vt220, linux console): Ink has no key flag for it. */
const F1 = /\x1bOP|\x1b\[11~|\x1b\[\[A/g;
// A complete SGR mouse report, or a trailing fragment of one that the next chunk completes.
const REPORT = /\x1b\[<(\d+);\d+;\d+[Mm]/g;
const PARTIAL_TAIL = /\x1b(\[(<[\d;]*)?)?$/;
/** Focus reports (DECSET 1004, turned on by the Screen): `ESC [ I` focus in, `ESC [ O` focus out. */
const FOCUS = /\x1b\[([IO])/g;

/**
 * Removes SGR mouse reports, F1 and focus reports from terminal input, so they never reach the
 * editor, and says what they were.
 * @param chunk input text
 * @returns the input without them, any incomplete escape at its end held back, the wheel turns,
 *   F1 presses and focus changes (true: focus in) in order
 */
export function stripMouseReports(chunk: string): {
  text: string;
  held: string;
  wheel: Array<-1 | 1>;
  f1: number;
  focus: boolean[];
} {
  const turns: Array<-1 | 1> = [];
  const focus: boolean[] = [];
  let f1 = 0;
  let text = chunk.replace(F1, () => {
    f1 += 1;
    return '';
  });
  text = text.replace(FOCUS, (_all, io: string) => {
    focus.push(io === 'I');
    return '';
  });
  text = text.replace(REPORT, (_all, b: string) => {
    const button = Number(b);
    if ((button & 0b1100_0011) === 64) turns.push(-1);
    else if ((button & 0b1100_0011) === 65) turns.push(1);
    return '';
  });
  let held = '';
  const tail = PARTIAL_TAIL.exec(text);
  // Only hold back what may be the start of a mouse report ("\x1b[<…"); a lone ESC is a key.
  if (tail?.[0].startsWith('\x1b[<')) {
    held = tail[0];
    text = text.slice(0, tail.index);
  }
  return { text, held, wheel: turns, f1, focus };
}

/** A stdin stand-in for Ink: the real TTY's input, minus mouse reports. */
export interface FilteredStdin extends PassThrough {
  isTTY: boolean;
  setRawMode(mode: boolean): FilteredStdin;
}

/**
 * Wraps a TTY input stream so Ink never sees mouse reports.
 * @param real the terminal's input (process.stdin)
 */
export function filterMouseInput(real: NodeJS.ReadStream): FilteredStdin {
  const out = new PassThrough({ encoding: 'utf8' }) as unknown as FilteredStdin;
  out.isTTY = Boolean(real.isTTY);
  out.setRawMode = (mode: boolean) => {
    if (typeof real.setRawMode === 'function') real.setRawMode(mode);
    return out;
  };
  const proxy = out as unknown as { ref: () => unknown; unref: () => unknown };
  proxy.ref = () => {
    real.ref();
    return out;
  };
  proxy.unref = () => {
    real.unref();
    return out;
  };
  let pending = '';
  const paste = new PasteAssembler();
  real.setEncoding('utf8');
  real.on('data', (chunk: string) => {
    const data = paste.push(chunk);
    if (data === '') return;
    const { text, held, wheel: turns, f1, focus } = stripMouseReports(pending + data);
    pending = held;
    for (const f of focus) terminalFocus.set(f);
    for (const t of turns) wheel.emit('wheel', t);
    for (let i = 0; i < f1; i++) wheel.emit('f1');
    if (text) out.write(normalizeModifiedEnter(text));
  });
  return out;
}

/**
 * Whether the terminal has the focus, as its focus reports say (true until the first report: a
 * terminal without focus reporting never sends one, and is taken to be looked at).
 */
export const terminalFocus = {
  focused: true,
  listeners: new Set<(focused: boolean) => void>(),
  /** Records a report and tells the listeners. */
  set(focused: boolean): void {
    this.focused = focused;
    for (const l of this.listeners) l(focused);
  },
};

/** Calls `onF1` when F1 is pressed (seen by the input filter; Ink has no key flag for it). */
export function useF1(onF1: () => void): void {
  useEffect(() => {
    wheel.on('f1', onF1);
    return () => {
      wheel.off('f1', onF1);
    };
  }, [onF1]);
}

/**
 * Calls `onWheel(-1)` for each wheel turn up and `onWheel(1)` for each turn down.
 */
export function useMouseWheel(onWheel: (direction: -1 | 1) => void): void {
  useEffect(() => {
    wheel.on('wheel', onWheel);
    return () => {
      wheel.off('wheel', onWheel);
    };
  }, [onWheel]);
}

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/**
 * Holds a bracketed paste (`ESC [200~` … `ESC [201~`) until its end has arrived and hands it on
 * in one piece. Ink's input parser parses its pending input again with every chunk, so a paste
 * arriving in 2,500 pty chunks cost it quadratic time (a 10 MB paste: a minute of CPU); here each
 * chunk is looked at once (plus the few characters an end marker may straddle) and the pieces
 * are joined once: O(paste length).
 */
export class PasteAssembler {
  #pieces: string[] | null = null;
  /** The last characters of the held paste, where a split end marker may begin. */
  #tail = '';

  /**
   * Takes one chunk of terminal input.
   * @returns what to pass on now: the input outside any paste, and a whole paste once it ended ('' while one is held)
   */
  push(chunk: string): string {
    if (this.#pieces === null) {
      const start = chunk.indexOf(PASTE_START);
      if (start < 0) return chunk;
      this.#pieces = [];
      this.#tail = '';
      const rest = this.push(chunk.slice(start));
      return chunk.slice(0, start) + rest;
    }
    const joined = this.#tail + chunk;
    const end = joined.indexOf(PASTE_END);
    if (end < 0) {
      this.#pieces.push(chunk);
      this.#tail = joined.slice(-(PASTE_END.length - 1));
      return '';
    }
    // The end marker begins `end - tail.length` characters into this chunk (maybe before it).
    const cut = end - this.#tail.length + PASTE_END.length;
    this.#pieces.push(chunk.slice(0, cut));
    const whole = this.#pieces.join('');
    this.#pieces = null;
    this.#tail = '';
    return whole + this.push(chunk.slice(cut));
  }
}
