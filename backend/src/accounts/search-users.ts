import type { UserSearchQuery } from '../../../shared/src/schemas/accounts.js';
import type { PublicUserPage } from '../../../shared/src/schemas/users.js';
import type { Actor } from '../live-updates.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import { toPublicUser } from './user-views.js';

export const DEFAULT_USER_SEARCH_LIMIT = 20;

/** One page of accounts whose username starts with `query`, alphabetically, of every status. */
export async function directoryPage(storage: Storage, { query, cursor, limit }: UserSearchQuery): Promise<{ users: UserRecord[]; nextCursor: string | null }> {
  return storage.users.search({
    prefix: query?.trim() || undefined,
    after: cursor || undefined,
    limit: limit ?? DEFAULT_USER_SEARCH_LIMIT,
  });
}

/** One page of the user directory: usernames starting with `query`, alphabetically. */
export async function searchUsers(deps: { storage: Storage }, _actor: Actor, request: UserSearchQuery): Promise<PublicUserPage> {
  const page = await directoryPage(deps.storage, request);
  // Like the socket's users:list, the directory shows usable accounts only.
  return { users: page.users.filter((user) => user.status === 'active').map(toPublicUser), nextCursor: page.nextCursor };
}
