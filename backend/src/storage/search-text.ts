/**
 * The one normalisation of text for message search, used by both storage adapters (what they
 * index) and by the search use case (the query's terms, the snippet's marked ranges):
 * - compatibility decomposition (NFKD: full-width letters, ligatures and the like become plain
 *   letters), lower case;
 * - the combining diacritical marks (U+0300–U+036F and the other combining-diacritic blocks)
 *   are dropped, so é, ë, ê are e, ß stays ß, ё is е; marks that carry meaning in other scripts
 *   (Japanese dakuten, Indic vowel signs) stay, and the rest is composed again (NFC), so Korean
 *   syllables and kana stay whole;
 * - every run of whitespace is one space.
 * It works one code point at a time, so each character of the result comes from one place in
 * the original: `searchTextWithOffsets` gives that map, and a match found in the normalised text
 * is a range of the original.
 */

/** The combining diacritical mark blocks: the accents of Latin, Greek and Cyrillic letters. */
const DIACRITIC_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];

function isDiacritic(char: string): boolean {
  const code = char.codePointAt(0)!;
  return DIACRITIC_BLOCKS.some(([first, last]) => code >= first && code <= last);
}
const WHITESPACE = /\s/u;

/** The shortest term the trigram indexes can look up; shorter terms are matched by scanning. */
export const INDEXED_TERM_LENGTH = 3;

const cache = new Map<string, string>();

function normaliseCodePoint(char: string): string {
  let folded = cache.get(char);
  if (folded === undefined) {
    folded = [...char.normalize('NFKD').toLowerCase()]
      .filter((part) => !isDiacritic(part))
      .join('')
      .normalize('NFC');
    if (cache.size < 10_000) cache.set(char, folded);
  }
  return folded;
}

export interface SearchText {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`, the UTF-16 offset in the original where its code point starts; one more entry at the end (the original's length). */
  offsets: number[];
}

/** The normalised text with, for each of its UTF-16 units, where it came from in `original`. */
export function searchTextWithOffsets(original: string): SearchText {
  let text = '';
  const offsets: number[] = [];
  let offset = 0;
  let lastWasSpace = true;
  for (const char of original) {
    if (WHITESPACE.test(char)) {
      if (!lastWasSpace) {
        text += ' ';
        offsets.push(offset);
        lastWasSpace = true;
      }
    } else {
      const folded = normaliseCodePoint(char);
      text += folded;
      for (let index = 0; index < folded.length; index += 1) offsets.push(offset);
      if (folded.length > 0) lastWasSpace = false;
    }
    offset += char.length;
  }
  if (text.endsWith(' ')) {
    text = text.slice(0, -1);
    offsets.pop();
  }
  offsets.push(original.length);
  return { text, offsets };
}

/**
 * The normalised text alone: what is indexed for a body, and what a query term becomes. The same
 * text as searchTextWithOffsets gives, made without the offsets and with ASCII taken straight
 * (it only lower-cases; its whitespace is tab to carriage return and space), since every body
 * is normalised once more when it is indexed.
 */
export function searchText(original: string): string {
  let text = '';
  let lastWasSpace = true;
  for (const char of original) {
    const code = char.charCodeAt(0);
    const ascii = code < 0x80;
    if (ascii ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : WHITESPACE.test(char)) {
      if (!lastWasSpace) text += ' ';
      lastWasSpace = true;
      continue;
    }
    const folded = !ascii ? normaliseCodePoint(char) : code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 0x20) : char;
    if (folded.length > 0) {
      text += folded;
      lastWasSpace = false;
    }
  }
  return text.endsWith(' ') ? text.slice(0, -1) : text;
}

/** Length in code points (what a trigram counts), not UTF-16 units. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _char of text) length += 1;
  return length;
}

/** The distinct trigrams (three consecutive code points) of a normalised text; none when it is shorter. */
export function trigramsOf(normalised: string): string[] {
  const chars = [...normalised];
  const trigrams = new Set<string>();
  for (let index = 0; index + INDEXED_TERM_LENGTH <= chars.length; index += 1) {
    trigrams.add(chars.slice(index, index + INDEXED_TERM_LENGTH).join(''));
  }
  return [...trigrams];
}

/** Whether the normalised body holds every normalised term. */
export function containsEveryTerm(normalisedBody: string, terms: readonly string[]): boolean {
  return terms.every((term) => normalisedBody.includes(term));
}
