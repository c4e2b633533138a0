import cliTruncate from 'cli-truncate';
import { Box, Text, useAnimation, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ChatEngine } from '../chat/engine.js';
import type { RecorderStatus } from '../chat/recorder.js';
import type { SessionControl } from '../chat/session-control.js';
import type { Price } from '../domain/cost.js';
import type { Theme } from '../theme.js';
import { TranscriptLayout } from '../transcript/layout.js';
import { TranscriptWindow, type ScrollPosition, type ViewportSlice } from '../transcript/viewport.js';
import type { ConversationState } from '../domain/conversation.js';
import { completeCommand, helpText, parseInput } from './commands.js';
import { editorHandlesKey, editorHeight, MARK_COLUMNS, PromptEditor } from './editor/index.js';
import { MOUSE_OFF, MOUSE_ON, useF1, useMouseWheel } from './mouse.js';
import { makeContentIndex, SessionPicker } from './picker/index.js';
import { runCommand } from './run-command.js';
import type { TranscriptPainter } from './painter.js';
import { StatusBar, statusLine } from './StatusBar.js';
import { liveReplyTokens, type LiveTokens } from './status.js';
import { IdleWork } from './idle.js';

/** Props of the full-screen chat. */
export interface AppProps {
  engine: ChatEngine;
  /** The saved-session side (/new, /sessions, …); null runs without sessions. */
  sessions?: SessionControl | null;
  /** Open the session picker at start (`inkwell -r` with no argument). */
  openPicker?: boolean;
  theme: Theme;
  /** Prompt history file (JSONL), or null for none. */
  historyFile?: string | null;
  /** Whether the terminal's mouse reporting is on (turned off while $EDITOR runs). */
  mouse?: boolean;
  /** Price overrides from settings (USD per million tokens, by model id prefix). */
  prices?: Readonly<Record<string, Price>>;
  /**
   * Paints the transcript rows straight to the terminal (a real TTY); without one they are Ink
   * text rows (component tests, TERM=dumb).
   */
  painter?: TranscriptPainter | null;
  /** Called once the user asked to quit (second Ctrl+C within 2 s, or /quit). */
  onExit?: () => void;
  /** ms a second Ctrl+C has to come within to quit (default 2000). */
  doubleCtrlCMs?: number;
}

/** A row cut to the width (ANSI-aware), for rows the painter draws. */
function fitRow(row: string, width: number): string {
  return cliTruncate(row, Math.max(1, width), { position: 'end' });
}

/**
 * The transcript's visible rows for a state: only the messages the window needs are laid out
 * (cached per message), the window cut out, a "N more lines below" marker when scrolled up,
 * padded to `height`.
 */
function transcriptView(
  state: ConversationState,
  layout: TranscriptLayout,
  window: TranscriptWindow,
  o: { width: number; height: number; scroll: ScrollPosition; theme: Theme },
): { slice: ViewportSlice; rows: string[] } {
  layout.retain(state.messages);
  // Following the tail, blocks a fast stream scrolls past before they are drawn are held and
  // rendered in idle time; scrolled up, every line the window may show is laid out.
  layout.followTail(o.scroll.mode === 'follow' ? o.height : undefined);
  const messages = state.messages;
  const opts = { width: o.width, expandThinking: state.expandThinking, theme: o.theme };
  const slice = window.view(
    { count: messages.length, idAt: (i) => messages[i]!.id, linesAt: (i) => layout.linesFor(messages[i]!, opts) },
    o.height,
    o.scroll,
  );
  const rows = slice.rows.slice();
  if (slice.below > 0 && rows.length > 0) {
    rows[rows.length - 1] = o.theme.warning(`↓ ${slice.below} more line${slice.below === 1 ? '' : 's'} below (End to jump)`);
  }
  while (rows.length < o.height) rows.push('');
  return { slice, rows };
}

/**
 * What App draws in Ink while an overlay is open (the overlay, and the status bar under it)
 * depends on only this much of the state: a streaming frame leaves it unchanged, so it causes
 * no React render.
 */
function coarseKey(s: ConversationState): string {
  const last = s.messages.at(-1);
  const status = last?.role === 'assistant' ? `${last.status}:${last.stop_reason}` : (last?.role ?? '');
  return `${s.phase}|${s.activeId}|${s.messages.length}|${status}|${s.expandThinking}|${s.limits?.contextWindow}|${s.retryWait?.until ?? ''}|${s.lastUsage?.output_tokens ?? ''}`;
}

