import type { UserWithPresence } from '../../../shared/src/schemas/users.js';
import { toPublicUser } from '../accounts/user-views.js';
import type { Actor } from '../live-updates.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import type { PresenceRegistry } from './presence-registry.js';

/** The directory is listed up to this many users; larger directories are searched over REST instead. */
export const MAX_LISTED_USERS = 1000;
const PAGE = 200;

/** Every active user (the actor included), alphabetically, each with whether they are online now. */
export async function listUsers(deps: { storage: Storage; presence: PresenceRegistry }, _actor: Actor): Promise<{ users: UserWithPresence[] }> {
  const found: UserRecord[] = [];
  let after: string | undefined;
  do {
    const page = await deps.storage.users.search({ after, limit: PAGE });
    found.push(...page.users.filter((user) => user.status === 'active'));
    after = page.nextCursor ?? undefined;
  } while (after !== undefined && found.length < MAX_LISTED_USERS);

  const users = found.slice(0, MAX_LISTED_USERS);
  const online = await deps.presence.onlineAmong(users.map((user) => user.id));
  return { users: users.map((user) => ({ ...toPublicUser(user), online: online.has(user.id) })) };
}
