import type { EmitOptions, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { summariesFor } from './chat-views.js';

type Deps = { storage: Storage; live: LiveUpdates };

/**
 * Brings a chat to users who did not have it (new group members, the other side of a direct
 * chat at its first message, a deleted chat coming back): their sockets join the chat's room,
 * then each user gets `chat:created` with the chat as they see it.
 */
export async function announceNewChat(deps: Deps, chatId: string, userIds: readonly string[], options: EmitOptions = {}): Promise<void> {
  if (userIds.length === 0) return;
  deps.live.joinChat(userIds, chatId);
  const summaries = await summariesFor(deps.storage, chatId, userIds);
  for (const [userId, chat] of summaries) deps.live.toUsers([userId], 'chat:created', { chat }, options);
}

/** Tells members that the chat itself changed (name, password, members, roles): `chat:updated`, each with their own view. */
export async function announceChatChange(deps: Deps, chatId: string, userIds: readonly string[], options: EmitOptions = {}): Promise<void> {
  if (userIds.length === 0) return;
  const summaries = await summariesFor(deps.storage, chatId, userIds);
  for (const [userId, chat] of summaries) deps.live.toUsers([userId], 'chat:updated', { chat }, options);
}

/** Takes a chat away from users (they left, were removed, or deleted it): out of the room, then `chat:removed`. */
export function announceChatGone(deps: { live: LiveUpdates }, chatId: string, userIds: readonly string[], options: EmitOptions = {}): void {
  if (userIds.length === 0) return;
  deps.live.leaveChat(userIds, chatId);
  deps.live.toUsers(userIds, 'chat:removed', { chatId }, options);
}
