import { aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage, type ChatMessage } from '../../timeline/state/chat-message';
import {
  NO_UNREAD_LINE,
  countsAsUnread,
  firstUnread,
  holdsFirstUnread,
  newestOnScreen,
  pageBackTo,
  unreadLineAtOpen,
  unreadLineOnArrival,
  unseenBelow,
  unseenMentionsBelow,
} from './reading-position';

describe('reading position', () => {
  const chatId = 'chat-1';
  const me = 'user-ana';
  const bruno = 'user-bruno';
  const list: ChatMessage[] = [
    aMessage(chatId, 1, bruno),
    aMessage(chatId, 2, me),
    aMessage(chatId, 3, bruno, { deletedAt: '2026-03-02T10:05:00.000Z', deletedBy: 'sender', body: '' }),
    aMessage(chatId, 4, me),
    aMessage(chatId, 5, bruno),
    aMessage(chatId, 6, bruno),
  ];

  it('counts only others’ stored messages that stand as unread', () => {
    expect(countsAsUnread(list[0]!, me)).toBeTrue();
    expect(countsAsUnread(list[1]!, me)).toBeFalse();
    expect(countsAsUnread(list[2]!, me)).toBeFalse();
    expect(countsAsUnread(pendingMessage(chatId, bruno, 'c-1', 'hi', new Date()), me)).toBeFalse();
  });

  it('finds the first unread message after the read position, skipping ours and deleted ones', () => {
    expect(firstUnread(list, 0, me)?.seq).toBe(1);
    expect(firstUnread(list, 1, me)?.seq).toBe(5);
    expect(firstUnread(list, 6, me)).toBeNull();
  });

  it('knows when the held messages reach back to the first unread, and how far to page back', () => {
    const tail = list.slice(3);
    expect(holdsFirstUnread(tail, 3, true)).toBeTrue();
    expect(holdsFirstUnread(tail, 1, true)).toBeFalse();
    expect(holdsFirstUnread(tail, 1, false)).toBeTrue();
    expect(holdsFirstUnread([], 1, true)).toBeTrue();
    expect(pageBackTo(40, 14, 50)).toBe(26);
    expect(pageBackTo(400, 14, 50)).toBe(50);
    expect(pageBackTo(5, 5, 50)).toBe(1);
  });

  it('puts the "New messages" line at the first unread when the chat opens, then keeps it there', () => {
    const opened = unreadLineAtOpen(list, 4, me);
    expect(opened.messageId).toBe(`${chatId}-m5`);
    const later = aMessage(chatId, 7, bruno);
    expect(unreadLineOnArrival(opened, later, me, false)).toBe(opened);
    expect(unreadLineAtOpen(list, 6, me)).toEqual(NO_UNREAD_LINE);
  });

  it('puts the line at the first message that arrives unseen when the chat opened with none', () => {
    const arrived = aMessage(chatId, 7, bruno);
    expect(unreadLineOnArrival(NO_UNREAD_LINE, arrived, me, true)).toBe(NO_UNREAD_LINE);
    expect(unreadLineOnArrival(NO_UNREAD_LINE, aMessage(chatId, 7, me), me, false)).toBe(NO_UNREAD_LINE);
    expect(unreadLineOnArrival(NO_UNREAD_LINE, arrived, me, false)).toEqual({ messageId: `${chatId}-m7` });
  });

  it('takes the newest stored message on screen as the one seen', () => {
    const pending = pendingMessage(chatId, me, 'c-2', 'hi', new Date());
    const withPending = [...list, pending];
    expect(newestOnScreen(withPending, new Set([`${chatId}-m1`, `${chatId}-m4`, pending.id]))?.seq).toBe(4);
    expect(newestOnScreen(withPending, new Set())).toBeNull();
  });

  it('counts the unseen messages from others below what was seen', () => {
    expect(unseenBelow(list, 0, me)).toBe(3);
    expect(unseenBelow(list, 4, me)).toBe(2);
    expect(unseenBelow(list, 6, me)).toBe(0);
  });

  it('counts the unseen messages below that mention the reader, not our own or deleted ones', () => {
    const withMentions: ChatMessage[] = [
      aMessage(chatId, 1, bruno, { mentions: [me] }),
      aMessage(chatId, 2, me, { mentions: [me] }),
      aMessage(chatId, 3, bruno, { mentions: [me], deletedAt: '2026-03-02T10:05:00.000Z', deletedBy: 'sender', body: '' }),
      aMessage(chatId, 4, bruno),
      aMessage(chatId, 5, bruno, { mentions: [bruno, me] }),
    ];
    expect(unseenMentionsBelow(withMentions, 0, me)).toBe(2);
    expect(unseenMentionsBelow(withMentions, 1, me)).toBe(1);
    expect(unseenMentionsBelow(withMentions, 5, me)).toBe(0);
  });
});
