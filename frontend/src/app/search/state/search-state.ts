import type { SearchHit, SearchResult } from '@shared';

/** Where a search stands: nothing asked, the first page on its way, answered, or failed. */
export type SearchStatus = 'idle' | 'loading' | 'done' | 'failed';

/** The message search of the session: what was asked, and the hits found so far. */
export interface SearchState {
  /** The query searched (trimmed); '' when nothing is searched. */
  query: string;
  /** Only this chat is searched; null: every chat of the user. */
  chatId: string | null;
  status: SearchStatus;
  /** Newest first, page after page. */
  hits: readonly SearchHit[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
  /** The request the state waits for: an answer to any other is stale and ignored. */
  ticket: number;
  /** A further page is on its way. */
  loadingMore: boolean;
  /** Why the first page (status 'failed') or the last further page failed, in plain words. */
  error: string | null;
}

export const NO_SEARCH: SearchState = {
  query: '',
  chatId: null,
  status: 'idle',
  hits: [],
  next: null,
  ticket: 0,
  loadingMore: false,
  error: null,
};

/** A new search: its first page is asked for; what was found before goes. An empty query clears. */
export function searchStarted(state: SearchState, query: string, chatId: string | null): SearchState {
  const trimmed = query.trim();
  if (!trimmed) return { ...NO_SEARCH, chatId, ticket: state.ticket + 1 };
  return { ...NO_SEARCH, query: trimmed, chatId, status: 'loading', ticket: state.ticket + 1 };
}

/** The next page is asked for; null when there is none to ask for (or it is already on its way). */
export function moreRequested(state: SearchState): SearchState | null {
  if (state.status !== 'done' || !state.next || state.loadingMore) return null;
  return { ...state, loadingMore: true, error: null, ticket: state.ticket + 1 };
}

/** A page arrived: its hits follow those held (a hit already held is not repeated). */
export function pageArrived(state: SearchState, ticket: number, page: SearchResult): SearchState {
  if (ticket !== state.ticket) return state;
  const held = new Set(state.hits.map((hit) => hit.messageId));
  const added = page.hits.filter((hit) => !held.has(hit.messageId));
  return { ...state, status: 'done', hits: [...state.hits, ...added], next: page.next, loadingMore: false, error: null };
}

/** A request failed: the first page's failure replaces the results, a further page's keeps them. */
export function searchFailed(state: SearchState, ticket: number, error: string): SearchState {
  if (ticket !== state.ticket) return state;
  if (state.loadingMore) return { ...state, loadingMore: false, error };
  return { ...state, status: 'failed', hits: [], next: null, error };
}

/** The search is cleared: an answer still on its way is ignored. The chat searched stays unless `keepChat` is false. */
export function searchCleared(state: SearchState, keepChat = true): SearchState {
  return { ...NO_SEARCH, chatId: keepChat ? state.chatId : null, ticket: state.ticket + 1 };
}
