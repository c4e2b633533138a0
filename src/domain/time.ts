/** Times in words for people. Pure. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayStart(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/**
 * How long ago a moment was, in words, by the local clock: "just now" (under a minute, or in the
 * future), "3 min ago" (under an hour), "5 hours ago" (earlier today), "yesterday", then a date:
 * "Mar 4" this year, "Mar 4, 2024" before.
 * @param then ms since the epoch
 * @param now ms since the epoch
 */
export function relativeTime(then: number, now: number): string {
  const ago = now - then;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  const today = dayStart(now);
  if (then >= today) {
    const h = Math.floor(ago / HOUR);
    return `${h} hour${h === 1 ? '' : 's'} ago`;
  }
  // The previous calendar day (DST-safe: the start of the day before today's start).
  if (then >= dayStart(today - 1)) return 'yesterday';
  const d = new Date(then);
  const date = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  return d.getFullYear() === new Date(now).getFullYear() ? date : `${date}, ${d.getFullYear()}`;
}
