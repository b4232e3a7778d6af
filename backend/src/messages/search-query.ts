import { AppError } from '../app-error.js';
import { searchText } from '../storage/search-text.js';

/**
 * A search query as the user typed it, taken apart. Everything that is not one of the four
 * filters is text to look for: FTS or regex syntax (`*`, `^`, `:`, parentheses, AND/OR/NOT,
 * NEAR, `.*`...) means nothing here and is looked for as written.
 * - words, separated by whitespace: each must occur (inside a word counts: `deploy` finds
 *   "redeployed");
 * - "a quoted phrase": occurs as written, whitespace runs counting as one space; a `"` without
 *   its pair is text;
 * - `from:@username` (the sender), `in:#group name` (a group of the caller; a name with spaces in
 *   quotes: in:#"ops team"), `before:YYYY-MM-DD` (sent before that day began, UTC),
 *   `after:YYYY-MM-DD` (sent after that day ended, UTC). Each at most once.
 */
export interface ParsedSearch {
  /** Normalised (search-text.ts), without repeats, in the order written. */
  terms: string[];
  from: string | null;
  in: string | null;
  /** ISO instants: created at or after `createdFrom`, before `createdBefore`. */
  createdFrom: string | null;
  createdBefore: string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function invalid(message: string): never {
  throw new AppError('validation_failed', `Invalid input: query: ${message}`, { query: message });
}

/** Midnight UTC of a YYYY-MM-DD day, as milliseconds; refuses dates that do not exist. */
function dayStart(value: string, filter: string): number {
  const match = DATE.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    invalid(`${filter}: needs a date written YYYY-MM-DD`);
  }
  return time;
}

/** Splits the query into whitespace-separated tokens, a "quoted phrase" (or a quoted filter value) being one. */
function tokens(query: string): Array<{ text: string; phrase: boolean }> {
  const found: Array<{ text: string; phrase: boolean }> = [];
  let index = 0;
  while (index < query.length) {
    while (index < query.length && /\s/u.test(query[index]!)) index += 1;
    if (index >= query.length) break;
    if (query[index] === '"') {
      const close = query.indexOf('"', index + 1);
      if (close !== -1) {
        found.push({ text: query.slice(index + 1, close), phrase: true });
        index = close + 1;
        continue;
      }
    }
    let end = index;
    while (end < query.length && !/\s/u.test(query[end]!)) {
      // in:#"two words": the quoted value belongs to the token.
      if (query[end] === '"' && end > index && /^in:#$/iu.test(query.slice(index, end))) {
        const close = query.indexOf('"', end + 1);
        if (close !== -1) {
          end = close + 1;
          continue;
        }
      }
      end += 1;
    }
    found.push({ text: query.slice(index, end), phrase: false });
    index = end;
  }
  return found;
}

export function parseSearchQuery(query: string): ParsedSearch {
  const parsed: ParsedSearch = { terms: [], from: null, in: null, createdFrom: null, createdBefore: null };
  const once = (filter: string, value: string | null) => {
    if (value !== null) invalid(`${filter} may be given once`);
  };
  for (const token of tokens(query)) {
    const filter = token.phrase ? null : /^(from|in|before|after):(.*)$/isu.exec(token.text);
    if (filter) {
      const name = filter[1]!.toLowerCase();
      const value = filter[2]!;
      if (name === 'from') {
        once('from:', parsed.from);
        if (!value.startsWith('@') || value.length < 2) invalid('from: needs a username, as from:@name');
        parsed.from = value.slice(1);
        continue;
      }
      if (name === 'in') {
        once('in:', parsed.in);
        const room = value.startsWith('#') ? value.slice(1).replace(/^"(.*)"$/su, '$1').trim() : '';
        if (room === '') invalid('in: needs a group name, as in:#name');
        parsed.in = room;
        continue;
      }
      if (name === 'before') {
        once('before:', parsed.createdBefore);
        parsed.createdBefore = new Date(dayStart(value, 'before:')).toISOString();
        continue;
      }
      once('after:', parsed.createdFrom);
      parsed.createdFrom = new Date(dayStart(value, 'after:') + DAY_MS).toISOString();
      continue;
    }
    const term = searchText(token.text);
    if (term !== '' && !parsed.terms.includes(term)) parsed.terms.push(term);
  }
  if (parsed.terms.length === 0 && parsed.from === null && parsed.in === null && parsed.createdFrom === null && parsed.createdBefore === null) {
    invalid('must contain something to look for');
  }
  return parsed;
}
