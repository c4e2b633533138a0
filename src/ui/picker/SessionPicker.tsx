import { Box, Text, useInput, type Key } from 'ink';
import TextInput from 'ink-text-input';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { sanitizeModelText } from '../../markdown/sanitize.js';
import type { SessionSummary } from '../../sessions/list.js';
import type { Theme } from '../../theme.js';
import { filterSessions } from './filter.js';
import { pickerCommand, type PickerCommand } from './keys.js';
import { displayTitle, keepVisible, moveSelection, renderRow, truncateToWidth } from './view.js';

/** Result of a delete or rename (the session store's `ManageResult`). */
export type PickerResult = { ok: true } | { ok: false; reason: string };

/** Props of {@link SessionPicker}. */
export interface SessionPickerProps {
  sessions: readonly SessionSummary[];
  /** Optional content search (see filter.ts `makeContentIndex`). Keep it stable between renders. */
  contentOf?: (id: string) => string | null;
  /** Rows and columns available for the whole picker (it is drawn in place of the transcript). */
  width: number;
  height: number;
  /** The id of the session open now (marked, and not deletable). */
  currentId: string | null;
  /** Enter on a session (damaged ones too: open what can be read, read-only). */
  onOpen(id: string): void;
  /** `y` after a delete was asked for; the row disappears on `{ ok: true }`. */
  onDelete(id: string): PickerResult;
  /** Enter in the rename field with a changed, non-blank title (as typed; the store cleans it). */
  onRename(id: string, title: string): PickerResult;
  /** Esc while browsing. */
  onClose(): void;
  theme: Theme;
  /** Clock for the relative times, ms since the epoch (tests); default Date.now. */
  now?: () => number;
}

type Mode =
  | { kind: 'browse' }
  | { kind: 'confirm-delete'; id: string; title: string }
  | { kind: 'rename'; id: string; draft: string; original: string };

type Notice = { kind: 'error' | 'info'; text: string } | null;

/** Changes made here that the `sessions` prop may not show yet: reset when a new list arrives. */
interface LocalEdits {
  base: readonly SessionSummary[];
  hidden: ReadonlySet<string>;
  titles: ReadonlyMap<string, string>;
}

/** Rows of the picker that are not list rows: the search field, the message line, the keys line. */
const CHROME_ROWS = 3;

/**
 * Calls `onKey` for every key press. Rendered as the picker's first child so that its input
 * listener is registered before the text fields' (Ink calls listeners in the order their effects
 * ran): the picker decides what a key means before a field can type it.
 */
function KeyListener({ onKey }: { onKey: (input: string, key: Key) => void }) {
  useInput(onKey);
  return null;
}

/**
 * The `/sessions` picker, drawn in place of the transcript: a search field (typing filters
 * live, by title and, with `contentOf`, by text), the matching sessions newest first with title
 * matches before text matches, a message line and a keys line.
 *
 * Keys (keys.ts has the full scheme): ↑/↓ or Ctrl+P/Ctrl+N move, PgUp/PgDn page, Enter opens,
 * Esc closes. Ctrl+D deletes and Ctrl+R renames at any time; while the search field is empty,
 * plain `d` and `r` do too. A delete asks `Delete "<title>"? y/n` in the row; a rename edits the
 * title in the row (Enter saves, Esc cancels). The session open now cannot be deleted, a damaged
 * one cannot be renamed (it is never modified); refusals and errors from `onDelete`/`onRename`
 * appear on the message line.
 *
 * The host must keep its own input handlers and text fields inactive while the picker is shown
 * (they would see the same keys), including `usePaste`.
 */
