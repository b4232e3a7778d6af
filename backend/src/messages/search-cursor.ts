import { createHash } from 'node:crypto';
import { AppError } from '../app-error.js';
import type { ParsedSearch } from './search-query.js';

/**
 * The opaque paging cursor of message search: the position the previous page stopped at, bound to
 * the query it belongs to by a digest of the normalised query (its terms and filters) and the
 * chat it was limited to. A cursor of another query, or one that was tampered with, is refused
 * (`validation_failed`, fields.before) instead of giving a page of something else. It carries no
 * secret and no right: the rights are checked again on every page.
 */
interface CursorContent {
  /** Digest of the query. */
  q: string;
  /** `i`: the store's index position; `s`: a message id of the short-query scan. */
  m: 'i' | 's';
  p: string;
}

export function queryDigest(parsed: ParsedSearch, chatId: string | undefined): string {
  const key = JSON.stringify([parsed.terms, parsed.from?.toLowerCase() ?? null, parsed.in, parsed.createdFrom, parsed.createdBefore, chatId ?? null]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

export function encodeCursor(digest: string, mode: CursorContent['m'], position: string): string {
  return Buffer.from(JSON.stringify({ q: digest, m: mode, p: position } satisfies CursorContent)).toString('base64url');
}

function refused(): never {
  throw new AppError('validation_failed', 'Invalid input: before: not a cursor of this query', { before: 'not a cursor of this query' });
}

/** The position in `cursor`, when it was made for this query in this mode. */
export function decodeCursor(cursor: string, digest: string, mode: CursorContent['m']): string {
  let content: unknown;
  try {
    content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    refused();
  }
  if (typeof content !== 'object' || content === null) refused();
  const { q, m, p } = content as Partial<CursorContent>;
  if (q !== digest || m !== mode || typeof p !== 'string' || p.length === 0 || p.length > 100) refused();
  return p;
}
