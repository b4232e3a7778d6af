/**
 * Who is online, counted in sockets so that a user with several tabs stays online until the
 * last one closes. Asynchronous so that a shared (Redis) registry can stand in for the in-memory one.
 */
export interface PresenceRegistry {
  /**
   * Counts one more socket for the user, unless they already have `maxSockets` open.
   * `cameOnline` is true when this is the user's first socket.
   */
  addSocket(userId: string, socketId: string, maxSockets: number): Promise<{ accepted: boolean; cameOnline: boolean }>;
  /** Forgets a socket; `wentOffline` is true when it was the user's last one. Unknown sockets are ignored. */
  removeSocket(userId: string, socketId: string): Promise<{ wentOffline: boolean }>;
  /** Which of these users have at least one socket open. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
}

/** The registry of a single process. */
export class InMemoryPresenceRegistry implements PresenceRegistry {
  private readonly socketsByUser = new Map<string, Set<string>>();

  async addSocket(userId: string, socketId: string, maxSockets: number): Promise<{ accepted: boolean; cameOnline: boolean }> {
    const sockets = this.socketsByUser.get(userId) ?? new Set<string>();
    if (sockets.has(socketId)) return { accepted: true, cameOnline: false };
    if (sockets.size >= maxSockets) return { accepted: false, cameOnline: false };
    sockets.add(socketId);
    this.socketsByUser.set(userId, sockets);
    return { accepted: true, cameOnline: sockets.size === 1 };
  }

  async removeSocket(userId: string, socketId: string): Promise<{ wentOffline: boolean }> {
    const sockets = this.socketsByUser.get(userId);
    if (!sockets?.delete(socketId)) return { wentOffline: false };
    if (sockets.size > 0) return { wentOffline: false };
    this.socketsByUser.delete(userId);
    return { wentOffline: true };
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.socketsByUser.has(id)));
  }
}
