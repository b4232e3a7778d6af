import { aChat } from '../../core/testing/chat-fixtures';
import { badgeText, chatBadge, tabTitle, totalBadge } from './badges';

describe('badges', () => {
  const chat = (notify: 'all' | 'mentions' | 'muted', unreadCount: number, unreadMentionCount: number, id = 'c') =>
    aChat(id, ['me', 'you'], { notify, unreadCount, unreadMentionCount });

  it('badges every unread message with all, only mentions with mentions only, nothing when muted', () => {
    expect(chatBadge(chat('all', 5, 2))).toEqual({ count: 5, mentions: 2 });
    expect(chatBadge(chat('mentions', 5, 2))).toEqual({ count: 2, mentions: 2 });
    expect(chatBadge(chat('mentions', 5, 0))).toEqual({ count: 0, mentions: 0 });
    expect(chatBadge(chat('muted', 5, 2))).toEqual({ count: 0, mentions: 0 });
  });

  it('adds the chats up for the title and favicon, leaving muted chats out', () => {
    const total = totalBadge([chat('all', 3, 0, 'a'), chat('mentions', 4, 1, 'b'), chat('muted', 9, 9, 'c')]);
    expect(total).toEqual({ count: 4, mentions: 1 });
    expect(tabTitle(total)).toBe('(4 · @1) Parley');
    expect(tabTitle({ count: 3, mentions: 0 })).toBe('(3) Parley');
    expect(tabTitle({ count: 0, mentions: 0 })).toBe('Parley');
    expect(tabTitle(totalBadge([chat('muted', 2, 1)]))).toBe('Parley');
  });

  it('caps the text at 99+', () => {
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});
