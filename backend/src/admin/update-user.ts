import type { AdminUpdateUserRequest, AdminUser } from '../../../shared/src/schemas/admin.js';
import { toPublicUser } from '../accounts/user-views.js';
import { AppError } from '../app-error.js';
import { ConflictError } from '../storage/errors.js';
import type { UserPatch } from '../storage/storage.js';
import type { AdminActor } from './admin-actor.js';
import { assertNotSelf, loadTargetUser, type AdminDeps, type UserTarget } from './admin-deps.js';
import { toAdminUser } from './admin-user-view.js';

/**
 * Changes an account's username, names, email, gender, picture or role. A role change takes
 * effect on the user's next request: access tokens do not carry the role. Connected clients
 * get `user:updated` with the new public profile.
 * @throws AppError 400, 404, 403 when administrators demote themselves, 409 naming `username`.
 */
export async function updateUser(deps: AdminDeps, actor: AdminActor, request: AdminUpdateUserRequest, { id: userId }: UserTarget): Promise<AdminUser> {
  const before = await loadTargetUser(deps.storage, userId);
  if (request.role === 'user' && before.role === 'admin') assertNotSelf(actor, userId, 'demote');

  const patch: UserPatch = {};
  if (request.username !== undefined) patch.username = request.username;
  if (request.firstName !== undefined) patch.firstName = request.firstName;
  if (request.lastName !== undefined) patch.lastName = request.lastName;
  if (request.email !== undefined) patch.email = request.email;
  if (request.gender !== undefined) patch.gender = request.gender;
  if (request.avatarUrl !== undefined) patch.avatarUrl = request.avatarUrl;
  if (request.role !== undefined) patch.role = request.role;

  let user;
  try {
    user = await deps.storage.users.update(userId, patch);
  } catch (error) {
    if (error instanceof ConflictError && error.field === 'username') {
      throw new AppError('conflict', 'That username is already taken', { username: 'is already taken' });
    }
    throw error;
  }
  const details: Record<string, unknown> = { fields: Object.keys(patch) };
  if (patch.role !== undefined && patch.role !== before.role) details['role'] = { from: before.role, to: patch.role };
  if (patch.username !== undefined && patch.username !== before.username) details['username'] = { from: before.username, to: patch.username };
  await deps.audit.record(actor, 'user.update', userId, details);
  if (user.status === 'active') deps.live.toEveryone('user:updated', toPublicUser(user));
  return toAdminUser(user);
}
