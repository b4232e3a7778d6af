import type { ChatSummary, Message, MessageChange, NotifyLevel, Receipt } from '@shared';
import type { ChatMessage } from '../../timeline/state/chat-message';
import { withoutKey } from '../../session/state/without-key';

/** The user's chats as the server last summarised them, kept up to date by live events. */
export interface Chats {
  byId: Readonly<Record<string, ChatSummary>>;
  /** chatId → the newest seq in the server's last summary of the chat: its unread count covers up to there. */
  summarizedSeq: Readonly<Record<string, number>>;
}

export const NO_CHATS: Chats = { byId: {}, summarizedSeq: {} };

/** The user's chats, most recent activity first. */
export function chatsByActivity(chats: Chats): ChatSummary[] {
  return Object.values(chats.byId).sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
}

/** The direct chat with `userId`, if one is listed. */
export function directChatWith(chats: Chats, userId: string): ChatSummary | undefined {
  return Object.values(chats.byId).find((c) => c.kind === 'direct' && c.members.some((m) => m.userId === userId));
}

/** A summary from the server replaces what was known of the chat. */
export function upsertChat(chats: Chats, chat: ChatSummary): Chats {
  return {
    byId: { ...chats.byId, [chat.id]: chat },
    summarizedSeq: { ...chats.summarizedSeq, [chat.id]: chat.lastMessage?.seq ?? 0 },
  };
}

/** The server's full list replaces the known one. */
export function replaceChats(summaries: readonly ChatSummary[]): Chats {
  return {
    byId: Object.fromEntries(summaries.map((c) => [c.id, c])),
    summarizedSeq: Object.fromEntries(summaries.map((c) => [c.id, c.lastMessage?.seq ?? 0])),
  };
}

export function removeChat(chats: Chats, chatId: string): Chats {
  return { byId: withoutKey(chats.byId, chatId), summarizedSeq: withoutKey(chats.summarizedSeq, chatId) };
}

function updateChat(chats: Chats, chatId: string, change: (chat: ChatSummary) => ChatSummary): Chats {
  const chat = chats.byId[chatId];
  return chat ? { ...chats, byId: { ...chats.byId, [chatId]: change(chat) } } : chats;
}

/**
 * A new message reached the chat: it may become the last line, and one from someone else may
 * count as unread (and as an unread mention, when it mentions us). The server's last summary
 * counted everything up to its newest message, and nothing we have read is unread; a message
 * arriving out of order after a newer one still counts.
 */
export function touchChat(chats: Chats, message: Message, myId: string, countAsUnread: boolean): Chats {
  return updateChat(chats, message.chatId, (chat) => {
    const newest = !chat.lastMessage || chat.lastMessage.seq <= message.seq;
    const readSeq = chat.members.find((m) => m.userId === myId)?.readSeq ?? 0;
    const counted = message.seq <= Math.max(chats.summarizedSeq[chat.id] ?? 0, readSeq);
    return {
      ...chat,
      lastMessage: newest ? message : chat.lastMessage,
      lastActivityAt: message.createdAt > chat.lastActivityAt ? message.createdAt : chat.lastActivityAt,
      unreadCount: chat.unreadCount + (countAsUnread && !counted ? 1 : 0),
      unreadMentionCount: chat.unreadMentionCount + (countAsUnread && !counted && message.mentions.includes(myId) ? 1 : 0),
    };
  });
}

/** Our notification level of the chat changed (here or on another device). */
export function setNotifyLevel(chats: Chats, chatId: string, level: NotifyLevel): Chats {
  return chats.byId[chatId]?.notify === level ? chats : updateChat(chats, chatId, (chat) => ({ ...chat, notify: level }));
}

/**
 * One of our messages, not yet stored, moves the chat to the top. It does not become the chat's
 * last line (`lastMessage` holds stored messages only): the list shows it as pending from the
 * timeline (chatPreview), and one the server refuses never looks sent there.
 */
export function showPending(chats: Chats, pending: ChatMessage): Chats {
  return updateChat(chats, pending.chatId, (chat) =>
    pending.createdAt > chat.lastActivityAt ? { ...chat, lastActivityAt: pending.createdAt } : chat,
  );
}

