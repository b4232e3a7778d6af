import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage } from '../../timeline/state/chat-message';
import { newestKnownMessage } from './newest-message';

describe('newestKnownMessage', () => {
  const chatId = 'chat-1';
  const timeline = (...list: ReturnType<typeof aMessage>[]) => ({ list, hasMore: false, loaded: true, watermark: 0 });

  it('takes the newest stored message held, or the summary’s when that is newer', () => {
    const chat = aChat(chatId, [], { lastMessage: aMessage(chatId, 4, null) });
    expect(newestKnownMessage(chat, timeline(aMessage(chatId, 5, null)))!.seq).toBe(5);
    expect(newestKnownMessage(chat, timeline(aMessage(chatId, 3, null)))!.seq).toBe(4);
    expect(newestKnownMessage(chat, undefined)!.seq).toBe(4);
  });

  it('passes over our pending messages and knows nothing in an empty chat', () => {
    const pending = pendingMessage(chatId, 'user-ana', 'c1', 'hi', new Date());
    expect(newestKnownMessage(aChat(chatId, []), timeline(pending))).toBeNull();
  });
});
