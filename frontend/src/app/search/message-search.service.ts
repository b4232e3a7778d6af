import { Injectable, inject, signal } from '@angular/core';
import { Connection } from '../connection/connection.service';
import { RequestError } from '../connection/socket-request';
import { requestErrorText } from '../core/request-error-text';
import { NO_SEARCH, moreRequested, pageArrived, searchCleared, searchFailed, searchStarted, type SearchState } from './state/search-state';

/** Hits asked for per page. */
export const SEARCH_PAGE_SIZE = 20;

/**
 * The session's message search (`message:search`): runs a query in every chat or in one, pages
 * on with `next`, and keeps only the answer to the latest request. The search box shows it;
 * anything may ask the box to take the focus (Ctrl+K, a chat's "Search in this chat").
 */
@Injectable()
export class MessageSearch {
  private readonly connection = inject(Connection);
  private readonly current = signal<SearchState>(NO_SEARCH);
  private readonly focusTicket = signal(0);

  readonly state = this.current.asReadonly();
  /** Goes up each time the search box is asked to take the focus. */
  readonly focusRequests = this.focusTicket.asReadonly();

  /** Searches `query` in the chat searched now (every chat when none); an empty query clears. */
  async search(query: string): Promise<void> {
    const state = searchStarted(this.current(), query, this.current().chatId);
    this.current.set(state);
    if (state.status === 'loading') await this.fetch(state);
  }

  /** Asks for the next page of the current search, if there is one. */
  async loadMore(): Promise<void> {
    const state = moreRequested(this.current());
    if (!state) return;
    this.current.set(state);
    await this.fetch(state, state.next ?? undefined);
  }

  /** Forgets the query and its hits; with `everywhere`, the search covers every chat again. */
  clear(everywhere = false): void {
    this.current.update((state) => searchCleared(state, !everywhere));
  }

  /** Searches every chat again, with the same query. */
  async searchEverywhere(): Promise<void> {
    const { query } = this.current();
    this.current.update((state) => searchCleared(state, false));
    if (query) await this.search(query);
  }

  /** Searches inside one chat: the box takes the focus, and a query already typed runs there. */
  async searchIn(chatId: string): Promise<void> {
    const { query } = this.current();
    this.current.update((state) => ({ ...searchCleared(state), chatId }));
    this.focus();
    if (query) await this.search(query);
  }

  /** Asks the search box to take the focus. */
  focus(): void {
    this.focusTicket.update((ticket) => ticket + 1);
  }

  private async fetch(state: SearchState, before?: string): Promise<void> {
    try {
      const page = await this.connection.request('message:search', {
        query: state.query,
        limit: SEARCH_PAGE_SIZE,
        ...(state.chatId ? { chatId: state.chatId } : {}),
        ...(before ? { before } : {}),
      });
      this.current.update((current) => pageArrived(current, state.ticket, page));
    } catch (error) {
      this.current.update((current) => searchFailed(current, state.ticket, searchErrorText(error)));
    }
  }
}

/** A failed search in plain words: what was wrong with the query, or why it could not run. */
function searchErrorText(error: unknown): string {
  if (error instanceof RequestError && error.code === 'validation_failed' && error.fields?.['query']) {
    return `Check the search: ${error.fields['query']}.`;
  }
  if (error instanceof RequestError && error.code === 'not_found') return 'That chat is no longer one of yours.';
  return requestErrorText(error, 'The search did not work. Try again.');
}