/**
 * What App draws in Ink while the painter has the screen: the prompt, whose placeholder says
 * whether a reply is on its way or a cut one can be continued, and the spinner's timer. A reply
 * starting to stream (its `message_start`: phase, status and usage change) or a notice changes
 * none of it, so they cause no React render: the first frame of a reply is painted at once rather
 * than after a render of the whole app (~7 ms at the start of a fast stream).
 */
function promptKey(s: ConversationState, engine: ChatEngine): string {
  return s.phase !== 'idle' ? 'busy' : `idle|${engine.continueBlocker() === null}`;
}

/** Follow the tail of the transcript. */
const FOLLOW: ScrollPosition = { mode: 'follow' };

/** ms between the spinner's frames. */
const SPINNER_MS = 250;

const NO_SESSION: RecorderStatus = { id: null, title: null, problem: null, readOnly: null };
const noSubscribe = () => () => {};

/** What fills the space above the status bar. */
type Overlay = 'none' | 'picker' | 'help';

/**
 * The full-screen chat: the transcript (only the visible rows are drawn), slash-command
 * completions, the status bar and the multi-line prompt. Keys: Enter sends (on an empty prompt it
 * continues a cut reply); Esc stops a reply (kept, marked interrupted); Ctrl+C stops, and a second
 * Ctrl+C within 2 s quits; PgUp/PgDn, Shift+↑/↓, the mouse wheel and (empty prompt) Home/End
 * scroll; Tab completes a command or expands thinking; `?` on an empty prompt or F1 shows the keys.
 */
