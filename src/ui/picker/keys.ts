import type { Key } from 'ink';

/**
 * What a key press means in the session picker (pure; the component carries it out).
 *
 * Key scheme (also shown in the picker's footer):
 * - Browsing: ↑/↓ or Ctrl+P/Ctrl+N move, PgUp/PgDn move a page, Enter opens, Esc closes.
 *   Ctrl+D deletes and Ctrl+R renames the selected session at any time; while the search field is
 *   empty, plain `d` and `r` do the same (so a search cannot start with a lower-case d or r: type
 *   D or R, the search ignores case). Any other key edits the search field.
 * - Confirming a delete: `y` deletes, `n` or Esc keeps it; other keys do nothing.
 * - Renaming: Enter saves, Esc cancels, Ctrl+U clears the title (as in the prompt editor), other
 *   keys edit the title. Ctrl+U while browsing clears the search.
 * Keys with Ctrl or Alt that mean nothing here are swallowed, so they never type a letter.
 */
export type PickerCommand =
  | { type: 'move'; by: number }
  | { type: 'page'; by: 1 | -1 }
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'delete' }
  | { type: 'rename' }
  | { type: 'confirm' }
  | { type: 'cancel' }
  | { type: 'save' }
  /** Ctrl+U: empty the focused text field (the rename field, else the search). */
  | { type: 'clear' }
  /** Let the focused text field have the key. */
  | { type: 'type' }
  /** Do nothing, and keep the key from the text field. */
  | { type: 'ignore' };

/** The picker's modes, as far as keys are concerned. */
export type PickerKeyMode = 'browse' | 'confirm-delete' | 'rename';

/** The subset of Ink's `Key` the picker reads. */
export type PickerKey = Pick<Key, 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'meta'>;

/**
 * Maps one key press to a command.
 * @param mode what the picker is doing
 * @param queryEmpty whether the search field is empty (plain `d`/`r` are commands only then)
 * @param input the text Ink reports for the key (a letter for Ctrl+letter)
 * @param key Ink's key flags
 */
export function pickerCommand(mode: PickerKeyMode, queryEmpty: boolean, input: string, key: PickerKey): PickerCommand {
  switch (mode) {
    case 'confirm-delete':
      if (key.escape) return { type: 'cancel' };
      if (key.ctrl || key.meta) return { type: 'ignore' };
      if (input === 'y' || input === 'Y') return { type: 'confirm' };
      if (input === 'n' || input === 'N') return { type: 'cancel' };
      return { type: 'ignore' };
    case 'rename':
      if (key.escape) return { type: 'cancel' };
      if (key.return) return { type: 'save' };
      if (key.ctrl && input === 'u') return { type: 'clear' };
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return { type: 'ignore' };
      return { type: 'type' };
    case 'browse':
      if (key.escape) return { type: 'close' };
      if (key.return) return { type: 'open' };
      if (key.upArrow) return { type: 'move', by: -1 };
      if (key.downArrow) return { type: 'move', by: 1 };
      if (key.pageUp) return { type: 'page', by: -1 };
      if (key.pageDown) return { type: 'page', by: 1 };
      if (key.ctrl) {
        if (input === 'p') return { type: 'move', by: -1 };
        if (input === 'n') return { type: 'move', by: 1 };
        if (input === 'd') return { type: 'delete' };
        if (input === 'r') return { type: 'rename' };
        if (input === 'u') return { type: 'clear' };
        return { type: 'ignore' };
      }
      if (key.meta) return { type: 'ignore' };
      if (queryEmpty && input === 'd') return { type: 'delete' };
      if (queryEmpty && input === 'r') return { type: 'rename' };
      return { type: 'type' };
    default: {
      const never: never = mode;
      return never;
    }
  }
}
