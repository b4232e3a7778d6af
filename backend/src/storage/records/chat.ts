/** The chat records both adapters store when a direct chat is opened or a group created. */
import type { MemberRole } from '../../../../shared/src/schemas/chats.js';
import { newId } from '../ids.js';
import { legacyVisibility, type ChatRecord, type MemberRecord, type NewGroup } from '../storage.js';
import { newMember } from './member.js';

/** The two user ids sorted and joined by ':', the same whichever of them asks. */
export function directKeyOf(userA: string, userB: string): string {
  return [userA, userB].sort().join(':');
}

/** The direct chat of two users (its members are the two, as plain members: see newMember). */
export function newDirectChat(userA: string, userB: string, now: string): ChatRecord {
  return newChat({ kind: 'direct', name: null, visibility: 'private', passwordHash: null, directKey: directKeyOf(userA, userB) }, now);
}

/**
 * A group with its members: the creator as admin, every other id once as a member. Without a
 * visibility, the rule for chats stored before visibility existed decides (legacyVisibility).
 */
export function newGroupChat(group: NewGroup, now: string): { chat: ChatRecord; members: MemberRecord[] } {
  const visibility = group.visibility ?? legacyVisibility({ kind: 'group', passwordHash: group.passwordHash });
  const chat = newChat({ kind: 'group', name: group.name, visibility, passwordHash: group.passwordHash, directKey: null }, now);
  const otherIds = new Set(group.memberIds.filter((id) => id !== group.creatorId));
  const role = (userId: string): MemberRole => (userId === group.creatorId ? 'admin' : 'member');
  const members = [group.creatorId, ...otherIds].map((userId) => newMember(chat.id, userId, role(userId), now));
  return { chat, members };
}

function newChat(fields: Pick<ChatRecord, 'kind' | 'name' | 'visibility' | 'passwordHash' | 'directKey'>, now: string): ChatRecord {
  return { id: newId(), ...fields, lastSeq: 0, lastChangeSeq: 0, createdAt: now, lastActivityAt: now };
}
