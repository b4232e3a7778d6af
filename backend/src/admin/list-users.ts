import { adminUserListQuerySchema, type AdminUserPage } from '../../../shared/src/schemas/admin.js';
import { DEFAULT_USER_SEARCH_LIMIT } from '../accounts/search-users.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { toAdminUser } from './admin-user-view.js';

/** One page of accounts whose username starts with `query`, alphabetically, with role and status. */
export async function listUsers(storage: Storage, input: unknown): Promise<AdminUserPage> {
  const { query, cursor, limit } = parseInput(adminUserListQuerySchema, input);
  const page = await storage.users.search({
    prefix: query?.trim() || undefined,
    after: cursor || undefined,
    limit: limit ?? DEFAULT_USER_SEARCH_LIMIT,
  });
  return { users: page.users.map(toAdminUser), nextCursor: page.nextCursor };
}
