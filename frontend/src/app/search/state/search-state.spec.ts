import { aHit } from '../../core/testing/search-fixtures';
import { NO_SEARCH, moreRequested, pageArrived, searchCleared, searchFailed, searchStarted } from './search-state';

describe('search state', () => {
  it('starts a search with the trimmed query and waits for its first page', () => {
    const state = searchStarted(NO_SEARCH, '  deploy ', 'chat-1');
    expect(state).toEqual(jasmine.objectContaining({ query: 'deploy', chatId: 'chat-1', status: 'loading', hits: [], ticket: 1 }));
  });

  it('clears on an empty query, keeping the chat searched', () => {
    const state = searchStarted(pageArrived(searchStarted(NO_SEARCH, 'deploy', 'chat-1'), 1, { hits: [aHit('m1')], next: null }), '   ', 'chat-1');
    expect(state).toEqual(jasmine.objectContaining({ query: '', chatId: 'chat-1', status: 'idle', hits: [] }));
  });

  it('takes the first page, then appends further pages without repeating a hit', () => {
    const asked = searchStarted(NO_SEARCH, 'deploy', null);
    const first = pageArrived(asked, asked.ticket, { hits: [aHit('m3'), aHit('m2')], next: 'c1' });
    expect(first.status).toBe('done');
    expect(first.next).toBe('c1');
    const more = moreRequested(first)!;
    expect(more.loadingMore).toBeTrue();
    const second = pageArrived(more, more.ticket, { hits: [aHit('m2'), aHit('m1')], next: null });
    expect(second.hits.map((hit) => hit.messageId)).toEqual(['m3', 'm2', 'm1']);
    expect(second.next).toBeNull();
    expect(second.loadingMore).toBeFalse();
  });

  it('asks for no further page on the last page, while one is on its way, or before the first arrived', () => {
    const asked = searchStarted(NO_SEARCH, 'deploy', null);
    expect(moreRequested(asked)).toBeNull();
    const last = pageArrived(asked, asked.ticket, { hits: [aHit('m1')], next: null });
    expect(moreRequested(last)).toBeNull();
    const more = moreRequested(pageArrived(asked, asked.ticket, { hits: [aHit('m1')], next: 'c1' }))!;
    expect(moreRequested(more)).toBeNull();
  });

  it('ignores the answer to a search that was replaced or cleared', () => {
    const first = searchStarted(NO_SEARCH, 'dep', null);
    const second = searchStarted(first, 'deploy', null);
    expect(pageArrived(second, first.ticket, { hits: [aHit('old')], next: null })).toBe(second);
    const cleared = searchCleared(second);
    expect(pageArrived(cleared, second.ticket, { hits: [aHit('m1')], next: null })).toBe(cleared);
    expect(searchFailed(cleared, second.ticket, 'Offline')).toBe(cleared);
  });

  it('shows a failed first page as an error, and keeps the hits when a further page fails', () => {
    const asked = searchStarted(NO_SEARCH, 'deploy', null);
    const failed = searchFailed(asked, asked.ticket, 'The server did not answer.');
    expect(failed).toEqual(jasmine.objectContaining({ status: 'failed', error: 'The server did not answer.', hits: [] }));

    const more = moreRequested(pageArrived(asked, asked.ticket, { hits: [aHit('m2')], next: 'c1' }))!;
    const moreFailed = searchFailed(more, more.ticket, 'Offline');
    expect(moreFailed).toEqual(jasmine.objectContaining({ status: 'done', loadingMore: false, error: 'Offline', next: 'c1' }));
    expect(moreFailed.hits.length).toBe(1);
  });

  it('clears the query and hits; the chat searched stays unless asked otherwise', () => {
    const state = pageArrived(searchStarted(NO_SEARCH, 'deploy', 'chat-1'), 1, { hits: [aHit('m1')], next: 'c' });
    expect(searchCleared(state)).toEqual(jasmine.objectContaining({ query: '', chatId: 'chat-1', status: 'idle', hits: [], next: null }));
    expect(searchCleared(state, false).chatId).toBeNull();
  });
});
