import { Text } from 'ink';
import type { RecorderStatus } from '../chat/recorder.js';
import type { ConversationState } from '../domain/conversation.js';
import type { Price } from '../domain/cost.js';
import type { Theme } from '../theme.js';
import { fitStatus, SEPARATOR, statusSegments, type LiveTokens, type StatusSegment } from './status.js';

/** Props of the status bar. */
export interface StatusBarProps {
  state: ConversationState;
  /** The saved session: title, and any saving problem. */
  session: RecorderStatus;
  model: string;
  maxTokens: number;
  /** Spinner frame. */
  frame: number;
  /** The live output count sampled at the last spinner frame (computed from `state` if absent). */
  liveTokens?: LiveTokens | undefined;
  theme: Theme;
  /** Price overrides, for the session cost. */
  prices?: Readonly<Record<string, Price>>;
  /** Extended thinking is on. */
  thinking?: boolean;
  /** Web search and web fetch are offered. */
  web?: boolean;
  /** The prompt cache's TTL setting (the cache clock counts 1 h for `1h`). */
  promptCache?: '5m' | '1h' | 'off';
  /** The counted tokens of the conversation plus the draft, when known (the context gauge shows them). */
  contextTokens?: number | null;
}

function paint(seg: StatusSegment, theme: Theme): string {
  switch (seg.tone) {
    case 'accent':
      return theme.accent(seg.text);
    case 'warning':
      return theme.warning(seg.text);
    case 'error':
      return theme.error(seg.text);
    case 'muted':
      return theme.status(seg.text);
    case 'normal':
      return seg.text;
  }
}

/**
 * The status bar as one styled line of at most `width` columns: session title · model ·
 * last and total usage · context used · cost · cache hit rate · warnings · cache clock (idle) ·
 * live output/max_tokens. When the
 * columns run short, segments give way by priority (see `fitStatus`): the title shortens first,
 * then low segments take compact forms and are dropped whole; none is cut in the middle (below
 * about 15 columns the last one left is).
 */
export function statusLine(p: StatusBarProps, width: number): string {
  const segments = statusSegments(p.state, {
    model: p.model,
    maxTokens: p.maxTokens,
    now: Date.now(),
    frame: p.frame,
    liveTokens: p.liveTokens,
    session: p.session,
    prices: p.prices ?? {},
    thinking: p.thinking ?? false,
    web: p.web ?? false,
    ...(p.promptCache ? { promptCache: p.promptCache } : {}),
    contextTokens: p.contextTokens ?? null,
  });
  // Painted on every streaming frame, mostly unchanged: the styled, fitted line is kept for
  // the same segments, theme and width (fitting measures every grapheme's width).
  const key = `${width}\u0000${segments.map((s) => `${s.tone}\u0001${s.text}`).join('\u0000')}`;
  if (lastLine && lastLine.key === key && lastLine.theme === p.theme) return lastLine.line;
  const line = fitStatus(segments, Math.max(1, width))
    .map((s) => paint(s, p.theme))
    .join(p.theme.status(SEPARATOR));
  lastLine = { key, theme: p.theme, line };
  return line;
}

let lastLine: { key: string; theme: Theme; line: string } | null = null;

/** The status bar as an Ink row (when the transcript is drawn by Ink rather than the painter). */
export function StatusBar(props: StatusBarProps & { width: number }) {
  const line = statusLine(props, props.width);
  return <Text wrap="truncate-end">{line.length > 0 ? line : ' '}</Text>;
}
