import type { ChatSummary, ChatVisibility, MemberRole, UpdateGroupRequest } from '../../../shared/src/schemas/chats.js';
import type { Notice } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import { ConflictError, NotFoundError } from '../storage/errors.js';
import type { ChatRecord, MemberList, Storage } from '../storage/storage.js';
import { announceChatChange, announceChatGone, announceNewChat } from './chat-announcements.js';
import { summaryFor } from './chat-views.js';
import { assertGroupSize, requireActiveUsers } from './group-members.js';
import { requireGroupMember } from './membership-guard.js';
import { postNotice } from './post-notice.js';
import type { RoomPasswords } from './room-passwords.js';

type Deps = { storage: Storage; live: LiveUpdates; roomPasswords: RoomPasswords; limits: { maxGroupMembers: number } };

/** Who joins, leaves, gains or loses the admin role: only real changes, after every rule was checked. */
interface MembershipPlan {
  add: string[];
  remove: string[];
  promote: string[];
  demote: string[];
}

/**
 * Changes a group: its name, its visibility, its password (set, change, or remove with null),
 * its members and their roles. Only admins may do it. The group always keeps an admin: a change
 * that would leave it without one is refused with `conflict`. Only a public group can have a
 * password, so making a group private with a password needs `password: null` in the same change.
 * Every change is stored first and appears in the timeline as a notice (a switch of visibility
 * as `made_public` / `made_private`, so every member learns who can now find the group and read
 * its history); added members get the chat, removed ones lose it, the rest get `chat:updated`.
 */
export async function updateGroup(deps: Deps, actor: Actor, request: UpdateGroupRequest): Promise<{ chat: ChatSummary }> {
  const { storage } = deps;
  const { chat, member } = await requireGroupMember(storage, request.chatId, actor.userId, 'A direct chat has no settings to change');
  if (member.role !== 'admin') throw new AppError('forbidden', 'Only group admins can change the group');

  const visibility = request.visibility !== undefined && request.visibility !== chat.visibility ? request.visibility : undefined;
  assertPasswordFits(chat, request, visibility ?? chat.visibility);
  const members = await storage.members.list(chat.id);
  const plan = await planMembership(deps, actor, members, request);
  const rename = request.name !== undefined && request.name !== chat.name ? request.name : undefined;
  const passwordHash =
    request.password === undefined ? undefined : request.password === null ? null : await deps.roomPasswords.hash(request.password);

  if (rename !== undefined || passwordHash !== undefined || visibility !== undefined) {
    await storage.chats.update(chat.id, {
      ...(rename !== undefined && { name: rename }),
      ...(passwordHash !== undefined && { passwordHash }),
      ...(visibility !== undefined && { visibility }),
    });
  }
  for (const userId of plan.add) await addMember(storage, chat.id, userId);
  for (const userId of plan.promote) await storage.members.update(chat.id, userId, { role: 'admin' });
  for (const userId of plan.demote) await storage.members.update(chat.id, userId, { role: 'member' });
  for (const userId of plan.remove) await removeMember(storage, chat.id, userId);

  announceChatGone(deps, chat.id, plan.remove);
  for (const notice of noticesFor(actor.userId, rename, visibility, plan)) await postNotice(deps, chat.id, notice);
  await announceNewChat(deps, chat.id, plan.add);
  const stayed = members.map((m) => m.userId).filter((id) => !plan.remove.includes(id));
  await announceChatChange(deps, chat.id, stayed, notBackTo(actor));
  return { chat: await summaryFor(storage, chat.id, actor.userId) };
}

