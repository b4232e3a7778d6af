import type { PublicUser } from '../../../shared/src/schemas/users.js';
import { userSearchQuerySchema } from '../../../shared/src/schemas/accounts.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { toPublicUser } from './user-views.js';

export const DEFAULT_USER_SEARCH_LIMIT = 20;

export interface UserSearchResult {
  users: PublicUser[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One page of the user directory: usernames starting with `query`, alphabetically. */
export async function searchUsers(storage: Storage, input: unknown): Promise<UserSearchResult> {
  const { query, cursor, limit } = parseInput(userSearchQuerySchema, input);
  const page = await storage.users.search({
    prefix: query?.trim() || undefined,
    after: cursor || undefined,
    limit: limit ?? DEFAULT_USER_SEARCH_LIMIT,
  });
  // Like the socket's users:list, the directory shows usable accounts only.
  return { users: page.users.filter((user) => user.status === 'active').map(toPublicUser), nextCursor: page.nextCursor };
}
