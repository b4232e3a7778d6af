import type { OpenedChat, JoinGroupRequest } from '../../../shared/src/schemas/chats.js';
import { AppError } from '../app-error.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import { ConflictError } from '../storage/errors.js';
import type { Storage } from '../storage/storage.js';
import { announceChatChange, announceNewChat } from './chat-announcements.js';
import { openedChatFor } from './chat-views.js';
import { assertGroupSize } from './group-members.js';
import { postNotice } from './post-notice.js';
import type { RoomPasswords } from './room-passwords.js';

type Deps = { storage: Storage; live: LiveUpdates; roomPasswords: RoomPasswords; limits: { maxGroupMembers: number } };

/**
 * Joins a public group (a room) found through search. A room without a password is open to
 * anyone signed in; one with a password needs it, and wrong guesses are throttled per user and
 * group. Joining a group one is already in just opens it.
 *
 * A private group is joined only by being added by an admin: to anyone else it answers exactly
 * as a chat that does not exist (`not_found`, "Chat not found"), before any password is looked at.
 */
export async function joinGroup(deps: Deps, actor: Actor, request: JoinGroupRequest): Promise<OpenedChat> {
  const { storage } = deps;
  const chat = await storage.chats.byId(request.chatId);
  if (!chat || chat.kind !== 'group') throw new AppError('not_found', 'Chat not found');
  if (await storage.members.get(chat.id, actor.userId)) return openedChatFor(storage, chat.id, actor.userId);
  if (chat.visibility !== 'public') throw new AppError('not_found', 'Chat not found');

  if (chat.passwordHash !== null) await deps.roomPasswords.check(actor.userId, chat.id, chat.passwordHash, request.password);
  const members = await storage.members.list(chat.id);
  assertGroupSize(members.length + 1, deps.limits.maxGroupMembers);

  try {
    // A room everyone left has no admin: whoever joins it first takes it over.
    await storage.members.add(chat.id, actor.userId, members.length === 0 ? 'admin' : 'member');
  } catch (error) {
    // Joined from another tab in the meantime: the outcome is the same.
    if (error instanceof ConflictError) return openedChatFor(storage, chat.id, actor.userId);
    throw error;
  }
  await postNotice(deps, chat.id, { type: 'joined', actorId: actor.userId });
  await announceNewChat(deps, chat.id, [actor.userId], notBackTo(actor));
  await announceChatChange(deps, chat.id, members.map((m) => m.userId));
  return openedChatFor(storage, chat.id, actor.userId);
}
