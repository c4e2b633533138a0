import type { AssistantMessage } from './types.js';

/** A line under a reply that says how it ended, when that needs saying. */
export interface StopNotice {
  level: 'info' | 'warning';
  text: string;
}

/**
 * Plain words for how a reply ended (platform.claude.com/docs/en/build-with-claude/handling-stop-reasons,
 * docs/PROTOCOL.md §4). `end_turn` needs no words; every other stop reason, and an interruption, gets
 * one line.
 * @returns null when nothing needs saying (a normal end, or still streaming)
 */
export function describeStop(m: AssistantMessage): StopNotice | null {
  if (m.status === 'interrupted') {
    return {
      level: 'warning',
      text: `Interrupted: ${m.interruption?.reason ?? 'the reply ended early'}. The partial reply is kept: /continue carries it on, /retry asks again.`,
    };
  }
  if (m.status !== 'complete') return null;
  switch (m.stop_reason) {
    case null:
    case 'end_turn':
      return null;
    case 'max_tokens':
      return {
        level: 'warning',
        text: 'Stopped at max_tokens: the reply used its whole output budget and is cut off. Enter on an empty prompt (or /continue) carries it on in place.',
      };
    case 'stop_sequence':
      return { level: 'info', text: `Stopped at the stop sequence ${JSON.stringify(m.stop_sequence ?? '')}.` };
    case 'refusal': {
      const d = m.stop_details;
      const category = d?.category ? ` (${d.category})` : '';
      const why = d?.explanation ? ` ${d.explanation}` : '';
      return { level: 'warning', text: `Claude declined to answer${category}.${why}` };
    }
    case 'pause_turn':
      return {
        level: 'info',
        text: 'The server paused a long-running tool turn (pause_turn). Enter on an empty prompt (or /continue) resumes it.',
      };
    case 'tool_use':
      return { level: 'info', text: 'Claude asked to use a tool (tool_use); inkwell runs no tools, so the turn ends here.' };
    case 'model_context_window_exceeded':
      return {
        level: 'warning',
        text: "The reply filled the model's context window and is cut off (model_context_window_exceeded). Start a new conversation to go on.",
      };
    default:
      return { level: 'info', text: `Stopped: ${m.stop_reason}.` };
  }
}
