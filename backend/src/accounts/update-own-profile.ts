import type { UpdateProfileRequest } from '../../../shared/src/schemas/profile.js';
import type { SelfUser } from '../../../shared/src/schemas/users.js';
import { AppError } from '../app-error.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage, UserPatch } from '../storage/storage.js';
import { toPublicUser, toSelfUser } from './user-views.js';

/**
 * The signed-in user changes their names, e-mail or gender. When a field others see changed,
 * every authenticated socket gets `user:updated`, so lists and chat titles follow at once.
 * E-mail addresses are not unique (registration does not make them so either).
 * @throws AppError 401 when the account is gone.
 */
export async function updateOwnProfile(
  deps: { storage: Storage; live: Pick<LiveUpdates, 'toEveryone'> },
  actor: Actor,
  request: UpdateProfileRequest,
): Promise<SelfUser> {
  const before = await deps.storage.users.byId(actor.userId);
  if (!before) throw new AppError('unauthenticated', 'Sign in first');
  const patch: UserPatch = {};
  if (request.firstName !== undefined && request.firstName !== before.firstName) patch.firstName = request.firstName;
  if (request.lastName !== undefined && request.lastName !== before.lastName) patch.lastName = request.lastName;
  if (request.email !== undefined && request.email !== before.email) patch.email = request.email;
  if (request.gender !== undefined && request.gender !== before.gender) patch.gender = request.gender;
  if (Object.keys(patch).length === 0) return toSelfUser(before);

  const user = await deps.storage.users.update(actor.userId, patch);
  const seenByOthers = patch.firstName !== undefined || patch.lastName !== undefined || patch.gender !== undefined;
  if (seenByOthers) deps.live.toEveryone('user:updated', toPublicUser(user));
  return toSelfUser(user);
}
