import type { Logger } from 'pino';
import { passwordProblem } from '../../../shared/src/schemas/password-policy.js';
import type { ChangePasswordRequest } from '../../../shared/src/schemas/profile.js';
import { AppError } from '../app-error.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import type { PasswordHasher } from './password-hasher.js';

/** Why the user's other sessions end (`session:ended`). */
export const PASSWORD_CHANGED = 'password_changed';

/**
 * The signed-in user sets a new password, proving the current one. The new one must meet the
 * password policy (the username included) before any bcrypt work is spent. Checking the current
 * password and hashing the new one are the user's bcrypt work (rate-limited and queued fairly,
 * as the table binds it). Then every other session of the user ends: their refresh tokens are
 * revoked and their sockets get `session:ended {reason: "password_changed"}` and are closed. The
 * caller's session (the one its access token was issued in) stays signed in.
 * @throws AppError 400 `fields.newPassword` (policy), 403 `wrong_password` `fields.currentPassword`,
 *   403 `forbidden` for an account without a password (single sign-on only), 429 / 503 bcrypt limits.
 */
export async function changeOwnPassword(
  deps: { storage: Storage; passwords: PasswordHasher; live: Pick<LiveUpdates, 'disconnectUser'>; logger: Logger },
  actor: Actor,
  { currentPassword, newPassword }: ChangePasswordRequest,
): Promise<null> {
  const user = await deps.storage.users.byId(actor.userId);
  if (!user) throw new AppError('unauthenticated', 'Sign in first');
  if (user.passwordHash === null) {
    throw new AppError('forbidden', 'This account signs in through the host site and has no password to change');
  }
  const problem = passwordProblem(newPassword, user.username);
  if (problem) throw new AppError('validation_failed', `Invalid input: newPassword ${problem}`, { newPassword: problem });
  if (!(await deps.passwords.verify(currentPassword, user.passwordHash))) {
    deps.logger.info({ userId: user.id }, 'password change refused: wrong current password');
    throw new AppError('wrong_password', 'The current password is wrong', { currentPassword: 'is wrong' });
  }
  const passwordHash = await deps.passwords.hash(newPassword);
  await deps.storage.users.update(user.id, { passwordHash });
  const except = actor.sessionId === undefined ? {} : { exceptFamilyId: actor.sessionId };
  await deps.storage.refreshTokens.revokeAllOfUser(user.id, except);
  deps.live.disconnectUser(user.id, PASSWORD_CHANGED, actor.sessionId === undefined ? {} : { exceptSessionId: actor.sessionId });
  deps.logger.info({ userId: user.id }, 'password changed; other sessions ended');
  return null;
}
