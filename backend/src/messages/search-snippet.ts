import type { SearchRange, SearchSnippet } from '../../../shared/src/schemas/search.js';
import { SEARCH_SNIPPET_LENGTH } from '../../../shared/src/schemas/search.js';
import { searchTextWithOffsets } from '../storage/search-text.js';

/** How much of the body a snippet shows before its first match, when it has to cut. */
const LEAD = 40;
const ELLIPSIS = '…';

/** Where each normalised term occurs in `body`, as ranges of the body, sorted and merged. */
export function matchedRanges(body: string, terms: readonly string[]): SearchRange[] {
  const { text, offsets } = searchTextWithOffsets(body);
  const ranges: SearchRange[] = [];
  for (const term of terms) {
    if (term === '') continue;
    for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) {
      const start = offsets[at]!;
      // The end of the original character that gave the term's last unit.
      let next = at + term.length;
      while (next < text.length && offsets[next] === offsets[at + term.length - 1]) next += 1;
      const end = next < text.length ? offsets[next]! : body.length;
      ranges.push({ start, end: Math.max(end, start) });
    }
  }
  ranges.sort((x, y) => x.start - y.start || x.end - y.end);
  const merged: SearchRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Does not cut a surrogate pair in two. */
function safeCut(body: string, index: number): number {
  const code = body.charCodeAt(index);
  return index > 0 && index < body.length && code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

/**
 * The part of the body around its first match (the whole body when it is short), with the
 * matched parts as ranges into the snippet's own text: never markup, so nothing of the body is
 * ever read as HTML. A cut end shows an ellipsis.
 */
export function snippetOf(body: string, terms: readonly string[]): SearchSnippet {
  const ranges = matchedRanges(body, terms);
  if (body.length <= SEARCH_SNIPPET_LENGTH) return { text: body, ranges };
  const first = ranges[0]?.start ?? 0;
  let start = safeCut(body, Math.max(0, Math.min(first - LEAD, body.length - SEARCH_SNIPPET_LENGTH)));
  const end = safeCut(body, Math.min(body.length, start + SEARCH_SNIPPET_LENGTH));
  if (start < 0) start = 0;
  const prefix = start > 0 ? ELLIPSIS : '';
  const text = prefix + body.slice(start, end) + (end < body.length ? ELLIPSIS : '');
  const shift = prefix.length - start;
  const shown = ranges
    .filter((range) => range.end > start && range.start < end)
    .map((range) => ({ start: Math.max(range.start, start) + shift, end: Math.min(range.end, end) + shift }));
  return { text, ranges: shown };
}
