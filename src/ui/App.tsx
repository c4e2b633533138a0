import { Box, Text, useAnimation, useApp, useInput, usePaste, useWindowSize } from 'ink';
import TextInput from 'ink-text-input';
import { useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ChatEngine } from '../app/engine.js';
import type { RecorderStatus } from '../app/recorder.js';
import type { SessionControl } from '../app/session-control.js';
import { parseInput } from './commands.js';
import { runCommand } from './run-command.js';
import type { Theme } from '../theme.js';
import { TranscriptLayout } from '../transcript/layout.js';
import { sliceViewport, type ScrollPosition } from '../transcript/viewport.js';
import { StatusBar } from './StatusBar.js';
import { scrollBy, scrollToBottom, scrollToTop } from './scroll.js';
import { useMouseWheel } from './mouse.js';
import { makeContentIndex, SessionPicker } from './picker/index.js';

/** Props of the full-screen chat. */
export interface AppProps {
  engine: ChatEngine;
  /** The saved-session side (/new, /sessions, …); null runs without sessions. */
  sessions?: SessionControl | null;
  /** Open the session picker at start (`inkwell -r` with no argument). */
  openPicker?: boolean;
  theme: Theme;
  /** Called once the user asked to quit (second Ctrl+C within 2 s). */
  onExit?: () => void;
  /** ms a second Ctrl+C has to come within to quit (default 2000). */
  doubleCtrlCMs?: number;
}

/** Rows taken by the status bar and the prompt under the transcript. */
const CHROME_ROWS = 2;

/**
 * The full-screen chat: the transcript (only the visible rows are drawn), the status bar and the
 * prompt. Keys: Enter sends; Esc stops a reply (kept, marked interrupted); Ctrl+C stops, and a
 * second Ctrl+C within 2 s quits; PgUp/PgDn, Shift+↑/↓, Home/End and the mouse wheel scroll; Tab
 * expands or collapses thinking.
 */
const NO_SESSION: RecorderStatus = { id: null, title: null, problem: null, readOnly: null };
const noSubscribe = () => () => {};

