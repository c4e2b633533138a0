import { Box, Text, useApp, useCursor, useInput, usePaste, type Key } from 'ink';
import { useContext, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useReducer, useRef, type Ref } from 'react';
import { plainTheme, type Theme } from '../../theme.js';
import type { Redactor } from '../../domain/redact.js';
import { CaretContext } from '../caret.js';
import { editInExternalEditor, editorCommandFrom, type ExternalEditResult } from './externalEditor.js';
import { appendHistory, historyAfterSubmit, historyCursor, historyNext, historyPrev, loadHistory, type HistoryCursor } from './history.js';
import { editorCommandsFor, type EditorCommand } from './keys.js';
import { chipBefore, chipLabel, expandChips, isBigPaste } from './paste.js';
import {
  deleteBackward,
  deleteForward,
  deleteToLineEnd,
  deleteToLineStart,
  deleteWhitespaceWordBackward,
  deleteWordBackward,
  deleteWordForward,
  editorWith,
  emptyEditor,
  graphemeColumns,
  insertNewline,
  insertText,
  layoutEditor,
  moveDown,
  moveLeft,
  moveLineEnd,
  moveLineStart,
  moveRight,
  moveTextEnd,
  moveTextStart,
  moveUp,
  moveWordLeft,
  moveWordRight,
  sanitizeInput,
  scrollToCaret,
  type EditorState,
} from './state.js';

/** Columns the prompt mark ("› ") takes in front of every row. */
export const MARK_COLUMNS = 2;

/** Props of the multi-line prompt editor. */
export interface PromptEditorProps {
  /**
   * Enter: called with the text as typed (possibly empty or blank). Return true if it was accepted:
   * the editor then clears and the text goes to the history. Return false to keep the text.
   */
  onSubmit(text: string): boolean;
  /** Shown dimmed while the prompt is empty (truncated with "…" to one row). */
  placeholder: string;
  /** Columns available for the text, after the 2-column prompt mark. The editor is `width + 2` columns wide. */
  width: number;
  /** The editor grows with its content up to this many rows, then scrolls to keep the caret visible. */
  maxRows: number;
  /** Path of the JSONL history file, or null for an in-memory history only. Read once per path. */
  historyFile: string | null;
  /** Hides the credentials in use from what the history file keeps (default: nothing hidden). */
  historyRedactor?: Redactor;
  /** When false the editor ignores keys and pastes and leaves the terminal cursor alone (an overlay has focus). */
  isActive: boolean;
  /**
   * Row where the editor's first row is drawn, counted from the top of the Ink output (0 = first
   * line). Needed to put the terminal's real cursor at the caret.
   */
  originRow: number;
  /** Column where the prompt mark is drawn, from the left of the Ink output (default 0). */
  originColumn?: number;
  /**
   * Controlled text (optional). Whenever this prop changes to a value different from the editor's
   * text, the editor shows it with the caret at the end (e.g. a slash-command completion, or ''
   * to clear). Typing still updates the editor by itself; keep `value` in step through `onChange`
   * (fully controlled) so that setting the same value again later is seen as a change.
   */
  value?: string;
  /** Called with the new text after every change the user makes (not after a `value` change). */
  onChange?(text: string): void;
  /** Plain-words notices: the external editor could not run, the history could not be saved. */
  onNotice?(text: string): void;
  /**
   * Called first for every key while active; return true when the caller handled it and the
   * editor must ignore it (e.g. Up/Down/Enter/Tab while a completion menu is open).
   */
  interceptKey?(input: string, key: Key): boolean;
  /** Command for Ctrl+G (a shell command; the file path is appended). Default: `$VISUAL`, `$EDITOR`, `vi`. */
  editorCommand?: string;
  /**
   * Called while Ink has handed the terminal over for Ctrl+G: `'start'` just before the editor
   * runs, `'end'` just after it exits. For terminal modes Ink does not manage itself, e.g. write
   * `MOUSE_OFF` on start and `MOUSE_ON` on end so the editor does not receive mouse reports.
   */
  onExternalEditor?(phase: 'start' | 'end'): void;
  /**
   * `'terminal'` (default): the terminal's real cursor sits at the caret, so IME composition
   * windows open there and nothing else is drawn. `'inverse'`: the caret is drawn as an
   * inverse-video cell and the terminal cursor is left hidden.
   */
  cursorStyle?: 'terminal' | 'inverse';
  /** Colours; default the plain theme (no escapes). */
  theme?: Theme;
  /** Receives the editor's imperative controls (see {@link PromptEditorControls}). */
  controls?: Ref<PromptEditorControls>;
}

