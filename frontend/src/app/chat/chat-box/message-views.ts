import type { UserWithPresence } from '@shared';
import type { SeenByEntry } from '../../chats/state/seen-by';
import type { MessageReceipts, TickState } from '../../chats/state/tick-state';
import { fullName } from '../../core/full-name';
import { mentionNameOf } from '../../mentions/state/mention-names';
import type { ChatMessage } from '../../timeline/state/chat-message';
import { clockTime, dayLabel, fullTime, isSameDay } from '../chat-time';
import { markdownText } from '../markdown';
import { noticeText } from '../notice-text';
import { tickLabel } from '../tick-label';
import { reactionViews, type ReactionView } from './reaction-views';

/** The message a reply answers, as its quote shows it. */
export interface QuoteView {
  messageId: string;
  senderName: string;
  preview: string;
  deleted: boolean;
}

/** A member who read one of our messages, as the "Seen by" list shows them. */
export interface ReaderView {
  userId: string;
  name: string;
  /** When their read position last moved, as a clock time and in full; null when not known. */
  time: string | null;
  fullTime: string | null;
  at: string | null;
}

/** One line of the message list, with everything the template needs worked out. */
export interface MessageView {
  message: ChatMessage;
  own: boolean;
  /** The text of a group notice (joined, left, renamed…). */
  notice: string | null;
  /** Who wrote it ("You" for ours): for the reply banner and the delete question. */
  authorName: string;
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
  /** "Seen" beside the ticks: on our newest message once the other person of a direct chat read it. */
  seen: boolean;
  /** In a direct chat, when the other person read up to here (clock time), if known. */
  seenAt: string | null;
  /** In a group, on our newest message once anyone read it: who did ("Seen by N" opens the list). */
  readers: { list: ReaderView[]; of: number } | null;
  /** When it was last edited, in full; null if never. */
  edited: string | null;
  /** "Message deleted" (by its sender) or "Message deleted by an admin"; null while it stands. */
  deletedText: string | null;
  quote: QuoteView | null;
  reactions: ReactionView[];
  /** What the user may do with it: stored text messages only, not yet deleted. */
  canReact: boolean;
  canEdit: boolean;
  canDelete: boolean;
}

export interface ViewContext {
  myId: string;
  group: boolean;
  /** The user is an admin of this group: they may delete anyone's message. */
  admin: boolean;
  userById: (id: string) => UserWithPresence | undefined;
  receiptsOf: (message: ChatMessage) => MessageReceipts;
  /** The members who read the message, earliest first. */
  seenBy: (message: ChatMessage) => SeenByEntry[];
}

/**
 * The lines of a chat: day dividers, notices, sender names in groups, and ticks on our own; on
 * the newest of our own, "Seen" (with the time) in a direct chat, "Seen by N" in a group.
 */
export function messageViews(list: readonly ChatMessage[], context: ViewContext): MessageView[] {
  const { myId, group, userById, receiptsOf } = context;
  const nameOf = (id: string | null | undefined) => {
    if (!id) return 'Someone';
    if (id === myId) return 'You';
    const user = userById(id);
    return user ? fullName(user) : 'Someone';
  };
  let lastOwn = -1;
  const views = list.map((message, index): MessageView => {
    const previous = index > 0 ? list[index - 1] : undefined;
    const own = message.senderId === myId && message.kind === 'text';
    const deleted = message.deletedAt !== null;
    if (own && !deleted) lastOwn = index;
    const receipts = own && !deleted ? receiptsOf(message) : null;
    const newDay = !previous || !isSameDay(previous.createdAt, message.createdAt);
    const startsRun = !previous || newDay || previous.kind === 'notice' || previous.senderId !== message.senderId;
    const actionable = message.kind === 'text' && !message.local && !deleted;
    return {
      message,
      own,
      notice: message.kind === 'notice' && message.notice ? noticeText(message.notice, nameOf) : null,
      authorName: nameOf(message.senderId),
      senderName: group && !own && message.kind === 'text' && startsRun ? nameOf(message.senderId) : null,
      day: newDay ? dayLabel(message.createdAt) : null,
      time: clockTime(message.createdAt),
      fullTime: fullTime(message.createdAt),
      tick: receipts?.state ?? null,
      tickLabel: receipts ? tickLabel(receipts, group) : null,
      seen: false,
      seenAt: null,
      readers: null,
      edited: message.editedAt && !deleted ? fullTime(message.editedAt) : null,
      deletedText: deleted ? (message.deletedBy === 'admin' ? 'Message deleted by an admin' : 'Message deleted') : null,
      quote: message.replyTo && !deleted
        ? {
            messageId: message.replyTo.messageId,
            senderName: nameOf(message.replyTo.senderId),
            preview: markdownText(message.replyTo.preview, mentionNameOf(userById)),
            deleted: message.replyTo.deleted,
          }
        : null,
      reactions: deleted ? [] : reactionViews(message, myId, nameOf),
      canReact: actionable,
      canEdit: actionable && own,
      canDelete: actionable && (own || (group && context.admin)),
    };
  });
  const newestOwn = views[lastOwn];
  if (!newestOwn || newestOwn.message.local) return views;
  const readers = context.seenBy(newestOwn.message);
  if (group && readers.length > 0) {
    views[lastOwn] = {
      ...newestOwn,
      readers: {
        list: readers.map(({ userId, readAt }) => ({
          userId,
          name: nameOf(userId),
          time: readAt ? clockTime(readAt) : null,
          fullTime: readAt ? fullTime(readAt) : null,
          at: readAt,
        })),
        of: receiptsOf(newestOwn.message).others,
      },
    };
  } else if (!group && newestOwn.tick === 'read') {
    const readAt = readers[0]?.readAt ?? null;
    views[lastOwn] = { ...newestOwn, seen: true, seenAt: readAt ? clockTime(readAt) : null };
  }
  return views;
}