export function App({ engine, sessions = null, openPicker = false, theme, onExit, doubleCtrlCMs = 2000 }: AppProps) {
  const state = useSyncExternalStore(engine.subscribe, engine.getState);
  const session = useSyncExternalStore(sessions?.subscribe ?? noSubscribe, sessions?.status ?? (() => NO_SESSION));
  const [pickerOpen, setPickerOpen] = useState(openPicker && sessions !== null);
  const size = useWindowSize();
  const columns = size.columns || 80;
  const rows = size.rows || 24;
  const { exit } = useApp();
  const [input, setInput] = useState('');
  const [scroll, setScroll] = useState<ScrollPosition>({ mode: 'follow' });
  const [ctrlCAt, setCtrlCAt] = useState<number | null>(null);
  const layout = useRef(new TranscriptLayout()).current;
  const busy = state.phase !== 'idle';
  const { frame } = useAnimation({ interval: 100, isActive: busy });

  const width = Math.max(4, columns);
  const height = Math.max(1, rows - CHROME_ROWS);
  const { maxTokens, model } = engine.settings;

  const parts = useMemo(() => {
    layout.retain(state.messages);
    return state.messages.map((m) =>
      layout.linesFor(m, { width, expandThinking: state.expandThinking, theme }),
    );
  }, [state.messages, state.expandThinking, width, theme, layout]);
  const slice = sliceViewport(parts, height, scroll);

  // The picker's list and content search, made once each time it opens (or after a change).
  const [listVersion, setListVersion] = useState(0);
  const pickerList = useMemo(() => (pickerOpen && sessions ? sessions.list() : []), [pickerOpen, sessions, listVersion]);
  const contentOf = useMemo(() => (pickerOpen && sessions ? makeContentIndex(sessions.dir) : undefined), [pickerOpen, sessions]);

  const quit = () => {
    onExit?.();
    exit();
  };

  useMouseWheel((direction) => setScroll((s) => scrollBy(s, direction * 3, slice.total, height)));

  useInput((text, key) => {
    // The picker has the keys while it is open; Ctrl+C still quits.
    if (pickerOpen && !(key.ctrl && text === 'c')) return;
    if (key.ctrl && text === 'c') {
      if (engine.abort('you pressed Ctrl+C')) return;
      const now = Date.now();
      if (ctrlCAt !== null && now - ctrlCAt <= doubleCtrlCMs) quit();
      else setCtrlCAt(now);
      return;
    }
    if (ctrlCAt !== null) setCtrlCAt(null);
    if (key.escape) {
      engine.abort('you pressed Esc');
      return;
    }
    if (key.tab) {
      engine.dispatch({ type: 'toggle_thinking' });
      return;
    }
    if (key.pageUp) setScroll((s) => scrollBy(s, -(height - 1), slice.total, height));
    else if (key.pageDown) setScroll((s) => scrollBy(s, height - 1, slice.total, height));
    else if (key.shift && key.upArrow) setScroll((s) => scrollBy(s, -1, slice.total, height));
    else if (key.shift && key.downArrow) setScroll((s) => scrollBy(s, 1, slice.total, height));
    else if (key.home) setScroll(scrollToTop());
    else if (key.end) setScroll(scrollToBottom());
  });

  // Typed ahead or sent by a program, "text\r" can arrive as one chunk: a trailing newline is Enter.
  const change = (value: string) => {
    const m = /^([\s\S]*?)[\r\n]+$/.exec(value);
    if (!m) setInput(value);
    else if (!submit(m[1]!)) setInput(m[1]!);
  };

  usePaste((text) => setInput((v) => v + text.replace(/\r\n?/g, '\n')), { isActive: !pickerOpen });

  /**
   * Handles Enter: a slash command runs; a prompt is sent; an empty prompt continues a reply cut
   * at max_tokens or interrupted.
   * @returns false when nothing was done with the text (it stays in the prompt)
   */
  const submit = (value: string): boolean => {
    if (value.trim() === '') {
      if (engine.continueBlocker() !== null) return false;
      setScroll(scrollToBottom());
      return engine.continueReply();
    }
    const parsed = parseInput(value);
    if (parsed.kind === 'command') {
      setInput('');
      runCommand(parsed.name, parsed.arg, { engine, sessions, openPicker: () => setPickerOpen(true), quit });
      setScroll(scrollToBottom());
      return true;
    }
    if (busy || !engine.send(parsed.text)) return false;
    setInput('');
    setScroll(scrollToBottom());
    return true;
  };

  const rowsToDraw = slice.rows.slice();
  if (slice.below > 0 && rowsToDraw.length > 0) {
    rowsToDraw[rowsToDraw.length - 1] = theme.warning(`↓ ${slice.below} more line${slice.below === 1 ? '' : 's'} below (End to jump)`);
  }
  while (rowsToDraw.length < height) rowsToDraw.push('');

  const continuable = !busy && engine.continueBlocker() === null;
  const placeholder = ctrlCAt !== null
    ? 'Press Ctrl+C again to quit'
    : busy
      ? 'Esc stops the reply'
      : continuable
        ? 'Enter continues the cut reply, or ask something new  (/help for commands)'
        : 'Ask Claude…  (Enter send · Esc stop · PgUp/PgDn scroll · Tab thinking · /help)';

  return (
    <Box flexDirection="column" width={width} height={rows}>
      {pickerOpen && sessions ? (
        <SessionPicker
          sessions={pickerList}
          {...(contentOf ? { contentOf } : {})}
          width={width}
          height={height}
          currentId={session.id}
          theme={theme}
          onOpen={(id) => {
            setPickerOpen(false);
            setScroll(scrollToBottom());
            void sessions.open(id).then((r) => {
              if (!r.ok) engine.notify('error', r.reason);
            });
          }}
          onDelete={(id) => {
            const r = sessions.delete(id);
            if (r.ok) setListVersion((v) => v + 1);
            return r;
          }}
          onRename={(id, title) => {
            const r = sessions.renameOther(id, title);
            if (r.ok) setListVersion((v) => v + 1);
            return r;
          }}
          onClose={() => setPickerOpen(false)}
        />
      ) : (
        <Box flexDirection="column" height={height} overflow="hidden">
          {rowsToDraw.map((row, i) => (
            <Text key={i} wrap="truncate-end">
              {row === '' ? ' ' : row}
            </Text>
          ))}
        </Box>
      )}
      <StatusBar state={state} session={session} model={model} maxTokens={maxTokens} frame={frame} theme={theme} />
      <Box width={width} height={1} overflow="hidden">
        <Text>{theme.userMark('› ')}</Text>
        <TextInput value={input} onChange={change} onSubmit={submit} placeholder={placeholder} focus={!pickerOpen} />
      </Box>
    </Box>
  );
}
