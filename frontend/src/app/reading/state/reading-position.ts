import type { ChatMessage } from '../../timeline/state/chat-message';

/**
 * Where a reader is in one open chat: what is unread, what has been on screen, where the
 * "New messages" line goes. Pure functions over the chat's held messages (oldest first).
 */

/** A message that counts as unread for `myId` when it lies past their read position: someone else's, stored, not deleted. */
export function countsAsUnread(message: ChatMessage, myId: string): boolean {
  return !message.local && message.seq > 0 && message.senderId !== myId && message.deletedAt === null;
}

/** The first message after `readSeq` that is unread for `myId`, or null when there is none. */
export function firstUnread(list: readonly ChatMessage[], readSeq: number, myId: string): ChatMessage | null {
  return list.find((message) => message.seq > readSeq && countsAsUnread(message, myId)) ?? null;
}

/** Whether the held messages reach back to the first unread one (or nothing older can be loaded). */
export function holdsFirstUnread(list: readonly ChatMessage[], readSeq: number, hasMore: boolean): boolean {
  if (!hasMore) return true;
  const oldest = list.find((message) => !message.local && message.seq > 0);
  return !oldest || oldest.seq <= readSeq + 1;
}

/**
 * How many messages to ask for, just before the oldest held one, to reach back to the first
 * unread (one more for the line above it to read in context); at most `max`.
 */
export function pageBackTo(oldestHeldSeq: number, readSeq: number, max: number): number {
  return Math.max(1, Math.min(max, oldestHeldSeq - readSeq));
}

/**
 * Where the "New messages" line sits while the chat is open: the message id it stands above, or
 * null for none. Once placed it stays put. A chat opened with unread messages places it at the
 * first of them; one opened with none places it at the first message from someone else that
 * arrives while the reader is not looking at the newest messages (scrolled up, or away).
 */
export interface UnreadLine {
  messageId: string | null;
}

export const NO_UNREAD_LINE: UnreadLine = { messageId: null };

/** The chat was opened (its messages loaded) with the reader's read position at `readSeq`. */
export function unreadLineAtOpen(list: readonly ChatMessage[], readSeq: number, myId: string): UnreadLine {
  return { messageId: firstUnread(list, readSeq, myId)?.id ?? null };
}

/** A message arrived while the chat is open; `watching`: the reader sees the newest messages right now. */
export function unreadLineOnArrival(line: UnreadLine, message: ChatMessage, myId: string, watching: boolean): UnreadLine {
  if (line.messageId !== null || watching || !countsAsUnread(message, myId)) return line;
  return { messageId: message.id };
}

/** The newest stored message among those on screen (by id), or null. */
export function newestOnScreen(list: readonly ChatMessage[], onScreen: ReadonlySet<string>): ChatMessage | null {
  for (let index = list.length - 1; index >= 0; index -= 1) {
    const message = list[index]!;
    if (!message.local && message.seq > 0 && onScreen.has(message.id)) return message;
  }
  return null;
}

/** Messages from others below what the reader has seen (`seenSeq`): the "↓ N new" count. */
export function unseenBelow(list: readonly ChatMessage[], seenSeq: number, myId: string): number {
  return list.filter((message) => message.seq > seenSeq && countsAsUnread(message, myId)).length;
}

/** How many of those (`unseenBelow`) mention the reader. */
export function unseenMentionsBelow(list: readonly ChatMessage[], seenSeq: number, myId: string): number {
  return list.filter((message) => message.seq > seenSeq && countsAsUnread(message, myId) && message.mentions.includes(myId)).length;
}