/** A member received or read the chat up to a message; a read that moves their position brings its time. */
export function applyReceipt(chats: Chats, receipt: Receipt, myId: string): Chats {
  return updateChat(chats, receipt.chatId, (chat) => {
    const members = chat.members.map((m) =>
      m.userId !== receipt.userId
        ? m
        : {
            ...m,
            deliveredSeq: Math.max(m.deliveredSeq, receipt.seq),
            readSeq: receipt.status === 'read' ? Math.max(m.readSeq, receipt.seq) : m.readSeq,
            readAt: receipt.status === 'read' && receipt.seq > m.readSeq && receipt.readAt !== null ? receipt.readAt : m.readAt,
          },
    );
    const readEverything = receipt.userId === myId && receipt.status === 'read' && receipt.seq >= (chat.lastMessage?.seq ?? 0);
    return {
      ...chat,
      members,
      unreadCount: readEverything ? 0 : chat.unreadCount,
      unreadMentionCount: readEverything ? 0 : chat.unreadMentionCount,
    };
  });
}

/** Whether marking the chat read up to `seq` (with `unreadAfter` messages still unread after it) would change nothing. */
export function isReadUpTo(chat: ChatSummary, myId: string, seq: number, unreadAfter = 0): boolean {
  const mine = chat.members.find((m) => m.userId === myId);
  return !!mine && mine.readSeq >= seq && chat.unreadCount <= unreadAfter;
}

/**
 * We read the chat up to `seq` and have received all of it; `unreadAfter` messages from others
 * after it are still unread (none when `seq` is the newest), `mentionsAfter` of them mentioning us.
 */
export function markChatRead(chats: Chats, chatId: string, myId: string, seq: number, unreadAfter = 0, mentionsAfter = 0): Chats {
  return updateChat(chats, chatId, (chat) => ({
    ...chat,
    unreadCount: Math.min(chat.unreadCount, unreadAfter),
    unreadMentionCount: Math.min(chat.unreadMentionCount, mentionsAfter),
    members: chat.members.map((m) =>
      m.userId === myId ? { ...m, readSeq: Math.max(m.readSeq, seq), deliveredSeq: Math.max(m.deliveredSeq, seq) } : m,
    ),
  }));
}

/**
 * A message changed (edited, deleted, reacted to): the chat's last line follows it, and the
 * chat's change position moves up. A message from someone else deleted before we read it no
 * longer counts as unread, unless the summary's change position already covered its deletion.
 * `wasMentioned` (whether the state we held of the message mentioned us, when we held one):
 * an unread message that an edit or delete stopped mentioning us no longer counts as an unread
 * mention, and one an edit started mentioning us does.
 */
export function followChange(chats: Chats, change: MessageChange, myId: string, wasMentioned?: boolean): Chats {
  return updateChat(chats, change.chatId, (chat) => {
    const message = change.message;
    const last = chat.lastMessage;
    const isLast = last?.id === message.id && message.changeSeq > last.changeSeq;
    const readSeq = chat.members.find((m) => m.userId === myId)?.readSeq ?? 0;
    const unreadGone =
      change.kind === 'delete' &&
      change.changeSeq > chat.changeSeq &&
      message.kind === 'text' &&
      message.senderId !== null &&
      message.senderId !== myId &&
      message.seq > readSeq &&
      !(last?.id === message.id && last.deletedAt !== null);
    return {
      ...chat,
      lastMessage: isLast ? message : last,
      changeSeq: Math.max(chat.changeSeq, change.changeSeq),
      unreadCount: unreadGone ? Math.max(0, chat.unreadCount - 1) : chat.unreadCount,
      unreadMentionCount: Math.max(0, chat.unreadMentionCount + mentionDelta(chat, change, myId, readSeq, wasMentioned)),
    };
  });
}

/** How an unseen change of an unread message of someone else moves our unread mention count. */
function mentionDelta(chat: ChatSummary, change: MessageChange, myId: string, readSeq: number, wasMentioned: boolean | undefined): number {
  const message = change.message;
  if (wasMentioned === undefined || change.changeSeq <= chat.changeSeq) return 0;
  if (message.senderId === null || message.senderId === myId || message.seq <= readSeq) return 0;
  const mentioned = message.deletedAt === null && message.mentions.includes(myId);
  return mentioned === wasMentioned ? 0 : mentioned ? 1 : -1;
}
