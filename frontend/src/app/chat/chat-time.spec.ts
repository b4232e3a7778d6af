import { clockTime, dayLabel, listTime } from './chat-time';

/** A local wall-clock moment as the ISO string the server sends. */
const at = (year: number, month: number, day: number, hour = 12, minute = 0) =>
  new Date(year, month - 1, day, hour, minute).toISOString();

/** Locales put a (narrow) no-break space before AM/PM; compare with plain spaces. */
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('chat times', () => {
  const now = new Date(2026, 2, 12, 9, 30);

  it('writes the clock without a padding zero, as the locale does', () => {
    expect(plain(clockTime(at(2026, 3, 12, 3, 29), 'en-US'))).toBe('3:29 AM');
    expect(plain(clockTime(at(2026, 3, 12, 15, 5), 'en-US'))).toBe('3:05 PM');
    expect(clockTime(at(2026, 3, 12, 15, 5), 'de-DE')).toBe('15:05');
    expect(clockTime(at(2026, 3, 12, 3, 29))).not.toMatch(/^0/);
  });

  it('labels day dividers Today, Yesterday, or with the date', () => {
    expect(dayLabel(at(2026, 3, 12, 0, 1), now, 'en-US')).toBe('Today');
    expect(dayLabel(at(2026, 3, 11, 23, 59), now, 'en-US')).toBe('Yesterday');
    expect(dayLabel(at(2026, 3, 9), now, 'en-US')).toBe('Monday, March 9');
    expect(dayLabel(at(2025, 12, 31), now, 'en-US')).toBe('Wednesday, December 31, 2025');
  });

  it('shows the clock for today in the chat list, then Yesterday, then a short date', () => {
    expect(plain(listTime(at(2026, 3, 12, 8, 7), now, 'en-US'))).toBe('8:07 AM');
    expect(listTime(at(2026, 3, 11, 8, 7), now, 'en-US')).toBe('Yesterday');
    expect(listTime(at(2026, 3, 1), now, 'en-US')).toBe('Mar 1');
  });
});
