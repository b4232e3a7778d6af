import type { Logger } from 'pino';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { AppError } from '../app-error.js';
import type { LiveUpdates } from '../live-updates.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import type { AdminActor } from './admin-actor.js';
import type { AuditTrail } from './audit-trail.js';

/** What the admin use cases work with. */
export interface AdminDeps {
  storage: Storage;
  passwords: PasswordHasher;
  audit: AuditTrail;
  /** Closes a user's live sockets at once, and tells everyone about profile changes (the realtime layer's LiveUpdates). */
  live: Pick<LiveUpdates, 'disconnectUser' | 'toEveryone'>;
  logger: Logger;
}

/** The account an admin route's path names: `{id}`. */
export interface UserTarget {
  id: string;
}

/** @throws AppError 404 when there is no such user. */
export async function loadTargetUser(storage: Storage, userId: string): Promise<UserRecord> {
  const user = await storage.users.byId(userId);
  if (!user) throw new AppError('not_found', 'No such user');
  return user;
}

/** Administrators may not lock themselves out: no banning, disabling, deleting or demoting oneself. */
export function assertNotSelf(actor: AdminActor, targetId: string, action: string): void {
  if (actor.via === 'user' && actor.userId === targetId) {
    throw new AppError('forbidden', `You cannot ${action} your own account`);
  }
}

/**
 * Ends every session of the user: refresh tokens are revoked, so no new access token can be
 * had, and live sockets are told why and closed now.
 */
export async function endSessions(deps: Pick<AdminDeps, 'storage' | 'live'>, userId: string, reason: string): Promise<void> {
  await deps.storage.refreshTokens.revokeAllOfUser(userId);
  deps.live.disconnectUser(userId, reason);
}
