import type { SearchSnippet } from '@shared';

/** A run of a snippet's text, marked when the query matched it. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

/**
 * Cuts a snippet's text at its ranges: plain and marked runs in order. Ranges outside the text
 * are clipped, empty ones dropped, a range overlapping one before it starts where that ended, and
 * touching ranges make one marked run.
 */
export function snippetParts(snippet: SearchSnippet): SnippetPart[] {
  const { text } = snippet;
  const parts: SnippetPart[] = [];
  let at = 0;
  const ranges = [...snippet.ranges].sort((a, b) => a.start - b.start);
  for (const range of ranges) {
    const start = Math.max(at, Math.min(range.start, text.length));
    const end = Math.max(start, Math.min(range.end, text.length));
    if (end === start) continue;
    const last = parts.at(-1);
    if (start > at) parts.push({ text: text.slice(at, start), marked: false });
    else if (last?.marked) {
      last.text += text.slice(start, end);
      at = end;
      continue;
    }
    parts.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}
