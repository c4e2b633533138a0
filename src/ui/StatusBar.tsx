import { Text } from 'ink';
import type { RecorderStatus } from '../app/recorder.js';
import type { ConversationState } from '../domain/conversation.js';
import type { Price } from '../domain/cost.js';
import type { Theme } from '../theme.js';
import { statusSegments, type StatusSegment } from './status.js';

/** Props of the status bar. */
export interface StatusBarProps {
  state: ConversationState;
  /** The saved session: title, and any saving problem. */
  session: RecorderStatus;
  model: string;
  maxTokens: number;
  /** Spinner frame. */
  frame: number;
  theme: Theme;
  /** Price overrides, for the session cost. */
  prices?: Readonly<Record<string, Price>>;
  /** Extended thinking is on. */
  thinking?: boolean;
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

/** One row: model · live output/max_tokens · last and total usage · context used · warnings. */
export function StatusBar({ state, session, model, maxTokens, frame, theme, prices = {}, thinking = false }: StatusBarProps) {
  const segments = statusSegments(state, { model, maxTokens, now: Date.now(), frame, session, prices, thinking });
  const line = segments.map((s) => paint(s, theme)).join(theme.status(' · '));
  return (
    <Text wrap="truncate-end">
      {line.length > 0 ? line : ' '}
    </Text>
  );
}