export function SessionPicker({
  sessions,
  contentOf,
  width,
  height,
  currentId,
  onOpen,
  onDelete,
  onRename,
  onClose,
  theme,
  now = Date.now,
}: SessionPickerProps) {
  const [query, setQuery] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'browse' });
  const [notice, setNotice] = useState<Notice>(null);
  const [editsState, setEdits] = useState<LocalEdits>({ base: sessions, hidden: new Set(), titles: new Map() });
  const fresh = useMemo<LocalEdits>(() => ({ base: sessions, hidden: new Set(), titles: new Map() }), [sessions]);
  const edits = editsState.base === sessions ? editsState : fresh;
  /** Set by the key listener for each key: true when the text fields must not take it. */
  const swallow = useRef(false);
  const topRef = useRef(0);

  const shown = useMemo(
    () =>
      sessions
        .filter((s) => !edits.hidden.has(s.id))
        .map((s) => {
          const title = edits.titles.get(s.id);
          return title === undefined ? s : { ...s, title };
        }),
    [sessions, edits.hidden, edits.titles],
  );
  const matches = useMemo(() => filterSessions(shown, query, contentOf), [shown, query, contentOf]);

  const listRows = Math.max(1, height - CHROME_ROWS);
  const found = selectedId === null ? -1 : matches.findIndex((s) => s.id === selectedId);
  const selected = found >= 0 ? found : matches.length > 0 ? 0 : -1;
  const selectedSession = selected >= 0 ? matches[selected]! : null;
  const top = keepVisible(topRef.current, selected, listRows, matches.length);
  topRef.current = top;

  const select = (index: number) => setSelectedId(index >= 0 ? matches[index]!.id : null);

  const run = (cmd: PickerCommand) => {
    switch (cmd.type) {
      case 'type':
      case 'ignore':
        return;
      case 'move':
        select(moveSelection(selected, cmd.by, matches.length));
        setNotice(null);
        return;
      case 'page':
        select(moveSelection(selected, cmd.by * listRows, matches.length));
        setNotice(null);
        return;
      case 'open':
        if (selectedSession) onOpen(selectedSession.id);
        return;
      case 'close':
        onClose();
        return;
      case 'delete':
        if (!selectedSession) return;
        if (selectedSession.id === currentId) {
          setNotice({ kind: 'error', text: 'That is the session open now; it cannot be deleted from here.' });
          return;
        }
        setNotice(null);
        setMode({ kind: 'confirm-delete', id: selectedSession.id, title: selectedSession.title });
        return;
      case 'rename':
        if (!selectedSession) return;
        if (selectedSession.damaged) {
          setNotice({ kind: 'error', text: 'This session file is damaged, so it cannot be renamed: it is never modified.' });
          return;
        }
        setNotice(null);
        setMode({ kind: 'rename', id: selectedSession.id, draft: selectedSession.title, original: selectedSession.title });
        return;
      case 'confirm': {
        if (mode.kind !== 'confirm-delete') return;
        const result = onDelete(mode.id);
        setMode({ kind: 'browse' });
        if (!result.ok) {
          setNotice({ kind: 'error', text: result.reason });
          return;
        }
        const at = matches.findIndex((s) => s.id === mode.id);
        const next = matches[at + 1] ?? matches[at - 1] ?? null;
        setSelectedId(next?.id ?? null);
        setEdits({ ...edits, hidden: new Set([...edits.hidden, mode.id]) });
        setNotice({ kind: 'info', text: `Deleted "${displayTitle(mode.title)}".` });
        return;
      }
      case 'cancel':
        setMode({ kind: 'browse' });
        setNotice(null);
        return;
      case 'clear':
        if (mode.kind === 'rename') setMode({ ...mode, draft: '' });
        else if (mode.kind === 'browse') {
          setQuery('');
          setSelectedId(null);
        }
        return;
      case 'save': {
        if (mode.kind !== 'rename') return;
        const title = mode.draft.trim();
        if (title === '') {
          setNotice({ kind: 'error', text: 'A title cannot be blank.' });
          return;
        }
        setMode({ kind: 'browse' });
        if (title === mode.original.trim()) {
          setNotice(null);
          return;
        }
        const result = onRename(mode.id, mode.draft);
        if (!result.ok) {
          setNotice({ kind: 'error', text: result.reason });
          return;
        }
        const clean = title.replace(/\s+/g, ' ');
        setEdits({ ...edits, titles: new Map([...edits.titles, [mode.id, clean]]) });
        setNotice({ kind: 'info', text: `Renamed to "${displayTitle(clean)}".` });
        return;
      }
      default: {
        const never: never = cmd;
        return never;
      }
    }
  };

  const onKey = (input: string, key: Key) => {
    const cmd = pickerCommand(mode.kind, query === '', input, key);
    swallow.current = cmd.type !== 'type';
    run(cmd);
  };

  const changeQuery = (value: string) => {
    if (swallow.current) return;
    setQuery(value);
    setSelectedId(null);
    setNotice(null);
  };
  const changeDraft = (value: string) => {
    if (swallow.current || mode.kind !== 'rename') return;
    setMode({ ...mode, draft: value });
  };

  // The list.
  const t = now();
  const rows: ReactNode[] = [];
  if (matches.length === 0) {
    rows.push(
      <Text key="empty" wrap="truncate-end">
        {theme.muted(shown.length === 0 ? '  No saved sessions yet.' : `  No sessions match "${sanitizeModelText(query)}".`)}
      </Text>,
    );
  }
  for (let i = top; i < Math.min(matches.length, top + listRows); i++) {
    const s = matches[i]!;
    const isSelected = i === selected;
    if (isSelected && mode.kind === 'rename' && mode.id === s.id) {
      rows.push(
        <Box key={s.id} width={width} height={1} overflow="hidden">
          <Text>{theme.accent('› Rename: ')}</Text>
          <TextInput value={mode.draft} onChange={changeDraft} focus />
        </Box>,
      );
      continue;
    }
    const text =
      isSelected && mode.kind === 'confirm-delete' && mode.id === s.id
        ? theme.accent('› ') + theme.warning(`Delete "${truncateToWidth(displayTitle(s.title), Math.max(8, width - 20))}"? y/n`)
        : renderRow(s, { width, now: t, selected: isSelected, current: s.id === currentId, theme });
    rows.push(
      <Text key={s.id} wrap="truncate-end">
        {text}
      </Text>,
    );
  }

  // The message line: a notice, else a word on the selected damaged session, else counts.
  let message: string;
  if (notice) message = notice.kind === 'error' ? theme.error(notice.text) : theme.info(notice.text);
  else if (mode.kind === 'browse' && selectedSession?.damaged) {
    message = theme.warning('This file is damaged: Enter opens what could be read, read-only.');
  } else {
    const count =
      query.trim() === '' ? `${shown.length} session${shown.length === 1 ? '' : 's'}` : `${matches.length} of ${shown.length} match`;
    const range = matches.length > listRows ? ` · ${top + 1}–${Math.min(matches.length, top + listRows)} shown` : '';
    message = theme.muted(count + range);
  }

  const keys =
    mode.kind === 'confirm-delete'
      ? 'y delete · n or Esc keep it'
      : mode.kind === 'rename'
        ? 'Enter save · Ctrl+U clear · Esc cancel'
        : query === ''
          ? '↑↓/PgUp/PgDn move · Enter open · d/Ctrl+D delete · r/Ctrl+R rename · Esc close'
          : '↑↓/PgUp/PgDn move · Enter open · Ctrl+D delete · Ctrl+R rename · Esc close';

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <KeyListener onKey={onKey} />
      <Box width={width} height={1} overflow="hidden">
        <Text>{theme.accent('Sessions ') + theme.muted('search: ')}</Text>
        <TextInput
          value={query}
          onChange={changeQuery}
          focus={mode.kind === 'browse'}
          placeholder={contentOf ? 'type to search titles and text' : 'type to search titles'}
        />
      </Box>
      <Box flexDirection="column" width={width} height={listRows} overflow="hidden">
        {rows}
      </Box>
      <Text wrap="truncate-end">{message}</Text>
      <Text wrap="truncate-end">{theme.status(keys)}</Text>
    </Box>
  );
}
