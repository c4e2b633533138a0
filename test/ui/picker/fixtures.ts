import type { SessionSummary } from '../../../src/sessions/list.js';

/** "Now" for every picker test: 15 June 2025, 12:00 local time. */
export const NOW = new Date(2025, 5, 15, 12, 0, 0).getTime();

/** A fake session summary (no disk), `minutesAgo` before {@link NOW}. */
export function summary(id: string, title: string, minutesAgo: number, over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id,
    title,
    createdAt: NOW - minutesAgo * 60_000 - 3_600_000,
    updatedAt: NOW - minutesAgo * 60_000,
    model: 'claude-sonnet-4-5',
    messageCount: 4,
    damaged: false,
    path: `/nowhere/${id}.jsonl`,
    ...over,
  };
}
