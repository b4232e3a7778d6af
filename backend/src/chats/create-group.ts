import type { ChatSummary, CreateGroupRequest } from '../../../shared/src/schemas/chats.js';
import { AppError } from '../app-error.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { announceNewChat } from './chat-announcements.js';
import { summaryFor } from './chat-views.js';
import { assertGroupSize, requireActiveUsers } from './group-members.js';
import { postNotice } from './post-notice.js';
import type { RoomPasswords } from './room-passwords.js';

type Deps = { storage: Storage; live: LiveUpdates; roomPasswords: RoomPasswords; limits: { maxGroupMembers: number } };

/**
 * Creates a group with the actor as its admin and the chosen users as members. It is private
 * unless `visibility: 'public'` asks for a room: a private group is seen only by its members and
 * the people its admins add; a public room is listed by search and anyone signed in may join it,
 * optionally only with a room password (kept only as a bcrypt hash; refused on a private group,
 * where nobody could use it). Every member's connected sockets join the group's room at once
 * and get `chat:created`; the timeline opens with a `created` notice.
 */
export async function createGroup(deps: Deps, actor: Actor, request: CreateGroupRequest): Promise<{ chat: ChatSummary }> {
  const { storage } = deps;
  const visibility = request.visibility ?? 'private';
  if (request.password !== undefined && visibility !== 'public') {
    throw new AppError('validation_failed', 'Only a public room can have a password: add visibility "public" or leave the password out', {
      password: 'is only allowed on a public room (visibility "public")',
    });
  }
  const otherIds = (await requireActiveUsers(storage, request.memberIds, 'memberIds')).filter((id) => id !== actor.userId);
  assertGroupSize(1 + otherIds.length, deps.limits.maxGroupMembers);
  const passwordHash = request.password === undefined ? null : await deps.roomPasswords.hash(request.password);

  const chat = await storage.chats.createGroup({ name: request.name, visibility, passwordHash, creatorId: actor.userId, memberIds: otherIds });
  await postNotice(deps, chat.id, { type: 'created', actorId: actor.userId, name: request.name });

  await announceNewChat(deps, chat.id, [actor.userId, ...otherIds], notBackTo(actor));
  return { chat: await summaryFor(storage, chat.id, actor.userId) };
}
