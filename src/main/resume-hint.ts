import type { RecorderStatus } from '../chat/recorder.js';
import { displayTitle, truncateToWidth } from '../ui/picker/view.js';

/** Columns of a title quoted in the resume hint before it is cut with "…". */
const TITLE_COLUMNS = 60;

/**
 * What the chat prints on the main screen after it quits and the terminal is restored: how to
 * come back to the conversation. `inkwell -c` is offered only when it would open this session
 * (it is the most recently used one); `inkwell -r <id>` always names it.
 * @param status the session this window saved into at the end
 * @param latestId the session `inkwell -c` would open now, or null
 * @returns one line without a trailing newline (plain text, no escapes: the title is made safe), or
 *   null when nothing was saved and there is nothing to say
 */
export function resumeHint(status: RecorderStatus, latestId: string | null): string | null {
  if (status.readOnly) return 'Nothing from this window was saved: its session was open in another window (/fork saves a copy).';
  if (status.id === null) return null;
  const title = status.title ? ` "${truncateToWidth(displayTitle(status.title), TITLE_COLUMNS)}"` : '';
  if (status.problem) return `Session${title} (${status.id}) may not be saved whole: ${status.problem}`;
  const how = latestId === status.id ? `inkwell -c  (or inkwell -r ${status.id})` : `inkwell -r ${status.id}`;
  return `Session${title} saved. Resume it with: ${how}`;
}
