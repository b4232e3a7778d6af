import { aChat, aMember, aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage } from '../../timeline/state/chat-message';
import {
  NO_CHATS,
  applyReceipt,
  chatsByActivity,
  directChatWith,
  isReadUpTo,
  markChatRead,
  removeChat,
  replaceChats,
  showPending,
  touchChat,
  upsertChat,
} from './chats';

describe('chats', () => {
  const me = 'user-ana';
  const bruno = 'user-bruno';
  const chatId = 'chat-1';
  const listed = (overrides = {}) => upsertChat(NO_CHATS, aChat(chatId, [me, bruno], overrides));

  it('lists chats by latest activity and finds the direct chat with someone', () => {
    const chats = replaceChats([
      aChat('old', [me, 'user-carla'], { lastActivityAt: '2026-03-01T10:00:00.000Z' }),
      aChat('new', [me, bruno], { lastActivityAt: '2026-03-02T10:00:00.000Z' }),
      aChat('group', [me, bruno], { kind: 'group', lastActivityAt: '2026-03-03T10:00:00.000Z' }),
    ]);
    expect(chatsByActivity(chats).map((c) => c.id)).toEqual(['group', 'new', 'old']);
    expect(directChatWith(chats, bruno)?.id).toBe('new');
    expect(directChatWith(chats, 'user-dina')).toBeUndefined();
  });

  it('counts a new message from someone else as unread once, and never one the summary already counted', () => {
    const summarized = listed({ lastMessage: aMessage(chatId, 3, bruno), unreadCount: 1 });
    const late = touchChat(summarized, aMessage(chatId, 3, bruno), me, true);
    expect(late.byId[chatId]!.unreadCount).toBe(1);
    const next = touchChat(summarized, aMessage(chatId, 4, bruno), me, true);
    expect(next.byId[chatId]!.unreadCount).toBe(2);
    expect(next.byId[chatId]!.lastMessage!.seq).toBe(4);
  });

  it('keeps the newest message as the last line when an older one arrives late', () => {
    const chats = touchChat(listed({ lastMessage: aMessage(chatId, 5, bruno) }), aMessage(chatId, 4, bruno), me, true);
    expect(chats.byId[chatId]!.lastMessage!.seq).toBe(5);
    // The summary up to 5 already counted it.
    expect(chats.byId[chatId]!.unreadCount).toBe(0);
  });

  it('shows our pending message as the last line', () => {
    const pending = pendingMessage(chatId, me, 'client-1', 'hi', new Date('2026-03-05T10:00:00Z'));
    const chat = showPending(listed(), pending).byId[chatId]!;
    expect(chat.lastMessage).toBe(pending);
    expect(chat.lastActivityAt).toBe(pending.createdAt);
  });

  it('moves a member’s delivered and read positions with receipts, never back', () => {
    const receipt = (seq: number, status: 'delivered' | 'read', readAt: string | null = null) => ({ chatId, messageId: `m${seq}`, seq, userId: bruno, status, readAt });
    let chats = applyReceipt(listed(), receipt(4, 'delivered'), me);
    chats = applyReceipt(chats, receipt(2, 'read', '2026-03-05T10:00:00.000Z'), me);
    chats = applyReceipt(chats, receipt(1, 'delivered'), me);
    expect(chats.byId[chatId]!.members.find((m) => m.userId === bruno)).toEqual(
      jasmine.objectContaining({ deliveredSeq: 4, readSeq: 2, readAt: '2026-03-05T10:00:00.000Z' }),
    );
    // A read that moves nothing keeps the time of the read that did.
    chats = applyReceipt(chats, receipt(1, 'read', '2026-03-05T11:00:00.000Z'), me);
    expect(chats.byId[chatId]!.members.find((m) => m.userId === bruno)!.readAt).toBe('2026-03-05T10:00:00.000Z');
  });

  it('clears the unread count when our own read receipt covers the last message', () => {
    const chats = listed({ lastMessage: aMessage(chatId, 3, bruno), unreadCount: 2 });
    const read = applyReceipt(chats, { chatId, messageId: 'm3', seq: 3, userId: me, status: 'read', readAt: null }, me);
    expect(read.byId[chatId]!.unreadCount).toBe(0);
  });

  it('marks a chat read up to a message: nothing unread, and received too', () => {
    const chats = listed({ unreadCount: 2, members: [aMember(me), aMember(bruno)] });
    expect(isReadUpTo(chats.byId[chatId]!, me, 2)).toBeFalse();
    const read = markChatRead(chats, chatId, me, 2);
    const chat = read.byId[chatId]!;
    expect(chat.unreadCount).toBe(0);
    expect(chat.members.find((m) => m.userId === me)).toEqual(jasmine.objectContaining({ readSeq: 2, deliveredSeq: 2 }));
    expect(isReadUpTo(chat, me, 2)).toBeTrue();
  });

  it('marks a chat read up to a message with newer ones still unread after it', () => {
    const chats = listed({ unreadCount: 5, members: [aMember(me), aMember(bruno)] });
    const read = markChatRead(chats, chatId, me, 2, 3);
    expect(read.byId[chatId]!.unreadCount).toBe(3);
    expect(isReadUpTo(read.byId[chatId]!, me, 2, 3)).toBeTrue();
    expect(isReadUpTo(read.byId[chatId]!, me, 2, 1)).toBeFalse();
  });

  it('forgets a removed chat and what its summary counted', () => {
    const chats = removeChat(listed({ lastMessage: aMessage(chatId, 3, bruno) }), chatId);
    expect(chats).toEqual(NO_CHATS);
    expect(removeChat(NO_CHATS, chatId)).toEqual(NO_CHATS);
  });
});
