import type { UserRef } from '../../../shared/src/schemas/presence.js';
import { AppError } from '../app-error.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';

/**
 * Blocks a user: from now on neither of the two can send the other a direct message, and their
 * typing no longer shows there. Groups are unaffected. Blocking twice is harmless. The blocked
 * user is not told.
 */
export async function blockUser(deps: { storage: Storage }, actor: Actor, request: UserRef): Promise<null> {
  if (request.userId === actor.userId) throw new AppError('validation_failed', 'You cannot block yourself', { userId: 'is yourself' });
  const user = await deps.storage.users.byId(request.userId);
  if (!user) throw new AppError('not_found', 'User not found');
  await deps.storage.blocks.block(actor.userId, user.id);
  return null;
}
