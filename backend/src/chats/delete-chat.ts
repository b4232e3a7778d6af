import type { ChatRef } from '../../../shared/src/schemas/chats.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { announceChatGone } from './chat-announcements.js';
import { leaveGroup } from './leave-group.js';
import { requireMember } from './membership-guard.js';

/**
 * Deletes a chat from the actor's list. A direct chat is only hidden, for the actor alone:
 * it comes back with the next message, history intact. Deleting a group means leaving it.
 */
export async function deleteChat(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: ChatRef): Promise<null> {
  const { chat } = await requireMember(deps.storage, request.chatId, actor.userId);
  if (chat.kind === 'group') return leaveGroup(deps, actor, request);

  await deps.storage.members.update(chat.id, actor.userId, { hidden: true });
  announceChatGone(deps, chat.id, [actor.userId], notBackTo(actor));
  return null;
}
