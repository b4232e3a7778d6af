import type { EmitOptions, LiveEvent, LivePayload, LiveUpdates } from '../live-updates.js';
import type { ChatIo } from './create-socket-server.js';
import { AUTHENTICATED_ROOM, chatRoom, sessionRoom, userRoom } from './rooms.js';

/** Live updates through socket.io rooms (which a Redis adapter can spread over several processes). */
export class SocketLiveUpdates implements LiveUpdates {
  constructor(private readonly io: ChatIo) {}

  toUsers<E extends LiveEvent>(userIds: readonly string[], event: E, payload: LivePayload<E>, options: EmitOptions = {}): void {
    if (userIds.length > 0) this.emit(userIds.map(userRoom), event, payload, options);
  }

  toChat<E extends LiveEvent>(chatId: string, event: E, payload: LivePayload<E>, options: EmitOptions = {}): void {
    this.emit([chatRoom(chatId)], event, payload, options);
  }

  toEveryone<E extends LiveEvent>(event: E, payload: LivePayload<E>): void {
    this.emit([AUTHENTICATED_ROOM], event, payload, {});
  }

  joinChat(userIds: readonly string[], chatId: string): void {
    if (userIds.length > 0) this.io.in(userIds.map(userRoom)).socketsJoin(chatRoom(chatId));
  }

  leaveChat(userIds: readonly string[], chatId: string): void {
    if (userIds.length > 0) this.io.in(userIds.map(userRoom)).socketsLeave(chatRoom(chatId));
  }

  disconnectUser(userId: string, reason: string, options: { exceptSessionId?: string } = {}): void {
    const kept = options.exceptSessionId === undefined ? [] : [sessionRoom(options.exceptSessionId)];
    this.io.to(userRoom(userId)).except(kept).emit('session:ended', { reason });
    this.io.in(userRoom(userId)).except(kept).disconnectSockets(true);
  }

  /**
   * `alsoToUsers`: on another process a join is a request carried out when it arrives, and with
   * the sharded Redis adapter that process must then subscribe to the room's channel, so an event
   * sent to the room right after the join could get there first and reach nobody. A broadcast to
   * several rooms travels on the adapter's main channel, behind the join request, and reaches each
   * socket once.
   */
  private emit<E extends LiveEvent>(rooms: string[], event: E, payload: LivePayload<E>, options: EmitOptions): void {
    let target = this.io.to([...rooms, ...(options.alsoToUsers ?? []).map(userRoom)]);
    if (options.exceptSocketId) target = target.except(options.exceptSocketId);
    // LiveUpdates is typed per event; socket.io's own typing cannot follow a generic event name.
    (target.emit as (event: string, payload: unknown) => boolean).call(target, event, payload);
  }
}
