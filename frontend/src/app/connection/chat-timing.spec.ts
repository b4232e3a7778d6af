import { MAX_PAGE_SIZE } from '@shared';
import { CHAT_TIMING } from './chat-timing';

describe('CHAT_TIMING', () => {
  it('asks for pages no larger than the server gives', () => {
    expect(CHAT_TIMING.largestPage).toBe(MAX_PAGE_SIZE);
    expect(CHAT_TIMING.pageSize).toBeLessThanOrEqual(MAX_PAGE_SIZE);
  });
});
