/** The membership record both adapters store. */
import type { MemberRole } from '../../../../shared/src/schemas/chats.js';
import type { MemberRecord } from '../storage.js';

/** A member who joined `now` and has neither received nor read anything yet, and sees the chat. */
export function newMember(chatId: string, userId: string, role: MemberRole, now: string): MemberRecord {
  return { chatId, userId, role, joinedAt: now, deliveredSeq: 0, readSeq: 0, readAt: null, hidden: false, notify: 'all' };
}

/**
 * The fields of a MemberRecord, copied from anything that has them (a stored document, a kept
 * record). A MongoDB membership stored before notification levels existed has no `notify`: 'all'.
 */
export function memberFields(member: Readonly<Omit<MemberRecord, 'notify'> & { notify?: MemberRecord['notify'] }>): MemberRecord {
  return {
    chatId: member.chatId,
    userId: member.userId,
    role: member.role,
    joinedAt: member.joinedAt,
    deliveredSeq: member.deliveredSeq,
    readSeq: member.readSeq,
    // Documents stored before readAt existed have no field.
    readAt: member.readAt ?? null,
    hidden: member.hidden,
    notify: member.notify ?? 'all',
  };
}
