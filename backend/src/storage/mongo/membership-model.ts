import { Schema, type Connection, type Model } from 'mongoose';
import { MEMBER_ROLES } from '../../../../shared/src/schemas/chats.js';
import { NOTIFY_LEVELS } from '../../../../shared/src/schemas/mentions.js';
import { memberFields } from '../records/member.js';
import type { MemberRecord } from '../storage.js';

/**
 * A membership as stored in the `memberships` collection.
 *
 * Memberships live in their own collection rather than as an array inside the chat: the
 * per-member state (delivered and read positions, hidden) changes on nearly every message a
 * member receives or reads, and a user's chat list starts from "the memberships of this
 * user". Separate small documents keep those writes from rewriting (and contending on) one
 * growing chat document, and let an index on (userId, hidden) answer the list directly.
 *
 * `notify` (the member's notification level) is missing in documents stored before it existed
 * and reads as 'all'.
 *
 * `_id` is "<chatId>:<userId>", so adding the same member twice collides on the primary key
 * and an upsert of a membership is naturally idempotent.
 */
export interface MembershipDoc extends Omit<MemberRecord, 'notify'> {
  _id: string;
  notify?: MemberRecord['notify'];
}

const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, required: true, enum: MEMBER_ROLES },
    joinedAt: { type: String, required: true },
    deliveredSeq: { type: Number, required: true, default: 0 },
    readSeq: { type: Number, required: true, default: 0 },
    /** When readSeq last moved; documents stored before it existed have none (read as null). */
    readAt: { type: String, default: null },
    hidden: { type: Boolean, required: true, default: false },
    notify: { type: String, enum: NOTIFY_LEVELS },
  },
  { versionKey: false, id: false },
);

// The members of a chat (and the uniqueness of a member within it).
membershipSchema.index({ chatId: 1, userId: 1 }, { name: 'memberships_chatId_userId', unique: true });
// The chats of a user, visible ones first of all.
membershipSchema.index({ userId: 1, hidden: 1 }, { name: 'memberships_userId_hidden' });

export function membershipModel(connection: Connection): Model<MembershipDoc> {
  return connection.model<MembershipDoc>('Membership', membershipSchema, 'memberships');
}

export function membershipIdOf(chatId: string, userId: string): string {
  return `${chatId}:${userId}`;
}

export function memberToDoc(member: MemberRecord): MembershipDoc {
  return { _id: membershipIdOf(member.chatId, member.userId), ...memberFields(member) };
}

export function docToMember(doc: MembershipDoc): MemberRecord {
  return memberFields(doc);
}
