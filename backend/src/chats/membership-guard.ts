import { AppError } from '../app-error.js';
import type { ChatRecord, MemberRecord, Storage } from '../storage/storage.js';

export interface Membership {
  chat: ChatRecord;
  member: MemberRecord;
}

/**
 * The chat and the user's membership in it.
 *
 * A user who is not a member gets exactly the answer a missing chat gets (`not_found`,
 * "Chat not found"), for direct chats and groups alike: the answer never tells an outsider
 * that a chat exists. Public groups (rooms) can still be found on purpose through
 * `group:search`, which shows only their name and size; private groups never can.
 */
export async function requireMember(storage: Storage, chatId: string, userId: string): Promise<Membership> {
  const [chat, member] = await Promise.all([storage.chats.byId(chatId), storage.members.get(chatId, userId)]);
  if (!chat || !member) throw new AppError('not_found', 'Chat not found');
  return { chat, member };
}

/** As requireMember, for a group. A direct chat is refused with `forbidden` and `directMessage`. */
export async function requireGroupMember(storage: Storage, chatId: string, userId: string, directMessage: string): Promise<Membership> {
  const membership = await requireMember(storage, chatId, userId);
  if (membership.chat.kind !== 'group') throw new AppError('forbidden', directMessage);
  return membership;
}
