import type { ServerToClientEvents } from '../../shared/src/socket-events.js';

/**
 * The port through which use cases reach connected clients. Use cases never see sockets:
 * they name users and chats, and the realtime layer turns those into rooms that only
 * authenticated sockets ever join.
 */
export type LiveEvent = Exclude<keyof ServerToClientEvents, 'authenticated' | 'unauthorized'>;
export type LivePayload<E extends LiveEvent> = Parameters<ServerToClientEvents[E]>[0];

export interface EmitOptions {
  /** The socket whose request caused the event: it already has the answer in its ack. */
  exceptSocketId?: string;
  /**
   * Users to reach through their own rooms as well, in the same broadcast (each socket gets it
   * once): members joined to the chat's room just now, whose join may not have reached their
   * process yet (SocketLiveUpdates says why).
   */
  alsoToUsers?: readonly string[];
}

export interface LiveUpdates {
  /** Every connected socket of these users (all their tabs). */
  toUsers<E extends LiveEvent>(userIds: readonly string[], event: E, payload: LivePayload<E>, options?: EmitOptions): void;
  /** Every socket that joined the chat's room: the members' sockets. */
  toChat<E extends LiveEvent>(chatId: string, event: E, payload: LivePayload<E>, options?: EmitOptions): void;
  /** Every authenticated socket (used for presence). Never the unauthenticated ones. */
  toEveryone<E extends LiveEvent>(event: E, payload: LivePayload<E>): void;
  /** Puts the users' connected sockets in the chat's room, so they receive its events from now on. */
  joinChat(userIds: readonly string[], chatId: string): void;
  /** Takes the users' sockets out of the chat's room. */
  leaveChat(userIds: readonly string[], chatId: string): void;
  /** Tells the user's sockets why (`session:ended`) and closes them; with `exceptSessionId`, all but that session's. */
  disconnectUser(userId: string, reason: string, options?: { exceptSessionId?: string }): void;
}

/**
 * Who made a request: the user, and the socket it came in on when it came over a socket.
 * REST requests have no socket; then every tab of the user hears about the change.
 */
export interface Actor {
  userId: string;
  socketId?: string;
  /** The session (refresh-token family) the caller's access token belongs to, when it names one. */
  sessionId?: string;
}

/** The emit options that keep an event from echoing back to the socket that caused it. */
export function notBackTo(actor: Actor): EmitOptions {
  return actor.socketId ? { exceptSocketId: actor.socketId } : {};
}
