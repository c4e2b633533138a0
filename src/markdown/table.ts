/**
 * GFM tables (https://github.github.com/gfm/#tables-extension-) as box-drawn text that always
 * fits the given width: columns shrink and their cells wrap (text/wrap.ts: ANSI- and
 * wide-character-aware) when the natural layout is too wide. Same box characters as cli-table3
 * (what marked-terminal uses), which cannot be told a total width.
 */
import { wrapStyled } from '../text/wrap.js';
import { stripSgr } from '../text/sgr.js';
import { colorMarkdown, visibleWidth, type MarkdownStyles } from './style.js';

/** Column alignment from the delimiter row. */
export type TableAlign = 'left' | 'center' | 'right' | null;

/** Narrowest content width of a column, in columns, before falling back to the stacked layout. */
const MIN_COLUMN = 3;

/**
 * Lay out a table. `head` and every row hold rendered inline cell text (may contain SGR).
 * Returns lines (no trailing newline) each at most `width` columns wide when `width` allows a
 * box at all; otherwise a stacked "header: value" layout (whose long lines the caller wraps).
 * `width` is in terminal columns, ≥ 1; `md` styles the borders and the header row (default:
 * colour). Never throws.
 */
export function layoutTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly TableAlign[],
  width: number,
  md: MarkdownStyles = colorMarkdown,
): string[] {
  const n = head.length;
  if (n === 0) return [];
  const cells = [head, ...rows].map((row) => Array.from({ length: n }, (_, j) => row[j] ?? ''));
  const natural = Array.from({ length: n }, (_, j) => Math.max(1, ...cells.map((row) => maxLineWidth(row[j] as string))));
  const overhead = 3 * n + 1; // "│ " + " " per column, plus the closing "│"
  const available = width - overhead;
  if (available < MIN_COLUMN * n && available < natural.reduce((a, b) => a + b, 0)) {
    return stacked(head, rows, md);
  }
  const words = Array.from({ length: n }, (_, j) => Math.max(...cells.map((row) => longestWord(row[j] as string))));
  const widths = fitColumns(natural, words, available);
  const wrapped = cells.map((row) => row.map((cell, j) => wrapCell(cell, widths[j] as number)));
  const multiLine = wrapped.slice(1).some((row) => row.some((lines) => lines.length > 1));

  const border = (left: string, mid: string, right: string): string =>
    md.tableBorder(left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right);
  const bar = md.tableBorder('│');
  const drawRow = (row: string[][], isHead: boolean): string[] => {
    const height = Math.max(...row.map((lines) => lines.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = row.map((lines, j) => {
        const text = lines[k] ?? '';
        const padded = pad(text, widths[j] as number, align[j] ?? null);
        return ' ' + (isHead ? md.tableHead(padded) : padded) + ' ';
      });
      out.push(bar + parts.join(bar) + bar);
    }
    return out;
  };

  const lines = [border('┌', '┬', '┐'), ...drawRow(wrapped[0] as string[][], true)];
  wrapped.slice(1).forEach((row, i) => {
    if (i === 0 || multiLine) lines.push(border('├', '┼', '┤'));
    lines.push(...drawRow(row, false));
  });
  lines.push(border('└', '┴', '┘'));
  return lines;
}

/**
 * Share `available` columns between the table's columns. When every column can keep its longest
 * word unbroken, each gets that much and the rest is shared in proportion to how much more each
 * column would need for its natural (unwrapped) width. Otherwise water-filling: every column gets
 * min(natural, fair share), at least {@link MIN_COLUMN}.
 */
function fitColumns(natural: readonly number[], words: readonly number[], available: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= available) return [...natural];
  const low = natural.map((w, j) => Math.max(1, Math.min(w, words[j] as number)));
  const lowTotal = low.reduce((a, b) => a + b, 0);
  if (lowTotal <= available) {
    const widths = [...low];
    const want = natural.map((w, j) => w - (low[j] as number));
    let extra = available - lowTotal;
    // Columns that need little get all of it (cheap, and saves wrapping them) ...
    const order = want.map((w, j) => [w, j] as const).sort((a, b) => a[0] - b[0]);
    let k = 0;
    while (k < order.length && (order[k] as readonly [number, number])[0] <= extra / (order.length - k)) {
      const [w, j] = order[k] as readonly [number, number];
      widths[j] = (widths[j] as number) + w;
      extra -= w;
      k++;
    }
    // ... the rest share what is left in proportion to their need (largest remainder).
    const rest = order.slice(k);
    const restWant = rest.reduce((sum, [w]) => sum + w, 0);
    const shares = rest.map(([w, j]) => [j, (w * extra) / restWant] as const);
    for (const [j, share] of shares) widths[j] = (widths[j] as number) + Math.floor(share);
    let left = extra - shares.reduce((sum, [, share]) => sum + Math.floor(share), 0);
    for (const [j] of [...shares].sort((a, b) => (b[1] % 1) - (a[1] % 1))) {
      if (left <= 0) break;
      widths[j] = (widths[j] as number) + 1;
      left--;
    }
    return widths;
  }
  const widths = new Array<number>(natural.length).fill(0);
  const order = natural.map((w, j) => [w, j] as const).sort((a, b) => a[0] - b[0]);
  let remaining = available;
  order.forEach(([w, j], k) => {
    const share = Math.floor(remaining / (order.length - k));
    const given = Math.max(Math.min(w, share), Math.min(w, MIN_COLUMN));
    widths[j] = given;
    remaining -= given;
  });
  return widths;
}

/** Width of the longest word (space-separated run) in a cell, in columns. */
function longestWord(text: string): number {
  return Math.max(0, ...stripSgr(text).split(/\s+/).map(visibleWidth));
}

function wrapCell(cell: string, width: number): string[] {
  const lines = cell.split('\n');
  return lines.flatMap((line) => (visibleWidth(line) <= width ? [line] : wrapStyled(line, width, { hard: true }).split('\n')));
}

function pad(text: string, width: number, align: TableAlign): string {
  const gap = Math.max(0, width - visibleWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + text + ' '.repeat(gap - left);
  }
  return text + ' '.repeat(gap);
}

function maxLineWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleWidth));
}

/** Too narrow for a box: one "header: value" line per cell, rows separated by blank lines. */
function stacked(head: readonly string[], rows: readonly (readonly string[])[], md: MarkdownStyles): string[] {
  const out: string[] = [];
  rows.forEach((row, i) => {
    if (i > 0) out.push('');
    for (const [j, h] of head.entries()) out.push(`${md.tableHead(h)}: ${row[j] ?? ''}`);
  });
  if (rows.length === 0) out.push(head.map((h) => md.tableHead(h)).join(' | '));
  return out;
}