export function App({
  engine,
  sessions = null,
  openPicker = false,
  theme,
  historyFile = null,
  mouse = false,
  prices = {},
  painter = null,
  onExit,
  doubleCtrlCMs = 2000,
}: AppProps) {
  const [overlay, setOverlay] = useState<Overlay>(openPicker && sessions !== null ? 'picker' : 'none');
  // With the painter, a streaming frame is painted from an engine subscription below and needs no
  // React render: App itself only re-renders when something it draws in Ink could change.
  useSyncExternalStore<unknown>(
    engine.subscribe,
    painter === null
      ? engine.getState
      : overlay === 'none'
        ? () => promptKey(engine.getState(), engine)
        : () => coarseKey(engine.getState()),
  );
  const state = engine.getState();
  const session = useSyncExternalStore(sessions?.subscribe ?? noSubscribe, sessions?.status ?? (() => NO_SESSION));
  const size = useWindowSize();
  const columns = size.columns || 80;
  const rows = size.rows || 24;
  const { exit } = useApp();
  const [input, setInput] = useState('');
  const [scroll, setScroll] = useState<ScrollPosition>(FOLLOW);
  const [ctrlCAt, setCtrlCAt] = useState<number | null>(null);
  const [choice, setChoice] = useState(0);
  const layout = useRef(new TranscriptLayout()).current;
  const transcriptWindow = useRef(new TranscriptWindow()).current;
  // Held blocks (layout.followTail) are rendered once frames stop, and painted: the window's rows
  // should not change (the painter then writes nothing), but if they do the screen follows.
  const idle = useRef(
    new IdleWork((ms) => {
      const left = layout.catchUp(ms);
      paintInputs.current?.();
      return left;
    }),
  ).current;
  useEffect(() => () => idle.dispose(), [idle]);
  /** Moves the scroll position with every line laid out (none held), as the window will show them. */
  const scrollBy = useCallback(
    (s: ScrollPosition, rows: number, h: number) => {
      layout.followTail(undefined);
      return transcriptWindow.scrollBy(s, rows, h);
    },
    [layout, transcriptWindow],
  );
  const busy = state.phase !== 'idle';
  // The spinner turns every 250 ms. With the painter, a timer repaints the status row directly
  // (a React render per turn would make Ink recompose its frame 4 times a second for nothing) and
  // samples the live output count then, so the bar changes at the spinner's pace, not per delta.
  const { frame: inkFrame } = useAnimation({ interval: SPINNER_MS, isActive: busy && !painter });
  const tick = useRef<{ frame: number; live: LiveTokens | undefined }>({ frame: 0, live: undefined });
  useEffect(() => {
    if (!painter || !busy) return;
    tick.current.live = undefined;
    const timer = setInterval(() => {
      tick.current = { frame: tick.current.frame + 1, live: liveReplyTokens(engine.getState()) };
      paintInputs.current?.();
    }, SPINNER_MS);
    return () => clearInterval(timer);
  }, [painter, busy, engine]);
  const frame = painter ? tick.current.frame : inkFrame;

  const width = Math.max(4, columns);
  const promptWidth = Math.max(1, width - MARK_COLUMNS);
  const promptMaxRows = Math.max(1, Math.min(10, Math.floor(rows / 3)));
  const promptRows = editorHeight(input, promptWidth, promptMaxRows);
  const completions = overlay === 'none' ? completeCommand(input) : [];
  const menuRows = Math.min(completions.length, 6);
  // Transcript rows: everything but the status bar, the prompt and the completion menu.
  const height = Math.max(1, rows - 1 - promptRows - menuRows);
  const turn = useSyncExternalStore(engine.subscribe, () => engine.settings);
  const { maxTokens, model } = turn;

  const view = transcriptView(state, layout, transcriptWindow, { width, height, scroll, theme });
  idle.poke(layout.holds);

  // The picker's list and content search, made once each time it opens (or after a change).
  const [listVersion, setListVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: listVersion is not read; its change is what says the list changed.
  const pickerList = useMemo(() => (overlay === 'picker' && sessions ? sessions.list() : []), [overlay, sessions, listVersion]);
  const contentOf = useMemo(() => (overlay === 'picker' && sessions ? makeContentIndex(sessions.dir) : undefined), [overlay, sessions]);

  const quit = () => {
    onExit?.();
    exit();
  };

  useMouseWheel(
    useCallback((direction: -1 | 1) => setScroll((s) => scrollBy(s, direction * 3, height)), [height, scrollBy]),
  );
  useF1(useCallback(() => setOverlay((o) => (o === 'help' ? 'none' : 'help')), []));

  useInput((text, key) => {
    if (key.ctrl && text === 'c') {
      if (engine.abort('you pressed Ctrl+C')) return;
      const now = Date.now();
      if (ctrlCAt !== null && now - ctrlCAt <= doubleCtrlCMs) quit();
      else setCtrlCAt(now);
      return;
    }
    if (ctrlCAt !== null) setCtrlCAt(null);
    // The picker has the keys while it is open.
    if (overlay === 'picker') return;
    if (overlay === 'help') {
      if (key.escape || text === '?' || text === 'q' || key.return) setOverlay('none');
      return;
    }
    if (key.escape) {
      engine.abort('you pressed Esc');
      return;
    }
    if (key.tab) {
      if (completions.length === 0) engine.dispatch({ type: 'toggle_thinking' });
      return;
    }
    if (input === '' && text === '?' && !key.ctrl && !key.meta) {
      setOverlay('help');
      return;
    }
    // The editor owns the rest of its keys (Home/End while the prompt has text).
    if (editorHandlesKey(text, key, input)) return;
    const by = (rows: number) => setScroll((s) => scrollBy(s, rows, height));
    if (key.pageUp) by(-(height - 1));
    else if (key.pageDown) by(height - 1);
    else if (key.shift && key.upArrow) by(-1);
    else if (key.shift && key.downArrow) by(1);
    else if (key.home) setScroll(transcriptWindow.scrollToTop());
    else if (key.end) setScroll(FOLLOW);
  });

  /** While the completion menu shows: ↑/↓ choose, Tab completes. Keys taken here skip the editor. */
  const interceptKey = (text: string, key: { upArrow: boolean; downArrow: boolean; tab: boolean; shift: boolean; ctrl: boolean }): boolean => {
    if (text === '?' && input === '') return true;
    if (completions.length === 0) return false;
    const n = Math.min(completions.length, menuRows);
    if (key.upArrow && !key.shift) {
      setChoice((c) => (c - 1 + n) % n);
      return true;
    }
    if (key.downArrow && !key.shift) {
      setChoice((c) => (c + 1) % n);
      return true;
    }
    if (key.tab) {
      const pick = completions[Math.min(choice, n - 1)]!;
      setInput(`/${pick.name}${pick.args ? ' ' : ''}`);
      setChoice(0);
      return true;
    }
    return false;
  };

  /**
   * Handles Enter: a slash command runs; a prompt is sent; an empty prompt continues a reply cut
   * at max_tokens or interrupted.
   * @returns false when nothing was done with the text (it stays in the prompt)
   */
  const submit = (value: string): boolean => {
    if (value.trim() === '') {
      if (engine.continueBlocker() !== null) return false;
      setScroll(FOLLOW);
      return engine.continueReply();
    }
    // Enter on a partly typed command runs the highlighted completion.
    const menu = completeCommand(value);
    const typed = menu.length > 0 && !menu.some((c) => `/${c.name}` === value.trim()) ? `/${menu[Math.min(choice, menu.length - 1)]!.name}` : value;
    const parsed = parseInput(typed);
    setChoice(0);
    if (parsed.kind === 'command') {
      setInput('');
      if (parsed.name === 'help') setOverlay('help');
      else runCommand(parsed.name, parsed.arg, { engine, sessions, openPicker: () => setOverlay('picker'), quit, out: process.stdout, env: process.env, prices });
      setScroll(FOLLOW);
      return true;
    }
    if (busy || !engine.send(parsed.text)) return false;
    setInput('');
    setScroll(FOLLOW);
    return true;
  };

  const rowsToDraw = view.rows;

  const continuable = !busy && engine.continueBlocker() === null;
  const placeholder =
    ctrlCAt !== null
      ? 'Press Ctrl+C again to quit'
      : busy
        ? 'Esc stops the reply'
        : continuable
          ? 'Enter continues the cut reply, or ask something new  (? for keys)'
          : 'Ask Claude…  (Enter send · Alt+Enter newline · Esc stop · ? keys · /help)';

  const statusProps = { state, session, model, maxTokens, frame, theme, prices, thinking: turn.thinking.mode === 'on' };
  const paintInputs = useRef<(() => void) | null>(null);
  const menuLines = completions
    .slice(0, menuRows)
    .map(
      (c, i) =>
        (i === Math.min(choice, menuRows - 1) ? theme.accent(`▸ /${c.name}`) : `  /${c.name}`) +
        theme.muted(`${c.args ? ` ${c.args}` : ''} — ${c.summary}`),
    );

  // The painter owns the transcript rows, the completion menu and the status bar while no overlay
  // covers them: streaming then costs Ink no frames at all (Ink draws only the prompt).
  const paint = (current: ConversationState) => {
    if (!painter || overlay !== 'none') return;
    const v = current === state ? view : transcriptView(current, layout, transcriptWindow, { width, height, scroll, theme });
    idle.poke(layout.holds);
    const status = statusLine({ ...statusProps, state: current, frame: tick.current.frame, liveTokens: tick.current.live }, width);
    const rowsBelow = [...menuLines.map((l) => fitRow(l, width)), status];
    painter.setRows([...v.rows, ...rowsBelow], v.slice.top, height, width);
  };
  paintInputs.current = () => paint(engine.getState());
  useLayoutEffect(() => {
    if (!painter) return;
    painter.setActive(overlay === 'none');
    paint(state);
  });
  // Streaming frames: painted straight from the engine, no React render.
  useEffect(() => {
    if (!painter) return;
    return engine.subscribe(() => paintInputs.current?.());
  }, [engine, painter]);

  let top: React.ReactNode;
  if (overlay === 'picker' && sessions) {
    top = (
      <SessionPicker
        sessions={pickerList}
        {...(contentOf ? { contentOf } : {})}
        width={width}
        height={height}
        currentId={session.id}
        theme={theme}
        onOpen={(id) => {
          setOverlay('none');
          setScroll(FOLLOW);
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
        onClose={() => setOverlay('none')}
      />
    );
  } else if (overlay === 'help') {
    const lines = `${helpText()}\n\nEsc, ? or q closes this.`.split('\n');
    top = (
      <Box flexDirection="column" height={height} overflow="hidden">
        {lines.slice(0, height).map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {i === 0 || l.endsWith(':') ? theme.accent(l) : l || ' '}
          </Text>
        ))}
      </Box>
    );
  } else {
    top = (
      <Box flexDirection="column" height={height} overflow="hidden">
        {rowsToDraw.map((row, i) => (
          <Text key={i} wrap="truncate-end">
            {row === '' ? ' ' : row}
          </Text>
        ))}
      </Box>
    );
  }

  const painted = painter !== null && overlay === 'none';
  return (
    <Box flexDirection="column" width={width} height={rows}>
      {painted ? <Box height={height + menuRows + 1} /> : top}
      {!painted && menuRows > 0 && (
        <Box flexDirection="column" height={menuRows}>
          {menuLines.map((l, i) => (
            <Text key={i} wrap="truncate-end">
              {l}
            </Text>
          ))}
        </Box>
      )}
      {!painted && <StatusBar {...statusProps} width={width} />}
      <PromptEditor
        value={input}
        onChange={(v) => {
          setInput(v);
          setChoice(0);
        }}
        onSubmit={submit}
        placeholder={placeholder}
        width={promptWidth}
        maxRows={promptMaxRows}
        historyFile={historyFile}
        isActive={overlay === 'none'}
        originRow={rows - promptRows}
        interceptKey={interceptKey}
        onNotice={(text) => engine.notify('warning', text)}
        onExternalEditor={(phase) => {
          if (mouse) process.stdout.write(phase === 'start' ? MOUSE_OFF : MOUSE_ON);
        }}
        theme={theme}
      />
    </Box>
  );
}
