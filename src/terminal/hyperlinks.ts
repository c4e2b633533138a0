import { supportsHyperlink } from 'supports-hyperlinks';
import { OSC8_PATTERN } from '../markdown/links.js';

/**
 * Whether the terminal shows OSC 8 hyperlinks (supports-hyperlinks 3: the terminal programs known
 * to, by TERM_PROGRAM, VTE_VERSION and the like; `FORCE_HYPERLINK=1` or `=0` decides). Kept apart
 * so the Screen stays free of environment lookups.
 * @param stream the terminal's output stream
 */
export function terminalHyperlinks(stream: { isTTY?: boolean }): boolean {
  try {
    return supportsHyperlink(stream);
  } catch {
    return false;
  }
}

/** A row without its hyperlinks: the same text, for a terminal that does not take them. */
export function stripHyperlinks(row: string): string {
  return row.includes('\x1b]8;') ? row.replace(OSC8_PATTERN, '') : row;
}
