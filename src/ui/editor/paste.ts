/**
 * Big pastes as chips: a paste of more than {@link PASTE_CHIP_LINES} lines or
 * {@link PASTE_CHIP_CHARS} characters goes into the prompt as one short label,
 * `[pasted 2,000 lines]`, instead of as thousands of editor rows (laying out and redrawing them
 * on every key made a 10 MB paste freeze the prompt for a minute). The label stands for the text:
 * Enter sends the full text in its place, Backspace right after it removes it whole, Ctrl+O
 * expands it into the editor. Pure functions; the editor keeps the label → text map.
 */

/** A paste with more lines than this becomes a chip. */
export const PASTE_CHIP_LINES = 100;
/** A paste with more UTF-16 code units than this becomes a chip. */
export const PASTE_CHIP_CHARS = 10_000;

/** Whether `text` (a sanitised paste) is big enough to go in as a chip. O(its length) at most. */
export function isBigPaste(text: string): boolean {
  if (text.length > PASTE_CHIP_CHARS) return true;
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
    if (at === text.length - 1) break; // a trailing newline ends the last line
    if (++lines > PASTE_CHIP_LINES) return true;
  }
  return false;
}

/** Lines of a paste, a trailing newline not counted as one more. */
function lineCount(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (at < text.length - 1) lines++;
  return lines;
}

/**
 * The chip's label for `text`: `[pasted 2,000 lines]`, or `[pasted 12,345 characters]` for a
 * paste of one line; `#2`, `#3`, … added while an earlier chip has the same label.
 * @param taken whether a label is already in use (in the editor's map)
 */
export function chipLabel(text: string, taken: (label: string) => boolean): string {
  const lines = lineCount(text);
  const size = lines > 1 ? `${lines.toLocaleString('en-US')} lines` : `${text.length.toLocaleString('en-US')} characters`;
  let label = `[pasted ${size}]`;
  for (let n = 2; taken(label); n++) label = `[pasted ${size} #${n}]`;
  return label;
}

/**
 * The prompt as it is sent: every chip label in `text` replaced by the text it stands for.
 * Labels the user broke by editing inside them are no longer chips and stay as typed.
 * @param chips label → pasted text
 */
export function expandChips(text: string, chips: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [label, pasted] of chips) if (out.includes(label)) out = out.split(label).join(pasted);
  return out;
}

/** The chip whose label ends at `caret` (a UTF-16 offset in `text`), or null. */
export function chipBefore(text: string, caret: number, chips: ReadonlyMap<string, string>): string | null {
  if (caret === 0 || text[caret - 1] !== ']') return null;
  for (const label of chips.keys()) if (caret >= label.length && text.startsWith(label, caret - label.length)) return label;
  return null;
}
