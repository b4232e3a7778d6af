const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const longDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:05": the time beside a message. */
export function clockTime(iso: string): string {
  return clock.format(new Date(iso));
}

/** The time in the chat list: the clock today, "Yesterday", else a short date. */
export function listTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (sameDay(date, now)) return clock.format(date);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(date, yesterday)) return 'Yesterday';
  return shortDate.format(date);
}

/** The divider between days in a chat: "Today", "Yesterday", a weekday, or a full date. */
export function dayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (sameDay(date, now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(date, yesterday)) return 'Yesterday';
  if (now.getTime() - date.getTime() < 6 * 24 * 3600 * 1000) return weekday.format(date);
  return longDate.format(date);
}

export function isSameDay(a: string, b: string): boolean {
  return sameDay(new Date(a), new Date(b));
}
