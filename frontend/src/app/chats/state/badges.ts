import type { ChatSummary } from '@shared';

/** What a chat shows in the list: an unread count, and whether some of it mentions us ("@"). */
export interface ChatBadge {
  count: number;
  mentions: number;
}

/**
 * The badge of a chat by our notification level: every unread message (`all`), only unread
 * mentions (`mentions`), or nothing (`muted`).
 */
export function chatBadge(chat: Pick<ChatSummary, 'unreadCount' | 'unreadMentionCount' | 'notify'>): ChatBadge {
  switch (chat.notify) {
    case 'muted':
      return { count: 0, mentions: 0 };
    case 'mentions':
      return { count: chat.unreadMentionCount, mentions: chat.unreadMentionCount };
    case 'all':
      return { count: chat.unreadCount, mentions: chat.unreadMentionCount };
  }
}

/** The badges of all chats added up: what the tab title, the favicon and the header show. */
export function totalBadge(chats: readonly ChatSummary[]): ChatBadge {
  let count = 0;
  let mentions = 0;
  for (const chat of chats) {
    const badge = chatBadge(chat);
    count += badge.count;
    mentions += badge.mentions;
  }
  return { count, mentions };
}

/** "Parley", "(3) Parley", or with unread mentions "(3 · @1) Parley". */
export function tabTitle(badge: ChatBadge, base = 'Parley'): string {
  if (badge.count === 0) return base;
  return badge.mentions > 0 ? `(${badge.count} · @${badge.mentions}) ${base}` : `(${badge.count}) ${base}`;
}

/** What a small badge shows: up to 99, then "99+". */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}
