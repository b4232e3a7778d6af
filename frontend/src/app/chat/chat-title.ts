import type { ChatSummary, UserWithPresence } from '@shared';
import { fullName } from '../core/full-name';

/** The other person in a direct chat (undefined for groups or when they are unknown). */
export function directPartner(
  chat: ChatSummary,
  myId: string | undefined,
  userById: (id: string) => UserWithPresence | undefined,
): UserWithPresence | undefined {
  if (chat.kind !== 'direct') return undefined;
  const other = chat.members.find((m) => m.userId !== myId) ?? chat.members[0];
  return other ? userById(other.userId) : undefined;
}

/** What a chat is called: the group's name, or the other person's name. */
export function chatTitle(
  chat: ChatSummary,
  myId: string | undefined,
  userById: (id: string) => UserWithPresence | undefined,
): string {
  if (chat.kind === 'group') return chat.name ?? 'Group';
  const partner = directPartner(chat, myId, userById);
  return partner ? fullName(partner) : 'Direct chat';
}
