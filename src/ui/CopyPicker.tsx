import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { sanitizeModelText } from '../markdown/sanitize.js';
import type { Theme } from '../theme.js';
import { type CopyItem, itemRow } from './copy-picker.js';

/** How a block is copied: its markdown source, or plain text with soft wraps joined. */
export type CopyFormat = 'markdown' | 'plain';

/** Props of `/copy`'s picker. */
export interface CopyPickerProps {
  items: readonly CopyItem[];
  /** Columns and rows the picker fills. */
  width: number;
  height: number;
  theme: Theme;
  /** The row selected first (the last reply's whole text). */
  initial: number;
  onCopy(item: CopyItem, format: CopyFormat): void;
  onClose(): void;
}

/** Rows of the selected block's source shown under the list, at most. */
const PREVIEW_ROWS = 8;

/**
 * `/copy`'s picker over the blocks of the last replies (ui/copy-picker.ts): ↑/↓ (or k/j),
 * PgUp/PgDn and Home/End choose; Enter copies the block's markdown source, `p` its plain text;
 * Esc or `q` closes. Under the list, the start of the selected block's source.
 */
export function CopyPicker({ items, width, height, theme, initial, onCopy, onClose }: CopyPickerProps) {
  const [selected, setSelected] = useState(Math.min(Math.max(0, initial), items.length - 1));
  const previewRows = Math.max(0, Math.min(PREVIEW_ROWS, Math.floor((height - 3) / 3)));
  const listRows = Math.max(1, height - 2 - (previewRows > 0 ? previewRows + 1 : 0));
  const move = (by: number) => setSelected((s) => Math.min(items.length - 1, Math.max(0, s + by)));

  useInput((text, key) => {
    if (key.escape || text === 'q') onClose();
    else if (key.upArrow || text === 'k') move(-1);
    else if (key.downArrow || text === 'j') move(1);
    else if (key.pageUp) move(-listRows);
    else if (key.pageDown) move(listRows);
    else if (key.home) setSelected(0);
    else if (key.end) setSelected(items.length - 1);
    else if (key.return && items[selected]) onCopy(items[selected], 'markdown');
    else if (text === 'p' && items[selected]) onCopy(items[selected], 'plain');
  });

  const top = Math.min(Math.max(0, selected - Math.floor(listRows / 2)), Math.max(0, items.length - listRows));
  const visible = items.slice(top, top + listRows);
  const chosen = items[selected];
  const preview = chosen
    ? sanitizeModelText(chosen.block.markdown)
        .split('\n')
        .slice(0, previewRows)
        .map((l) => l.slice(0, width * 2))
    : [];
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text wrap="truncate-end">
        {theme.accent('Copy')}
        {theme.muted('  ↑/↓ choose · Enter copies markdown · p plain text · Esc closes')}
      </Text>
      {visible.map((item, i) => (
        <Text key={top + i} wrap="truncate-end">
          {top + i === selected ? theme.accent(`▸ ${itemRow(item, width - 2)}`) : `  ${itemRow(item, width - 2)}`}
        </Text>
      ))}
      {previewRows > 0 && <Text> </Text>}
      {preview.map((l, i) => (
        <Text key={`p${i}`} wrap="truncate-end">
          {theme.muted(l || ' ')}
        </Text>
      ))}
    </Box>
  );
}
