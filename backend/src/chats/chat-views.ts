import type { ChatMember, ChatSummary, OpenedChat } from '../../../shared/src/schemas/chats.js';
import { DEFAULT_PAGE_SIZE } from '../../../shared/src/schemas/common.js';
import type { Message } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import { historyPage } from '../timeline/history-page.js';
import { messageViews } from '../timeline/message-view.js';
import type { ChatListEntry, MemberList, MemberRecord, Storage } from '../storage/storage.js';

export function toChatMember(member: MemberRecord): ChatMember {
  return {
    userId: member.userId,
    role: member.role,
    joinedAt: member.joinedAt,
    deliveredSeq: member.deliveredSeq,
    readSeq: member.readSeq,
    readAt: member.readAt,
  };
}

/**
 * One line of a user's chat list, with its last message's view (see lastMessageViews). The
 * password hash never leaves the server, only whether there is one. The unread counts and the
 * notification level are the entry's member's own: a summary is only ever sent to that member.
 */
export function toChatSummary(entry: ChatListEntry, members: MemberList, lastMessage: Message | null): ChatSummary {
  const { chat } = entry;
  return {
    id: chat.id,
    kind: chat.kind,
    name: chat.name,
    visibility: chat.visibility,
    hasPassword: chat.passwordHash !== null,
    createdAt: chat.createdAt,
    lastActivityAt: chat.lastActivityAt,
    members: members.map(toChatMember),
    lastMessage,
    unreadCount: entry.unreadCount,
    unreadMentionCount: entry.unreadMentionCount,
    notify: entry.membership.notify,
    changeSeq: chat.lastChangeSeq,
  };
}

/** The views of the entries' last messages, in entry order, read in one batch (reactions, quotes). */
export async function lastMessageViews(storage: Storage, entries: readonly ChatListEntry[]): Promise<Array<Message | null>> {
  // Members' entries of one chat share their last message: each is viewed once.
  const records = [...new Map(entries.flatMap((entry) => (entry.lastMessage ? [[entry.lastMessage.id, entry.lastMessage] as const] : []))).values()];
  const views = new Map((await messageViews(storage, records)).map((view) => [view.id, view]));
  return entries.map((entry) => (entry.lastMessage ? views.get(entry.lastMessage.id) ?? null : null));
}

/** The chat as this member sees it (their own unread count). @throws AppError not_found when they are not a member. */
export async function summaryFor(storage: Storage, chatId: string, userId: string): Promise<ChatSummary> {
  const [entry, members] = await Promise.all([storage.chats.entryForUser(chatId, userId), storage.members.list(chatId)]);
  if (!entry) throw new AppError('not_found', 'Chat not found');
  const [lastMessage] = await lastMessageViews(storage, [entry]);
  return toChatSummary(entry, members, lastMessage ?? null);
}

/** The chat as each of these members sees it; users who are not (or no longer) members are left out. */
export async function summariesFor(storage: Storage, chatId: string, userIds: readonly string[]): Promise<Map<string, ChatSummary>> {
  const members = await storage.members.list(chatId);
  const entries = new Map<string, ChatListEntry>();
  for (const userId of userIds) {
    const entry = await storage.chats.entryForUser(chatId, userId);
    if (entry) entries.set(userId, entry);
  }
  const lastMessages = await lastMessageViews(storage, [...entries.values()]);
  const summaries = new Map<string, ChatSummary>();
  let index = 0;
  for (const [userId, entry] of entries) summaries.set(userId, toChatSummary(entry, members, lastMessages[index++] ?? null));
  return summaries;
}

/** What a client needs to show a chat it just opened: the summary and the latest page of messages. */
export async function openedChatFor(storage: Storage, chatId: string, userId: string): Promise<OpenedChat> {
  const [chat, history] = await Promise.all([summaryFor(storage, chatId, userId), historyPage(storage, chatId, null, DEFAULT_PAGE_SIZE)]);
  return { chat, history };
}
