import type { AdminUser, AdminUserListQuery, AdminUserPage } from '../../../shared/src/schemas/admin.js';
import { directoryPage } from '../accounts/search-users.js';
import type { Storage } from '../storage/storage.js';
import type { AdminActor } from './admin-actor.js';
import { loadTargetUser, type UserTarget } from './admin-deps.js';
import { toAdminUser } from './admin-user-view.js';

/** One page of accounts whose username starts with `query`, alphabetically, with role and status. */
export async function listUsers(deps: { storage: Storage }, _actor: AdminActor, query: AdminUserListQuery): Promise<AdminUserPage> {
  const page = await directoryPage(deps.storage, query);
  return { users: page.users.map(toAdminUser), nextCursor: page.nextCursor };
}

/** One account, as administrators see it. @throws AppError 404. */
export async function getUser(deps: { storage: Storage }, _actor: AdminActor, _input: undefined, { id }: UserTarget): Promise<AdminUser> {
  return toAdminUser(await loadTargetUser(deps.storage, id));
}
