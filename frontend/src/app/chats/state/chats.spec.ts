import { aChat, aMember, aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage } from '../../timeline/state/chat-message';
import {
  NO_CHATS,
  applyReceipt,
  chatsByActivity,
  directChatWith,
  isReadUpTo,
  markChatRead,
  followChange,
  removeChat,
  replaceChats,
  setNotifyLevel,
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

  it('moves the chat up for our pending message without making it the last line', () => {
    const stored = aMessage(chatId, 3, bruno);
    const pending = pendingMessage(chatId, me, 'client-1', 'hi', new Date('2026-03-05T10:00:00Z'));
    const chat = showPending(listed({ lastMessage: stored }), pending).byId[chatId]!;
    expect(chat.lastMessage).toBe(stored);
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

  it('counts a new unread message that mentions us as an unread mention; reading clears it', () => {
    const summarized = listed({ lastMessage: aMessage(chatId, 3, bruno), unreadCount: 0 });
    const plain = touchChat(summarized, aMessage(chatId, 4, bruno), me, true);
    expect(plain.byId[chatId]!.unreadMentionCount).toBe(0);
    const mentioned = touchChat(plain, aMessage(chatId, 5, bruno, { mentions: [me] }), me, true);
    expect(mentioned.byId[chatId]!.unreadMentionCount).toBe(1);
    expect(mentioned.byId[chatId]!.unreadCount).toBe(2);
    const summarizedMention = touchChat(listed({ lastMessage: aMessage(chatId, 5, bruno), unreadMentionCount: 1 }), aMessage(chatId, 5, bruno, { mentions: [me] }), me, true);
    expect(summarizedMention.byId[chatId]!.unreadMentionCount).toBe(1, 'a message the summary counted is not counted twice');
    expect(markChatRead(mentioned, chatId, me, 5).byId[chatId]!.unreadMentionCount).toBe(0);
  });

  it('an edit or delete of an unread message we held moves the unread mention count', () => {
    const held = aMessage(chatId, 4, bruno, { mentions: [me] });
    const chats = listed({ lastMessage: held, unreadCount: 1, unreadMentionCount: 1, changeSeq: 2 });
    const unmentioned = followChange(chats, { chatId, changeSeq: 3, kind: 'edit', message: { ...held, mentions: [], changeSeq: 3 } }, me, true);
    expect(unmentioned.byId[chatId]!.unreadMentionCount).toBe(0);
    const remention = followChange(unmentioned, { chatId, changeSeq: 4, kind: 'edit', message: { ...held, changeSeq: 4 } }, me, false);
    expect(remention.byId[chatId]!.unreadMentionCount).toBe(1);
    const deleted = followChange(remention, { chatId, changeSeq: 5, kind: 'delete', message: { ...held, body: '', mentions: [], deletedAt: 'x', changeSeq: 5 } }, me, true);
    expect(deleted.byId[chatId]!.unreadMentionCount).toBe(0);
    const covered = followChange(chats, { chatId, changeSeq: 2, kind: 'edit', message: { ...held, mentions: [] } }, me, true);
    expect(covered.byId[chatId]!.unreadMentionCount).toBe(1, 'the summary already counted that change');
  });

  it('takes our notification level from this or another device', () => {
    const muted = setNotifyLevel(listed(), chatId, 'muted');
    expect(muted.byId[chatId]!.notify).toBe('muted');
    expect(setNotifyLevel(muted, chatId, 'muted')).toBe(muted);
    expect(setNotifyLevel(muted, 'unknown', 'all')).toBe(muted);
  });
});