/** What the App can ask of the editor beyond its props. */
export interface PromptEditorControls {
  /**
   * Moves the text to the history (as if sent: ↑ recalls it, and it is saved to the history file)
   * and empties the editor (Ctrl+C on a draft).
   * @returns false when there was nothing but blanks to keep (the editor is emptied either way)
   */
  stash(): boolean;
}

interface HistoryRef {
  file: string | null;
  cursor: HistoryCursor;
  warned: boolean;
}

/**
 * The multi-line prompt editor: Enter sends; Shift+Enter (kitty protocol), Alt+Enter and Ctrl+J
 * insert a newline; a bracketed paste is inserted verbatim and never sends (one over 100 lines or
 * 10,000 characters as a chip, `[pasted 2,000 lines]`: paste.ts); Up/Down walk the
 * history on the first/last row; Ctrl+G edits in `$EDITOR`. The full key map is in `keys.ts`.
 * The terminal cursor is placed at the caret (`useCursor`), so IME composition appears in place.
 *
 * Keys it leaves to the App: Esc, Ctrl+C, Tab, PageUp/PageDown, Shift+↑/↓, and Home/End while the
 * prompt is empty (use `editorHandlesKey` from `keys.ts` in the App's `useInput`).
 */
export function PromptEditor(props: PromptEditorProps) {
  const { width, maxRows, isActive, placeholder, originRow, originColumn = 0, theme = plainTheme, cursorStyle = 'terminal' } = props;
  const textWidth = Math.max(1, Math.floor(width));
  const rowLimit = Math.max(1, Math.floor(maxRows));
  const { suspendTerminal } = useApp();
  const [, forceRender] = useReducer((n: number) => n + 1, 0);

  // Latest props for the async Ctrl+G continuation.
  const propsRef = useRef(props);
  propsRef.current = props;

  // The editor state lives in a ref so several events in one stdin chunk (Ink emits them
  // back to back, before React re-renders) each see the result of the previous one.
  const stateRef = useRef<EditorState | null>(null);
  if (stateRef.current === null) stateRef.current = editorWith(props.value ?? '');
  const seenValue = useRef(props.value);
  if (props.value !== seenValue.current) {
    seenValue.current = props.value;
    if (props.value !== undefined && props.value !== stateRef.current.text) stateRef.current = editorWith(props.value);
  }

  const historyRef = useRef<HistoryRef | null>(null);
  if (historyRef.current === null || historyRef.current.file !== props.historyFile) {
    const entries = props.historyFile === null ? (historyRef.current?.cursor.entries ?? []) : loadHistory(props.historyFile);
    historyRef.current = { file: props.historyFile, cursor: historyCursor(entries), warned: false };
  }

  const mountedRef = useRef(true);
  const editingRef = useRef(false);
  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
    };
  }, []);

  const commit = (next: EditorState) => {
    const prev = stateRef.current!;
    if (next === prev) return;
    stateRef.current = next;
    forceRender();
    if (next.text !== prev.text) propsRef.current.onChange?.(next.text);
  };

  // Big pastes in the prompt as chips (paste.ts): label → the pasted text.
  const chipsRef = useRef(new Map<string, string>());

  /** Replaces `[start, end)` of the text with `insert`, the caret after it. */
  const splice = (start: number, end: number, insert: string) => {
    const s = stateRef.current!;
    commit({ text: s.text.slice(0, start) + insert + s.text.slice(end), caret: start + insert.length, goalColumn: null });
  };

  /** Adds a prompt to the history, in memory and in the file (warning once if the file fails). */
  const remember = (text: string) => {
    const h = historyRef.current!;
    h.cursor = historyAfterSubmit(h.cursor, text);
    if (h.file !== null) {
      const written = appendHistory(h.file, text, propsRef.current.historyRedactor);
      if (!written.ok && !h.warned) {
        h.warned = true;
        propsRef.current.onNotice?.(written.error);
      }
    }
  };

  const submit = () => {
    const text = expandChips(stateRef.current!.text, chipsRef.current);
    if (!propsRef.current.onSubmit(text)) return;
    chipsRef.current.clear();
    remember(text);
    commit(emptyEditor);
  };

  useImperativeHandle(props.controls, () => ({
    stash: () => {
      const text = expandChips(stateRef.current!.text, chipsRef.current);
      const kept = text.trim() !== '';
      if (kept) remember(text);
      commit(emptyEditor);
      return kept;
    },
  }));

  const openExternalEditor = () => {
    if (editingRef.current) return;
    editingRef.current = true;
    const original = stateRef.current!.text;
    const command = propsRef.current.editorCommand ?? editorCommandFrom(process.env);
    const box: { result?: ExternalEditResult } = {};
    void (async () => {
      try {
        await suspendTerminal(() => {
          const hook = propsRef.current.onExternalEditor;
          hook?.('start');
          try {
            box.result = editInExternalEditor(original, command);
          } finally {
            hook?.('end');
          }
        });
      } catch (err) {
        box.result = {
          kind: 'failed',
          message: `Could not hand the terminal to the editor: ${err instanceof Error ? err.message : String(err)}`,
        };
      } finally {
        editingRef.current = false;
      }
      if (!mountedRef.current) return;
      const result = box.result;
      if (result?.kind === 'edited') commit(editorWith(result.text));
      else if (result?.kind === 'failed') propsRef.current.onNotice?.(result.message);
    })();
  };

  const run = (c: EditorCommand) => {
    const s = stateRef.current!;
    switch (c.type) {
      case 'insert':
        return commit(insertText(s, c.text));
      case 'newline':
        return commit(insertNewline(s));
      case 'submit':
        return submit();
      case 'backspace': {
        const chip = chipBefore(s.text, s.caret, chipsRef.current);
        if (chip === null) return commit(deleteBackward(s));
        chipsRef.current.delete(chip);
        return splice(s.caret - chip.length, s.caret, '');
      }
      case 'expand-paste': {
        const chip = chipBefore(s.text, s.caret, chipsRef.current);
        if (chip === null) return;
        const pasted = chipsRef.current.get(chip)!;
        chipsRef.current.delete(chip);
        return splice(s.caret - chip.length, s.caret, pasted);
      }
      case 'delete':
        return commit(deleteForward(s));
      case 'delete-word-backward':
        return commit(deleteWordBackward(s));
      case 'delete-word-forward':
        return commit(deleteWordForward(s));
      case 'delete-whitespace-word-backward':
        return commit(deleteWhitespaceWordBackward(s));
      case 'delete-to-line-start':
        return commit(deleteToLineStart(s));
      case 'delete-to-line-end':
        return commit(deleteToLineEnd(s));
      case 'left':
        return commit(moveLeft(s));
      case 'right':
        return commit(moveRight(s));
      case 'word-left':
        return commit(moveWordLeft(s));
      case 'word-right':
        return commit(moveWordRight(s));
      case 'line-start':
        return commit(moveLineStart(s));
      case 'line-end':
        return commit(moveLineEnd(s));
      case 'text-start':
        return commit(moveTextStart(s));
      case 'text-end':
        return commit(moveTextEnd(s));
      case 'up': {
        const moved = moveUp(s, textWidth);
        if (moved !== 'history-prev') return commit(moved);
        const h = historyRef.current!;
        const recalled = historyPrev(h.cursor, s.text);
        if (!recalled) return;
        h.cursor = recalled.cursor;
        return commit(editorWith(recalled.text));
      }
      case 'down': {
        const moved = moveDown(s, textWidth);
        if (moved !== 'history-next') return commit(moved);
        const h = historyRef.current!;
        const recalled = historyNext(h.cursor);
        if (!recalled) return;
        h.cursor = recalled.cursor;
        return commit(editorWith(recalled.text));
      }
      case 'external-editor':
        return openExternalEditor();
      default: {
        const unreachable: never = c;
        return unreachable;
      }
    }
  };

  useInput(
    (input, key) => {
      if (editingRef.current) return;
      if (propsRef.current.interceptKey?.(input, key)) return;
      const commands = editorCommandsFor(input, key, stateRef.current!.text !== '');
      if (commands) for (const c of commands) run(c);
    },
    { isActive },
  );

  usePaste(
    (text) => {
      if (editingRef.current) return;
      const clean = sanitizeInput(text);
      if (!isBigPaste(clean)) return commit(insertText(stateRef.current!, clean));
      const chips = chipsRef.current;
      const label = chipLabel(clean, (l) => chips.has(l));
      chips.set(label, clean);
      const s = stateRef.current!;
      splice(s.caret, s.caret, label);
    },
    { isActive },
  );

  const state = stateRef.current;
  const layout = useMemo(() => layoutEditor(state, textWidth), [state, textWidth]);
  const scrollRef = useRef(0);
  const scroll = scrollToCaret(scrollRef.current, layout.caretRow, layout.rows.length, rowLimit);
  scrollRef.current = scroll;
  const visible = layout.rows.slice(scroll, scroll + rowLimit);
  const inverse = isActive && cursorStyle === 'inverse';
  const empty = state.text === '';

  const lines = visible.map((row, i) => {
    const r = scroll + i;
    const mark =
      r === 0
        ? theme.userMark('› ')
        : i === 0
          ? theme.muted('↑ ')
          : i === visible.length - 1 && r < layout.rows.length - 1
            ? theme.muted('↓ ')
            : '  ';
    if (empty) {
      const shown = inverse ? theme.inverse(placeholder.slice(0, 1) || ' ') + theme.muted(placeholder.slice(1)) : theme.muted(placeholder);
      return mark + shown;
    }
    if (inverse && r === layout.caretRow) {
      const [before, at, after] = splitAtColumn(row, layout.caretCol);
      return mark + before + theme.inverse(at || ' ') + after;
    }
    return mark + row;
  });

  return (
    <Box flexDirection="column" width={MARK_COLUMNS + textWidth} height={visible.length} flexShrink={0}>
      {isActive && cursorStyle === 'terminal' ? (
        <TerminalCaret
          x={originColumn + MARK_COLUMNS + Math.min(layout.caretCol, textWidth - 1)}
          y={originRow + layout.caretRow - scroll}
        />
      ) : null}
      {lines.map((line, i) => (
        <Text key={scroll + i} wrap={empty ? 'truncate-end' : 'truncate'}>
          {line}
        </Text>
      ))}
    </Box>
  );
}

/**
 * Puts the terminal's cursor at (x, y) of the Ink output while mounted: through the Screen
 * (CaretContext) in the app, else with Ink's own cursor. A component of its own so
 * that an inactive editor does not touch the cursor at all (another component may own it then).
 */
function TerminalCaret({ x, y }: { x: number; y: number }) {
  const report = useContext(CaretContext);
  const { setCursorPosition } = useCursor();
  if (report === null) setCursorPosition({ x, y });
  useLayoutEffect(() => {
    report?.({ column: x, row: y });
  }, [report, x, y]);
  useLayoutEffect(() => () => report?.(null), [report]);
  return null;
}

/** Splits a drawn row at a column: the text before, the grapheme there ('' past the end), the rest. */
function splitAtColumn(row: string, column: number): [string, string, string] {
  let col = 0;
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(row)) {
    if (col >= column) return [row.slice(0, index), segment, row.slice(index + segment.length)];
    col += graphemeColumns(segment);
  }
  return [row, '', ''];
}
