import type { RoomSearchHit, SearchGroupsRequest } from '../../../shared/src/schemas/chats.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';

export const MAX_SEARCH_HITS = 50;

/**
 * Public groups (rooms) whose name contains the query, newest activity first (an empty query
 * lists them all). Private groups are never listed, not even to their members.
 * Anyone signed in may search; a hit shows the name, whether a password guards it and its size,
 * never its members or messages.
 */
export async function searchGroups(deps: { storage: Storage }, actor: Actor, request: SearchGroupsRequest): Promise<{ rooms: RoomSearchHit[] }> {
  const [groups, myChatIds] = await Promise.all([
    deps.storage.chats.searchGroups(request.query, MAX_SEARCH_HITS),
    deps.storage.members.chatIdsOfUser(actor.userId),
  ]);
  const mine = new Set(myChatIds);
  const rooms = groups.map((group) => ({
    id: group.id,
    name: group.name ?? '',
    hasPassword: group.passwordHash !== null,
    memberCount: group.memberCount,
    isMember: mine.has(group.id),
  }));
  return { rooms };
}
