import { Box, Text, useAnimation, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { MessagesApi } from '../api/port.js';
import type { ChatEngine } from '../chat/engine.js';
import type { RecorderStatus } from '../chat/recorder.js';
import type { SessionControl } from '../chat/session-control.js';
import { TokenCounter } from '../chat/token-count.js';
import { coldSendDecision } from '../domain/cold-cache.js';
import { priceFor, type Price } from '../domain/cost.js';
import { contextTokens } from '../domain/usage.js';
import type { Redactor } from '../domain/redact.js';
import type { Theme } from '../theme.js';
import type { Screen } from '../terminal/screen.js';
import { toApiMessages, type ConversationState } from '../domain/conversation.js';
import { CaretContext } from './caret.js';
import type { ClipboardTerminal } from './clipboard.js';
import { copyBlock } from './commands/copy.js';
import { copyItems, rawReplyText } from './copy-picker.js';
import { CopyPicker } from './CopyPicker.js';
import { completeInput, helpText, parseInput } from './commands.js';
import { editorHandlesKey, editorHeight, MARK_COLUMNS, PromptEditor, type PromptEditorControls } from './editor/index.js';
import { helpScroll, helpWindow } from './help-view.js';
import { useF1, useMouseWheel } from './mouse.js';
import { indexedSearch, makeContentIndex, SessionPicker } from './picker/index.js';
import { PromptQueue, queueRows } from './queue.js';
import { useRawView } from './raw-view.js';
import { runCommand } from './run-command.js';
import { StatusBar } from './StatusBar.js';
import { cacheWarmUntil } from './status.js';
import { SPINNER_MS, TranscriptView, type TranscriptFrame } from './transcript-view.js';

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
  /** Hides the credentials in use from the prompt history file. */
  historyRedactor?: Redactor;
  /** Price overrides from settings (USD per million tokens, by model id prefix). */
  prices?: Readonly<Record<string, Price>>;
  /** Named system prompts (`presets` setting), for /preset. */
  presets?: Readonly<Record<string, string>>;
  /**
   * The terminal's one writer (a real TTY): App's Ink frame is the prompt, and the transcript,
   * menu and status bar are painted into the Screen's region by the transcript view. Without one
   * (component tests) App draws everything in Ink.
   */
  screen?: Screen | null;
  /** The terminal as a clipboard, for /copy (OSC 52 through the Screen). */
  clipboard?: ClipboardTerminal;
  /** Called once the user asked to quit (second Ctrl+C within 2 s, or /quit). */
  onExit?: () => void;
  /** ms a second Ctrl+C has to come within to quit (default 2000). */
  doubleCtrlCMs?: number;
  /**
   * count_tokens, for the context gauge's estimate of the conversation plus the draft and for
   * /context; absent: the gauge shows the last reply's usage only.
   */
  countApi?: Pick<MessagesApi, 'countTokens'> | null;
  /** The `coldCacheWarnTokens` setting: warn before sending into an expired cache from this size; 0 (default) never. */
  coldCacheWarnTokens?: number;
  /** Clock, ms since the epoch (tests pass a fake; default Date.now). */
  now?: () => number;
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

const NO_SESSION: RecorderStatus = { id: null, title: null, problem: null, readOnly: null };
const noSubscribe = () => () => {};

/** The empty prompt's words in a read-only window (the session is another window's, or damaged). */
export const READ_ONLY_PLACEHOLDER = 'Read-only: nothing you send here is saved · /fork continues in a new session';

/** The empty prompt's words after Ctrl+C moved a draft to the history. */
export const DRAFT_SAVED_HINT = 'Draft saved to history — ↑ recalls it · Ctrl+C twice quits';

/** What fills the space above the status bar. */
type Overlay = 'none' | 'picker' | 'help' | 'copy' | 'raw';

/**
 * The full-screen chat: the transcript (only the visible rows are drawn), slash-command
 * completions, the status bar and the multi-line prompt. Keys: Enter sends (on an empty prompt it
 * continues a cut reply); Esc stops a reply (kept, marked interrupted); Ctrl+C stops a reply, or
 * moves a draft to the history (saying so), and a second Ctrl+C within 2 s on the empty prompt quits; PgUp/PgDn, Shift+↑/↓, the mouse wheel and (empty prompt) Home/End
 * scroll; Tab completes a command or expands thinking; `?` on an empty prompt or F1 shows the keys.
 */
export function App({
  engine,
  sessions = null,
  openPicker = false,
  theme,
  historyFile = null,
  historyRedactor,
  prices = {},
  presets = {},
  screen = null,
  clipboard,
  onExit,
  doubleCtrlCMs = 2000,
  countApi = null,
  coldCacheWarnTokens = 0,
  now = Date.now,
}: AppProps) {
  const [overlay, setOverlay] = useState<Overlay>(openPicker && sessions !== null ? 'picker' : 'none');
  // The help overlay's first line shown (it scrolls when taller than the screen); from the top each time it opens.
  const [helpTop, setHelpTop] = useState(0);
  useEffect(() => {
    if (overlay === 'help') setHelpTop(0);
  }, [overlay]);
  // With a Screen, streaming frames are painted by the transcript view from an engine subscription
  // and need no React render: App itself only re-renders when something it draws in Ink could change.
  useSyncExternalStore<unknown>(
    engine.subscribe,
    screen === null
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
  const inputRef = useRef(input);
  inputRef.current = input;
  // A prompt that came back unsent goes back in the editor (unless a new draft is there: then it
  // waits in the history, ↑).
  useEffect(
    () =>
      engine.onUnsent((m) => {
        if (inputRef.current.trim() === '') setInput(m.text);
        else if (inputRef.current !== m.text) engine.notify('info', 'The prompt that was not sent is in the history: ↑ recalls it.');
      }),
    [engine],
  );
  const [ctrlCAt, setCtrlCAt] = useState<number | null>(null);
  /** What the empty prompt says after Ctrl+C saved a draft to the history (until the next key). */
  const [draftSaved, setDraftSaved] = useState(false);
  const editorControls = useRef<PromptEditorControls>(null);
  const [choice, setChoice] = useState(0);
  const [view] = useState(() => new TranscriptView(engine, screen));
  useEffect(() => () => view.dispose(), [view]);
  // Prompts typed ahead while a reply streams (ui/queue.ts), saved as the session's draft.
  const [queue] = useState(() => new PromptQueue(engine, sessions));
  useEffect(() => () => queue.dispose(), [queue]);
  const queued = useSyncExternalStore(queue.subscribe, queue.snapshot);
  // Without a Screen, App draws the transcript: a scroll is a render.
  useSyncExternalStore(view.subscribe, () => view.position);
  const busy = state.phase !== 'idle';
  const painted = screen !== null && overlay === 'none';
  // The spinner turns every 250 ms. With a Screen, the transcript view's timer repaints the status
  // row directly and samples the live output count then (a React render per turn would make Ink
  // recompose its frame 4 times a second for nothing); Ink animates it only when it draws the bar.
  const { frame: inkFrame } = useAnimation({ interval: SPINNER_MS, isActive: busy && !painted });
  useEffect(() => view.setBusy(busy && screen !== null), [view, busy, screen]);
  const frame = painted ? view.spinnerFrame : inkFrame;

  const width = Math.max(4, columns);
  const promptWidth = Math.max(1, width - MARK_COLUMNS);
  const promptMaxRows = Math.max(1, Math.min(10, Math.floor(rows / 3)));
  const promptRows = editorHeight(input, promptWidth, promptMaxRows);
  const completions = overlay === 'none' ? completeInput(input, presets) : [];
  const menuRows = Math.min(completions.length, 6);
  const queueLines = useMemo(() => (overlay === 'none' ? queueRows(queued, width, theme) : []), [overlay, queued, width, theme]);
  // Transcript rows: everything but the status bar, the prompt, the queue and the completion menu.
  const height = Math.max(1, rows - 1 - promptRows - menuRows - queueLines.length);
  const turn = useSyncExternalStore(engine.subscribe, () => engine.settings);
  const { maxTokens, model } = turn;

  // The context gauge's estimate: the draft is counted after a pause in typing (never per key).
  const [counter] = useState(() =>
    countApi
      ? new TokenCounter(countApi, () => {
          const t = engine.settings;
          return { model: t.model, system: t.system, thinking: t.thinking, messages: toApiMessages(engine.getState().messages) };
        })
      : null,
  );
  useEffect(() => () => counter?.dispose(), [counter]);
  const conversationLength = state.messages.length;
  useEffect(() => {
    // A slash command is not a draft: it is never sent.
    if (!busy) counter?.setDraft(input.startsWith('/') ? '' : input, conversationLength);
  }, [counter, input, busy, conversationLength]);
  const countedTokens = useSyncExternalStore(counter?.subscribe ?? noSubscribe, () => counter?.estimate ?? null);
  /** The expiry of the cache the last cold-cache warning was about: the next Enter sends. */
  const coldWarned = useRef<number | null>(null);

  // The picker's list and content search, made once each time it opens (or after a change).
  const [listVersion, setListVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: listVersion is not read; its change is what says the list changed.
  const pickerList = useMemo(() => (overlay === 'picker' && sessions ? sessions.list() : []), [overlay, sessions, listVersion]);
  const contentOf = useMemo(() => (overlay === 'picker' && sessions ? makeContentIndex(sessions.dir) : undefined), [overlay, sessions]);
  const searchContent = useMemo(() => (overlay === 'picker' && sessions ? indexedSearch(sessions.dir) : undefined), [overlay, sessions]);

  // /copy's picker: the blocks of the last replies, taken when it opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the list is taken once per opening, not per frame.
  const copyList = useMemo(() => (overlay === 'copy' ? copyItems(engine.getState().messages) : []), [overlay]);
  const toggleRaw = () => {
    if (overlay === 'raw') return setOverlay('none');
    if (rawReplyText(engine.getState().messages) === null) return engine.notify('info', 'There is no reply to show raw yet.');
    setOverlay('raw');
  };
  useRawView(overlay === 'raw', screen, engine, theme);

  const quit = () => {
    onExit?.();
    exit();
  };

  useMouseWheel(useCallback((direction: -1 | 1) => view.scrollBy(direction * 3), [view]));
  useF1(useCallback(() => setOverlay((o) => (o === 'help' ? 'none' : 'help')), []));

  useInput((text, key) => {
    if (key.ctrl && text === 'c') {
      const now = Date.now();
      const draft = inputRef.current !== '';
      // Stopping a reply arms the quit (a second Ctrl+C quits, as the README says), unless a draft
      // is there: that Ctrl+C saves the draft first.
      if (engine.abort('you pressed Ctrl+C')) {
        setCtrlCAt(draft ? null : now);
        return;
      }
      // A draft is never lost silently: it goes to the history, and the prompt says so.
      if (draft && overlay === 'none') {
        editorControls.current?.stash();
        setInput('');
        setDraftSaved(true);
        setCtrlCAt(null);
        return;
      }
      if (ctrlCAt !== null && now - ctrlCAt <= doubleCtrlCMs) quit();
      else setCtrlCAt(now);
      return;
    }
    if (ctrlCAt !== null) setCtrlCAt(null);
    if (draftSaved) setDraftSaved(false);
    if (!key.escape) queue.disarm();
    // The pickers have the keys while they are open.
    if (overlay === 'picker' || overlay === 'copy') return;
    if (overlay === 'raw') {
      // Esc, q, Ctrl+O or Enter (after typing /raw) return.
      if (key.escape || key.return || text === 'q' || (key.ctrl && text === 'o')) setOverlay('none');
      return;
    }
    // On an empty prompt (with text, Ctrl+O expands a pasted chip in the editor).
    if (key.ctrl && text === 'o' && input === '') return toggleRaw();
    if (overlay === 'help') {
      if (key.escape || text === '?' || text === 'q' || key.return) setOverlay('none');
      else {
        const to = helpScroll(key, text, helpTop, height - 1);
        if (to !== null) setHelpTop(Math.max(0, to));
      }
      return;
    }
    if (key.escape) {
      // Stops the reply; else, on an empty prompt, clears the queue (the first Esc asks).
      if (!engine.abort('you pressed Esc') && input === '') queue.escape();
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
    if (key.pageUp) view.scrollBy(-(height - 1));
    else if (key.pageDown) view.scrollBy(height - 1);
    else if (key.shift && key.upArrow) view.scrollBy(-1);
    else if (key.shift && key.downArrow) view.scrollBy(1);
    else if (key.home) view.scrollToTop();
    else if (key.end) view.follow();
  });

  /** While the completion menu shows: ↑/↓ choose, Tab completes. Keys taken here skip the editor. */
  const interceptKey = (
    text: string,
    key: { upArrow: boolean; downArrow: boolean; tab: boolean; shift: boolean; ctrl: boolean },
  ): boolean => {
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
      setInput(pick.insert);
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
      if (queue.release()) return true;
      if (engine.continueBlocker() !== null) return false;
      view.follow();
      return engine.continueReply();
    }
    // Enter on a partly typed command runs the highlighted completion.
    const menu = completeInput(value, presets);
    const typed =
      menu.length > 0 && !menu.some((c) => c.insert.trim() === value.trim())
        ? menu[Math.min(choice, menu.length - 1)]!.insert.trim()
        : value;
    const parsed = parseInput(typed);
    setChoice(0);
    if (parsed.kind === 'command') {
      setInput('');
      runCommand(parsed.name, parsed.arg, {
        engine,
        sessions,
        openPicker: () => setOverlay('picker'),
        openHelp: () => setOverlay('help'),
        openCopyPicker: () => setOverlay('copy'),
        toggleRaw,
        // After this submit has emptied the editor (it does so when the handler returns).
        ask: (command) => queueMicrotask(() => setInput(command)),
        quit,
        ...(clipboard ? { out: clipboard } : {}),
        env: process.env,
        prices,
        presets,
        tokens: counter,
      });
      view.follow();
      return true;
    }
    if (busy) {
      // Typed ahead: sent when this reply ends (ui/queue.ts).
      queue.add(parsed.text);
      setInput('');
      return true;
    }
    if (holdColdSend() || !engine.send(parsed.text)) return false;
    setInput('');
    view.follow();
    return true;
  };

  /**
   * The cold-cache check (domain/cold-cache.ts): the first Enter into an expired prompt cache on
   * a large conversation says what the send costs cold vs warm instead of sending.
   * @returns true when this Enter is held
   */
  function holdColdSend(): boolean {
    const s = engine.getState();
    const promptCache = engine.effectivePromptCache;
    const last = s.lastUsage;
    const oneHour = promptCache === '1h' || (last?.cache_creation?.ephemeral_1h_input_tokens ?? 0) > 0;
    const d = coldSendDecision({
      now: now(),
      warmUntil: cacheWarmUntil(s, promptCache),
      promptCache,
      ttl: oneHour ? '1h' : '5m',
      conversationTokens: last ? contextTokens(last) : 0,
      threshold: coldCacheWarnTokens,
      price: priceFor(model, prices),
      warnedFor: coldWarned.current,
    });
    if (d.send) return false;
    coldWarned.current = d.warnedFor;
    engine.notify('warning', d.notice);
    return true;
  }

  const continuable = !busy && engine.continueBlocker() === null;
  const placeholder =
    ctrlCAt !== null
      ? 'Press Ctrl+C again to quit'
      : draftSaved
        ? DRAFT_SAVED_HINT
        : busy
          ? 'Esc stops the reply · Enter queues a prompt for after it'
          : queued.held !== null && queued.prompts.length > 0
            ? 'Enter sends the next queued prompt, or ask something new'
            : session.readOnly
              ? READ_ONLY_PLACEHOLDER
              : continuable
                ? 'Enter continues the cut reply, or ask something new  (? for keys)'
                : 'Ask Claude…  (Enter send · Alt+Enter newline · Esc stop · ? keys · /help)';

  const statusProps = {
    state,
    session,
    model,
    maxTokens,
    frame,
    theme,
    prices,
    thinking: turn.thinking.mode === 'on',
    web: engine.effectiveWeb.on,
    contextTokens: countedTokens,
  };
  const menuLines = completions
    .slice(0, menuRows)
    .map((c, i) => (i === Math.min(choice, menuRows - 1) ? theme.accent(`▸ ${c.label}`) : `  ${c.label}`) + theme.muted(c.detail));
  const transcriptFrame: TranscriptFrame = {
    width,
    height,
    theme,
    menu: menuLines,
    status: {
      session,
      model,
      maxTokens,
      theme,
      prices,
      thinking: turn.thinking.mode === 'on',
      web: engine.effectiveWeb.on,
      contextTokens: countedTokens,
    },
    painting: painted,
  };
  // The Screen's region (transcript, menu, status bar) follows each render's layout; it and Ink's
  // frame of this commit reach the terminal together (the Screen flushes once per microtask).
  useLayoutEffect(() => {
    view.setFrame(transcriptFrame);
  });

  let top: React.ReactNode = null;
  if (overlay === 'picker' && sessions) {
    top = (
      <SessionPicker
        sessions={pickerList}
        {...(contentOf ? { contentOf } : {})}
        {...(searchContent ? { searchContent } : {})}
        width={width}
        height={height}
        currentId={session.id}
        theme={theme}
        onOpen={(id, messageId) => {
          setOverlay('none');
          view.follow();
          void sessions.open(id).then((r) => {
            if (!r.ok) engine.notify('error', r.reason);
            else if (messageId) view.scrollToMessage(messageId);
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
  } else if (overlay === 'copy') {
    top = (
      <CopyPicker
        items={copyList}
        width={width}
        height={height}
        theme={theme}
        initial={copyList.findLastIndex((i) => i.kind === 'reply')}
        onCopy={(item, format) => {
          setOverlay('none');
          copyBlock(item, format, { engine, ...(clipboard ? { out: clipboard } : {}), env: process.env });
        }}
        onClose={() => setOverlay('none')}
      />
    );
  } else if (overlay === 'raw' && !screen) {
    top = (
      <Box flexDirection="column" height={height} overflow="hidden">
        <Text>{rawReplyText(state.messages) ?? ''}</Text>
      </Box>
    );
  } else if (overlay === 'help') {
    // Taller than the screen: a window that scrolls, and the last row says how to close it.
    const lines = helpWindow(helpText(presets).split('\n'), helpTop, height).rows;
    top = (
      <Box flexDirection="column" height={height} overflow="hidden">
        {lines.slice(0, height).map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {l.endsWith(':') ? theme.accent(l) : l || ' '}
          </Text>
        ))}
      </Box>
    );
  } else if (!painted) {
    const rowsToDraw = view.rows(state, transcriptFrame).rows;
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

  const editor = (
    <PromptEditor
      value={input}
      onChange={(v) => {
        setInput(v);
        setChoice(0);
      }}
      onSubmit={submit}
      controls={editorControls}
      placeholder={placeholder}
      width={promptWidth}
      maxRows={promptMaxRows}
      historyFile={historyFile}
      {...(historyRedactor ? { historyRedactor } : {})}
      isActive={overlay === 'none'}
      // The caret's row within Ink's frame: the queue and the prompt are all of it while the Screen paints the rest.
      originRow={painted ? queueLines.length : rows - promptRows}
      interceptKey={interceptKey}
      onNotice={(text) => engine.notify('warning', text)}
      onExternalEditor={(phase) => {
        if (phase === 'start') screen?.suspend();
        else screen?.resume();
      }}
      theme={theme}
    />
  );

  // With a Screen and no overlay, Ink's frame is the queue and the prompt: the Screen puts them at
  // the bottom and gives the rows above to the transcript view.
  const queueBox = queueLines.length > 0 && (
    <Box flexDirection="column" height={queueLines.length}>
      {queueLines.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
  if (painted)
    return (
      <CaretContext value={screen.setCaret.bind(screen)}>
        <Box flexDirection="column">
          {queueBox}
          {editor}
        </Box>
      </CaretContext>
    );
  return (
    <CaretContext value={screen ? screen.setCaret.bind(screen) : null}>
      <Box flexDirection="column" width={width} height={rows}>
        {top}
        {menuRows > 0 && (
          <Box flexDirection="column" height={menuRows}>
            {menuLines.map((l, i) => (
              <Text key={i} wrap="truncate-end">
                {l}
              </Text>
            ))}
          </Box>
        )}
        <StatusBar {...statusProps} width={width} />
        {queueBox}
        {editor}
      </Box>
    </CaretContext>
  );
}
