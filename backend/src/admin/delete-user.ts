import type { AdminDeleteUserQuery } from '../../../shared/src/schemas/admin.js';
import type { AdminActor } from './admin-actor.js';
import { assertNotSelf, endSessions, loadTargetUser, type AdminDeps, type UserTarget } from './admin-deps.js';

/**
 * Deletes an account for good. Its sessions end first. Its messages are either kept, with no
 * sender (clients show them as from a "deleted user"), or erased: `?messages=keep` (the
 * default) or `?messages=erase`. Memberships, blocks and refresh tokens go with the account.
 * @throws AppError 400, 404, 403 when administrators delete themselves.
 */
export async function deleteUser(
  deps: AdminDeps,
  actor: AdminActor,
  { messages }: AdminDeleteUserQuery,
  { id: userId }: UserTarget,
): Promise<null> {
  assertNotSelf(actor, userId, 'delete');
  const user = await loadTargetUser(deps.storage, userId);
  await endSessions(deps, userId, 'deleted');
  await deps.storage.messages.detachSender(userId, messages);
  await deps.storage.users.delete(userId);
  await deps.audit.record(actor, 'user.delete', userId, { username: user.username, messages });
  deps.logger.info({ userId, messages }, 'admin deleted a user');
  return null;
}
