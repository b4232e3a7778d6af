import { AppError } from '../app-error.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import type { ChatRef } from '../../../shared/src/schemas/chats.js';
import type { Storage } from '../storage/storage.js';
import { announceChatChange, announceChatGone } from './chat-announcements.js';
import { requireGroupMember } from './membership-guard.js';
import { postNotice } from './post-notice.js';

/**
 * Leaves a group. The last admin of a group that still has other members must first make
 * someone else an admin (`conflict`); the last member may always leave.
 * The remaining members see a `left` notice and get `chat:updated`; the leaver's other tabs get `chat:removed`.
 */
export async function leaveGroup(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: ChatRef): Promise<null> {
  const { storage } = deps;
  const { chat, member } = await requireGroupMember(storage, request.chatId, actor.userId, 'A direct chat cannot be left; delete it instead');
  const members = await storage.members.list(chat.id);
  const others = members.filter((m) => m.userId !== actor.userId);
  if (member.role === 'admin' && others.length > 0 && !others.some((m) => m.role === 'admin')) {
    throw new AppError('conflict', 'You are the last admin of this group: make another member an admin before leaving');
  }

  await storage.members.remove(chat.id, actor.userId);
  announceChatGone(deps, chat.id, [actor.userId], notBackTo(actor));
  if (others.length > 0) {
    await postNotice(deps, chat.id, { type: 'left', actorId: actor.userId });
    await announceChatChange(deps, chat.id, others.map((m) => m.userId));
  }
  return null;
}
