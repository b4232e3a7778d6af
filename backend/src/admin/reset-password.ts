import type { AdminResetPasswordRequest } from '../../../shared/src/schemas/admin.js';
import { passwordProblem } from '../../../shared/src/schemas/password-policy.js';
import { AppError } from '../app-error.js';
import type { AdminActor } from './admin-actor.js';
import { endSessions, loadTargetUser, type AdminDeps, type UserTarget } from './admin-deps.js';

/**
 * Sets a new password (the same policy as registration) and ends the user's sessions, so
 * whoever knew the old one is signed out everywhere.
 * @throws AppError 400 when the password breaks the policy, 404 for an unknown user.
 */
export async function resetPassword(
  deps: AdminDeps,
  actor: AdminActor,
  { password }: AdminResetPasswordRequest,
  { id: userId }: UserTarget,
): Promise<null> {
  const user = await loadTargetUser(deps.storage, userId);
  const problem = passwordProblem(password, user.username);
  if (problem) throw new AppError('validation_failed', `Invalid input: password ${problem}`, { password: problem });
  await deps.storage.users.update(userId, { passwordHash: await deps.passwords.hash(password) });
  await endSessions(deps, userId, 'password_reset');
  await deps.audit.record(actor, 'user.password_reset', userId);
  deps.logger.info({ userId }, 'admin reset a password');
  return null;
}
