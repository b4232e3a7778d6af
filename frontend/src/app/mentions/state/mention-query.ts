import type { Mentionable } from './mention-text';

/** The `@…` being typed at the caret: where its `@` is, and what follows it so far. */
export interface MentionQuery {
  /** Index of the `@` in the text. */
  start: number;
  /** What was typed after the `@`, up to the caret. */
  query: string;
}

/** A name being typed may hold spaces ("Ana Li"), but not this many characters, nor a line break. */
const MAX_QUERY_LENGTH = 40;

/**
 * The mention being typed at `caret`, if any: an `@` at the start of the text or after a space
 * or line break, followed by at most MAX_QUERY_LENGTH characters with no line break and no two
 * spaces in a row. `foo@bar` (an address) is not one.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const upTo = text.slice(0, caret);
  const at = upTo.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s/u.test(upTo[at - 1]!)) return null;
  const query = upTo.slice(at + 1);
  if (query.length > MAX_QUERY_LENGTH || /[\n\r]/u.test(query) || query.includes('  ') || query.startsWith(' ')) return null;
  return { start: at, query };
}

/** At most this many suggestions are shown. */
export const MAX_SUGGESTIONS = 8;

/**
 * The people whose name or username matches what was typed, best first: a name or username that
 * starts with it, then one whose other word (the last name) does; alphabetically within each.
 * Case and accents do not matter. An empty query lists everyone (up to the limit).
 */
export function mentionSuggestions(people: readonly Mentionable[], query: string, limit = MAX_SUGGESTIONS): Mentionable[] {
  const wanted = fold(query.trim());
  const ranked: Array<{ person: Mentionable; rank: number }> = [];
  for (const person of people) {
    const name = fold(person.name);
    const username = fold(person.username);
    let rank = -1;
    if (name.startsWith(wanted) || username.startsWith(wanted)) rank = 0;
    else if (name.split(/\s+/u).some((word) => word.startsWith(wanted))) rank = 1;
    if (rank >= 0) ranked.push({ person, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.person.name.localeCompare(b.person.name));
  return ranked.slice(0, limit).map((entry) => entry.person);
}

/** The text with the `@query` at `mention` replaced by `@Name ` and where the caret goes after it. */
export function pickMention(text: string, mention: MentionQuery, caret: number, person: Mentionable): { text: string; caret: number } {
  const inserted = `@${person.name} `;
  const after = text.slice(caret).replace(/^ /u, '');
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}

/** The next option index for a key, wrapping around; -1 when there are none. */
export function moveActive(active: number, count: number, key: 'ArrowDown' | 'ArrowUp' | 'Home' | 'End'): number {
  if (count === 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return (active + 1) % count;
    case 'ArrowUp':
      return (active - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}

function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}
