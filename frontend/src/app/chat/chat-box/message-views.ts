import type { UserWithPresence } from '@shared';
import type { MessageReceipts, TickState } from '../../chats/state/tick-state';
import { fullName } from '../../core/full-name';
import type { ChatMessage } from '../../timeline/state/chat-message';
import { clockTime, dayLabel, fullTime, isSameDay } from '../chat-time';
import { noticeText } from '../notice-text';
import { tickLabel } from '../tick-label';

/** One line of the message list, with everything the template needs worked out. */
export interface MessageView {
  message: ChatMessage;
  own: boolean;
  /** The text of a group notice (joined, left, renamed…). */
  notice: string | null;
  /** The sender's name above the first of a run of messages in a group. */
  senderName: string | null;
  /** A day divider above the message. */
  day: string | null;
  time: string;
  /** The date and time in full, for the time's tooltip. */
  fullTime: string;
  tick: TickState | null;
  /** The ticks in words; in a group, how many members have the message. */
  tickLabel: string | null;
  seen: boolean;
}

export interface ViewContext {
  myId: string;
  group: boolean;
  userById: (id: string) => UserWithPresence | undefined;
  receiptsOf: (message: ChatMessage) => MessageReceipts;
}

/** The lines of a chat: day dividers, notices, sender names in groups, and ticks on our own; "seen" under the newest one read. */
export function messageViews(list: readonly ChatMessage[], { myId, group, userById, receiptsOf }: ViewContext): MessageView[] {
  const nameOf = (id: string | undefined) => {
    if (!id) return 'Someone';
    if (id === myId) return 'You';
    const user = userById(id);
    return user ? fullName(user) : 'Someone';
  };
  let lastOwn = -1;
  const views = list.map((message, index): MessageView => {
    const previous = index > 0 ? list[index - 1] : undefined;
    const own = message.senderId === myId && message.kind === 'text';
    if (own) lastOwn = index;
    const receipts = own ? receiptsOf(message) : null;
    const newDay = !previous || !isSameDay(previous.createdAt, message.createdAt);
    const startsRun = !previous || newDay || previous.kind === 'notice' || previous.senderId !== message.senderId;
    return {
      message,
      own,
      notice: message.kind === 'notice' && message.notice ? noticeText(message.notice, nameOf) : null,
      senderName: group && !own && message.kind === 'text' && startsRun ? nameOf(message.senderId ?? undefined) : null,
      day: newDay ? dayLabel(message.createdAt) : null,
      time: clockTime(message.createdAt),
      fullTime: fullTime(message.createdAt),
      tick: receipts?.state ?? null,
      tickLabel: receipts ? tickLabel(receipts, group) : null,
      seen: false,
    };
  });
  const newestOwn = views[lastOwn];
  if (newestOwn && newestOwn.tick === 'read') views[lastOwn] = { ...newestOwn, seen: true };
  return views;
}