/** @throws AppError validation_failed when the group would end up private with a password: nobody could ever use it. */
function assertPasswordFits(chat: ChatRecord, request: UpdateGroupRequest, visibility: ChatVisibility): void {
  if (visibility === 'public') return;
  if (typeof request.password === 'string') {
    throw new AppError('validation_failed', 'Only a public room can have a password: make the group public in the same change', {
      password: 'is only allowed on a public room (visibility "public")',
    });
  }
  if (request.password === undefined && chat.passwordHash !== null) {
    throw new AppError('validation_failed', 'A private group cannot keep a password: remove it (password: null) in the same change', {
      visibility: 'private needs the password removed too (password: null)',
    });
  }
}

async function planMembership(deps: Deps, actor: Actor, members: MemberList, request: UpdateGroupRequest): Promise<MembershipPlan> {
  const roles = new Map<string, MemberRole>(members.map((m) => [m.userId, m.role]));
  const unique = (ids: string[] | undefined) => [...new Set(ids ?? [])];
  const removeIds = unique(request.removeMemberIds);
  const promoteIds = unique(request.promoteIds);
  const demoteIds = unique(request.demoteIds);

  if (removeIds.includes(actor.userId)) {
    throw new AppError('validation_failed', 'To leave the group use group:leave', { removeMemberIds: 'must not contain yourself' });
  }
  const addIds = unique(request.addMemberIds);
  const both = (a: string[], b: string[]) => a.some((id) => b.includes(id));
  if (both(addIds, removeIds)) throw new AppError('validation_failed', 'A user cannot be added and removed at once');
  if (both(promoteIds, demoteIds)) throw new AppError('validation_failed', 'A user cannot be promoted and demoted at once');

  const add = await requireActiveUsers(deps.storage, addIds.filter((id) => !roles.has(id)), 'addMemberIds');
  const remove = removeIds.filter((id) => roles.has(id));
  const willBeMember = (id: string) => (roles.has(id) || add.includes(id)) && !remove.includes(id);
  const notMembers = [...promoteIds, ...demoteIds].filter((id) => !willBeMember(id));
  if (notMembers.length > 0) {
    throw new AppError('validation_failed', 'Only members can be promoted or demoted', {
      [promoteIds.includes(notMembers[0]!) ? 'promoteIds' : 'demoteIds']: 'contains users who are not members',
    });
  }
  const promote = promoteIds.filter((id) => roles.get(id) !== 'admin');
  const demote = demoteIds.filter((id) => roles.get(id) === 'admin');

  const finalMembers = [...roles.keys()].filter((id) => !remove.includes(id)).concat(add);
  assertGroupSize(finalMembers.length, deps.limits.maxGroupMembers);
  const finalAdmins = finalMembers.filter((id) => promote.includes(id) || (roles.get(id) === 'admin' && !demote.includes(id)));
  if (finalAdmins.length === 0) {
    throw new AppError('conflict', 'A group needs at least one admin: make another member an admin first');
  }
  return { add, remove, promote, demote };
}

async function addMember(storage: Storage, chatId: string, userId: string): Promise<void> {
  try {
    await storage.members.add(chatId, userId, 'member');
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error; // joined on their own meanwhile
  }
}

async function removeMember(storage: Storage, chatId: string, userId: string): Promise<void> {
  try {
    await storage.members.remove(chatId, userId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error; // left on their own meanwhile
  }
}

function noticesFor(actorId: string, rename: string | undefined, visibility: ChatVisibility | undefined, plan: MembershipPlan): Notice[] {
  return [
    ...(rename !== undefined ? [{ type: 'renamed' as const, actorId, name: rename }] : []),
    ...(visibility !== undefined ? [{ type: visibility === 'public' ? ('made_public' as const) : ('made_private' as const), actorId }] : []),
    ...plan.add.map((targetId) => ({ type: 'added' as const, actorId, targetId })),
    ...plan.promote.map((targetId) => ({ type: 'promoted' as const, actorId, targetId })),
    ...plan.demote.map((targetId) => ({ type: 'demoted' as const, actorId, targetId })),
    ...plan.remove.map((targetId) => ({ type: 'removed' as const, actorId, targetId })),
  ];
}
