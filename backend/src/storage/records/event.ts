/** The webhook events that writes of messages and memberships log (both adapters). */
import type { MessageChangeInput, MessageRecord, NewEvent } from '../storage.js';

/**
 * A stored message: `message.created`, and `user.mentioned` for each user it mentions. Notices
 * (joins, renames) are not messages a host hears about; members joining and leaving are their own events.
 */
export function eventsOfNewMessage(message: MessageRecord): NewEvent[] {
  if (message.kind === 'notice') return [];
  const base = { chatId: message.chatId, messageId: message.id };
  return [
    { ...base, id: `evt_created_${message.id}`, type: 'message.created', userId: null },
    ...message.mentions.map((userId): NewEvent => ({ ...base, id: `evt_mention_${message.id}_${userId}`, type: 'user.mentioned', userId })),
  ];
}

/** An edit or a delete that changed the message (its change position makes the id); reactions are no webhook event. */
export function eventOfChange(chatId: string, change: MessageChangeInput, changeSeq: number): NewEvent | null {
  if (change.kind === 'react') return null;
  const type = change.kind === 'edit' ? 'message.edited' : 'message.deleted';
  return { id: `evt_change_${chatId}_${changeSeq}`, type, chatId, messageId: change.messageId, userId: null };
}

/** A membership that began or ended; `at` (with the member) makes the id, since a user may join and leave many times. */
export function eventOfMembership(type: 'member.joined' | 'member.left', chatId: string, userId: string, uniqueTag: string): NewEvent {
  const verb = type === 'member.joined' ? 'joined' : 'left';
  return { id: `evt_${verb}_${chatId}_${userId}_${uniqueTag}`, type, chatId, messageId: null, userId };
}
