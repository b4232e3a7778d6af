/**
 * The rooms live updates go to. A socket joins them only after it authenticated, so an
 * unauthenticated socket is in none of them and hears nothing. Nothing is ever emitted to the
 * whole namespace.
 */

/** Every authenticated socket: the audience of `presence`. */
export const AUTHENTICATED_ROOM = 'authenticated';

/** Every socket (tab) of one user. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The sockets of a chat's members. */
export function chatRoom(chatId: string): string {
  return `chat:${chatId}`;
}

/** The sockets of one session (one sign-in and its refreshes): kept when the user changes their password there. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}
