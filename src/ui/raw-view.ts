import { useEffect } from 'react';
import type { ChatEngine } from '../chat/engine.js';
import type { Screen } from '../terminal/screen.js';
import type { Theme } from '../theme.js';
import { rawReplyText } from './copy-picker.js';

/**
 * The raw view (`/raw`, Ctrl+O) while `open`: the Screen leaves the alternate screen and prints
 * the last reply's logical lines (ui/copy-picker.ts `rawReplyText`) for the terminal to wrap, so
 * its own selection copies a long line as one line; closing takes the alternate screen back and
 * repaints. Without a Screen (component tests) App shows the text in Ink instead.
 */
export function useRawView(open: boolean, screen: Screen | null, engine: Pick<ChatEngine, 'getState'>, theme: Theme): void {
  useEffect(() => {
    if (!open || !screen) return;
    const footer = theme.muted('── raw view: select with the mouse · Esc returns ──');
    screen.showRaw(`${rawReplyText(engine.getState().messages) ?? ''}\n${footer}`);
    return () => screen.resume();
  }, [open, screen, engine, theme]);
}
