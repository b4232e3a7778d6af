import type { AdminStatusChangeRequest, AdminUser } from '../../../shared/src/schemas/admin.js';
import type { UserStatus } from '../../../shared/src/schemas/users.js';
import type { AdminActor } from './admin-actor.js';
import { assertNotSelf, endSessions, loadTargetUser, type AdminDeps, type UserTarget } from './admin-deps.js';
import { toAdminUser } from './admin-user-view.js';

/**
 * `ban` and `disable` both stop the account at once: it may not sign in, its refresh tokens
 * are revoked, its access tokens are refused on their next use and its live sockets are
 * closed with a `session:ended` event. They differ only in what they say: a ban is a
 * sanction, disabling is housekeeping. `enable` lets the account sign in again.
 */
export type StatusChange = 'ban' | 'disable' | 'enable';

const NEW_STATUS: Record<StatusChange, UserStatus> = { ban: 'banned', disable: 'disabled', enable: 'active' };

/** The use case of one status change. */
export function changeUserStatus(change: StatusChange) {
  return (deps: AdminDeps, actor: AdminActor, request: AdminStatusChangeRequest, target: UserTarget) => changeStatus(deps, actor, change, request, target);
}

/** @throws AppError 404, 403 when administrators ban or disable themselves. */
async function changeStatus(
  deps: AdminDeps,
  actor: AdminActor,
  change: StatusChange,
  { reason }: AdminStatusChangeRequest,
  { id: userId }: UserTarget,
): Promise<AdminUser> {
  if (change !== 'enable') assertNotSelf(actor, userId, change);
  const before = await loadTargetUser(deps.storage, userId);
  const user = await deps.storage.users.update(userId, { status: NEW_STATUS[change] });
  if (change !== 'enable') await endSessions(deps, userId, NEW_STATUS[change]);
  await deps.audit.record(actor, `user.${change}`, userId, {
    from: before.status,
    to: user.status,
    ...(reason ? { reason } : {}),
  });
  deps.logger.info({ userId, status: user.status }, 'admin changed an account status');
  return toAdminUser(user);
}
