import { AppError } from '../app-error.js';
import type { LiveUpdates } from '../live-updates.js';
import type { PresenceRegistry } from './presence-registry.js';
import type { TypingTracker } from './typing-tracker.js';

type Deps = { presence: PresenceRegistry; live: LiveUpdates; typing: TypingTracker; limits: { maxSocketsPerUser: number } };

/*
 * Who hears `presence`: every authenticated socket. `users:list` shows the whole directory with
 * online dots, so every signed-in client needs every change to keep that list true; limiting the
 * event to users who share a chat would leave the directory stale. Sockets that have not
 * authenticated never hear it (they are not in the room it goes to).
 */

/**
 * Counts a newly authenticated socket. The user's first socket makes them `online` for everyone.
 * @throws AppError limit_exceeded when the user already has MAX_SOCKETS_PER_USER sockets open.
 */
export async function socketOpened(deps: Deps, userId: string, socketId: string): Promise<void> {
  const { accepted, cameOnline } = await deps.presence.addSocket(userId, socketId, deps.limits.maxSocketsPerUser);
  if (!accepted) {
    throw new AppError('limit_exceeded', `Too many open connections: at most ${deps.limits.maxSocketsPerUser} per user`);
  }
  if (cameOnline) deps.live.toEveryone('presence', { userId, online: true });
}

/** Forgets a closed socket: its typing indicators end, and the user's last socket makes them offline. */
export async function socketClosed(deps: Deps, userId: string, socketId: string): Promise<void> {
  deps.typing.socketClosed(socketId);
  const { wentOffline } = await deps.presence.removeSocket(userId, socketId);
  if (wentOffline) deps.live.toEveryone('presence', { userId, online: false });
}
