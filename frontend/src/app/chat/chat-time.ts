/**
 * Dates and times as the user's locale writes them. Each function takes an optional locale
 * (the browser's by default) so a spec can pin one down.
 */
type Style = 'clock' | 'shortDate' | 'date' | 'dateWithYear' | 'full';

const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
  /** "3:29 AM", "15:29": the hour as the locale writes it, without a padding zero. */
  clock: { hour: 'numeric', minute: '2-digit' },
  shortDate: { day: 'numeric', month: 'short' },
  date: { weekday: 'long', day: 'numeric', month: 'long' },
  dateWithYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  full: { dateStyle: 'full', timeStyle: 'short' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(style: Style, locale: string | undefined): Intl.DateTimeFormat {
  const key = `${style}|${locale ?? ''}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, OPTIONS[style]);
    formatters.set(key, found);
  }
  return found;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function isYesterday(date: Date, now: Date): boolean {
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  return sameDay(date, yesterday);
}

/** "3:29 AM" (or "15:29", as the locale has it): the time beside a message. */
export function clockTime(iso: string, locale?: string): string {
  return formatter('clock', locale).format(new Date(iso));
}

/** "Monday, 2 March 2026 at 3:29 AM": the tooltip on a message's time. */
export function fullTime(iso: string, locale?: string): string {
  return formatter('full', locale).format(new Date(iso));
}

/** The time in the chat list: the clock today, "Yesterday", else a short date. */
export function listTime(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (sameDay(date, now)) return clockTime(iso, locale);
  if (isYesterday(date, now)) return 'Yesterday';
  return formatter('shortDate', locale).format(date);
}

/** The divider between days in a chat: "Today", "Yesterday", else the date (with the year if not this one). */
export function dayLabel(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (sameDay(date, now)) return 'Today';
  if (isYesterday(date, now)) return 'Yesterday';
  return formatter(date.getFullYear() === now.getFullYear() ? 'date' : 'dateWithYear', locale).format(date);
}

export function isSameDay(a: string, b: string): boolean {
  return sameDay(new Date(a), new Date(b));
}
