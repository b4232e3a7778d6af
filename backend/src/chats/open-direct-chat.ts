import type { OpenedChat, OpenDirectRequest } from '../../../shared/src/schemas/chats.js';
import { AppError } from '../app-error.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { openedChatFor } from './chat-views.js';

/**
 * Opens the one direct chat between the actor and another user, creating it on first use.
 * The storage guarantees a single chat per pair even when both open it at the same moment.
 *
 * The other user does not hear about a new chat yet: it stays hidden from their list until the
 * first message arrives (send-message then announces it with `chat:created`). Opening a chat the
 * actor had deleted brings it back into their own list.
 */
export async function openDirectChat(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: OpenDirectRequest): Promise<OpenedChat> {
  const { storage, live } = deps;
  if (request.userId === actor.userId) {
    throw new AppError('validation_failed', 'You cannot open a chat with yourself', { userId: 'is yourself' });
  }
  const other = await storage.users.byId(request.userId);
  if (!other || other.status !== 'active') throw new AppError('not_found', 'User not found');

  const { chat, created } = await storage.chats.openDirect(actor.userId, other.id);
  if (created) {
    await storage.members.update(chat.id, other.id, { hidden: true });
  } else {
    const mine = await storage.members.get(chat.id, actor.userId);
    if (mine?.hidden) await storage.members.update(chat.id, actor.userId, { hidden: false });
  }
  live.joinChat([actor.userId], chat.id);
  return openedChatFor(storage, chat.id, actor.userId);
}
