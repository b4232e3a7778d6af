import type { ChatSummary, Message } from '@shared';

/** Why a message is worth a notification. */
export type NotifyReason = 'direct' | 'mention';

/** Where the user is looking when a message arrives. */
export interface Attention {
  /** The tab is hidden (another tab, minimised). */
  hidden: boolean;
  /** The chats whose boxes are open on screen. */
  openChatIds: readonly string[];
}

/**
 * Whether someone else's new message gets a browser notification, and why: a direct message, or
 * a mention of us. Never our own messages, notices or deleted messages; never a muted chat; in a
 * chat set to mentions only, only mentions. Only while the tab is hidden or that chat is not open.
 */
export function notifyReason(message: Message, chat: ChatSummary | undefined, myId: string, attention: Attention): NotifyReason | null {
  if (!chat || message.kind !== 'text' || message.deletedAt !== null) return null;
  if (message.senderId === null || message.senderId === myId) return null;
  if (chat.notify === 'muted') return null;
  if (!attention.hidden && attention.openChatIds.includes(chat.id)) return null;
  const mentioned = message.mentions.includes(myId);
  if (mentioned) return 'mention';
  if (chat.notify === 'all' && chat.kind === 'direct') return 'direct';
  return null;
}
