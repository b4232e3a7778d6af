import type { Logger } from 'pino';
import socketIOAuth from 'socketio-auth';
import type { SelfUser } from '../../../shared/src/schemas/users.js';
import { authenticationSchema } from '../../../shared/src/schemas/presence.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { authenticateSession } from '../accounts/authenticate-access-token.js';
import { toSelfUser } from '../accounts/user-views.js';
import { AppError } from '../app-error.js';
import type { Config } from '../config.js';
import type { Operation } from '../operations/operation.js';
import type { Pipeline } from '../operations/pipeline.js';
import { socketClosed, socketOpened } from '../presence/socket-presence.js';
import type { Storage } from '../storage/storage.js';
import type { ChatIo, ChatSocket } from './create-socket-server.js';
import { AUTHENTICATED_ROOM, chatRoom, sessionRoom, userRoom } from './rooms.js';
import { attachSocketOperations } from './socket-operations.js';
import { TokenBucket } from './token-bucket.js';

export interface SocketAuthDeps {
  io: ChatIo;
  accessTokens: AccessTokens;
  storage: Storage;
  /** Runs the use cases; its deps count sockets towards presence. */
  pipeline: Pipeline;
  /** The operations that have a socket event. */
  socketOperations: readonly Operation[];
  config: Pick<Config, 'AUTH_TIMEOUT_MS' | 'SOCKET_EVENTS_PER_SECOND' | 'SOCKET_EVENTS_BURST'>;
  logger: Logger;
}

/** Where a socket stands in the handshake. */
type Stage = 'waiting' | 'checking' | 'authenticated';

/** Longest wait for a signing-in socket's rooms to be joined (their Redis subscriptions) before `authenticated`. */
const ROOM_JOIN_WAIT_MS = 1_000;

interface Session {
  stage: Stage;
  /** Set once the socket counts towards the user's presence. */
  userId?: string;
  username?: string;
  /** The session (refresh-token family) of the token it authenticated with, when the token names one. */
  sessionId?: string;
  /** The chats the user was in when they authenticated; their rooms are joined after `authenticated`. */
  chatIds?: string[];
  /** Stops the AUTH_TIMEOUT_MS countdown. */
  clearDeadline?: () => void;
}

/**
 * The socketio-auth handshake, made safe for socket.io 4.
 *
 * A client connects, then emits `authentication {token}` and must be through within
 * AUTH_TIMEOUT_MS of connecting (or is disconnected). The token must be a valid access token of
 * an existing, active user who has fewer than MAX_SOCKETS_PER_USER sockets open; otherwise the
 * socket gets `unauthorized {message}` and is disconnected. On success it gets `authenticated` with the user's own profile, then joins its
 * rooms (its user's room, the room of every chat of the user, and the room of all authenticated
 * sockets) and only then are the table's operations attached.
 *
 * socketio-auth 0.1.1 was written for socket.io 1/2: it hides unauthenticated sockets from
 * namespace broadcasts by deleting them from `nsp.connected`. socket.io 4 has neither `io.nsps`
 * (so the library's loops see nothing and do nothing, harmlessly) nor `nsp.connected`. The
 * guarantee comes from here instead: nothing is ever emitted to the namespace, only to rooms that
 * sockets join after they authenticated. The library also waits for the client to acknowledge
 * `unauthorized` before disconnecting; we disconnect ourselves.
 *
 * A token that expires later leaves an authenticated socket connected; reconnecting needs a fresh one.
 */
export function attachSocketAuth(deps: SocketAuthDeps): void {
  const { io, logger } = deps;
  const sessions = new WeakMap<ChatSocket, Session>();
  const sessionOf = (socket: ChatSocket): Session => {
    let session = sessions.get(socket);
    if (!session) sessions.set(socket, (session = { stage: 'waiting' }));
    return session;
  };

  // The handshake deadline. socketio-auth has one too, but its timer outlives the socket it
  // watches; this one is cleared as soon as the socket authenticates or goes away.
  io.on('connection', (socket) => {
    const deadline = setTimeout(() => {
      if (sessionOf(socket).stage !== 'authenticated') socket.disconnect(true);
    }, deps.config.AUTH_TIMEOUT_MS);
    sessionOf(socket).clearDeadline = () => clearTimeout(deadline);
    socket.once('disconnect', () => clearTimeout(deadline));
  });

  socketIOAuth<ChatSocket>(io, {
    timeout: 'none',

    authenticate(socket, data, callback) {
      const session = sessionOf(socket);
      // A second `authentication` (while checking or after success) is ignored.
      if (session.stage !== 'waiting') return;
      session.stage = 'checking';
      void (async () => {
        let user: SelfUser | null;
        try {
          user = await checkCredentials(deps, socket, session, data);
        } catch (error) {
          const refusal = error instanceof AppError ? error : new AppError('unauthenticated', 'Authentication failed');
          if (error instanceof AppError) logger.debug({ socketId: socket.id, code: refusal.code }, 'socket refused');
          else logger.error({ socketId: socket.id, err: error }, 'socket authentication failed');
          callback(new Error(refusal.message));
          socket.disconnect(true);
          return;
        }
        // The rooms are joined before `authenticated` goes out: with the sharded Redis adapter a
        // process subscribes to a room's channel when it gets its first member there, and a client
        // told it is signed in before that subscription exists could miss a message sent at once
        // from another process. Bounded, so a slow Redis delays a sign-in by at most a second.
        if (user) await Promise.race([socket.join(roomsOf(session)), new Promise((resolve) => setTimeout(resolve, ROOM_JOIN_WAIT_MS).unref())]);
        // Emits `authenticated`, then runs postAuthenticate, synchronously.
        if (user && socket.connected) callback(null, user);
      })().catch((error: unknown) => {
        logger.error({ socketId: socket.id, err: error }, 'socket authentication failed');
        socket.disconnect(true);
      });
    },

    postAuthenticate(socket) {
      const session = sessionOf(socket);
      try {
        admit(deps, socket, session);
      } catch (error) {
        logger.error({ socketId: socket.id, err: error }, 'socket setup failed');
        socket.disconnect(true);
      }
    },

    disconnect(socket) {
      const session = sessions.get(socket);
      if (!session?.userId) return;
      const { userId } = session;
      session.userId = undefined;
      socketClosed(deps.pipeline.deps, userId, socket.id).catch((error: unknown) => {
        logger.error({ socketId: socket.id, err: error }, 'presence update failed');
      });
    },
  });
}

/**
 * Checks the token and the account, counts the socket towards the user's presence (refused past
 * MAX_SOCKETS_PER_USER) and loads the user's chats. Resolves null when the socket went away meanwhile.
 */
async function checkCredentials(deps: SocketAuthDeps, socket: ChatSocket, session: Session, data: unknown): Promise<SelfUser | null> {
  const parsed = authenticationSchema.safeParse(data);
  if (!parsed.success) throw new AppError('unauthenticated', 'Send {token} with an access token to authenticate');
  const { user, sessionId } = await authenticateSession(deps, parsed.data.token);
  if (!socket.connected) return null;
  session.sessionId = sessionId;

  await socketOpened(deps.pipeline.deps, user.id, socket.id);
  session.userId = user.id;
  session.username = user.username;
  try {
    session.chatIds = await deps.storage.members.chatIdsOfUser(user.id);
  } catch (error) {
    await forget(deps, socket, session);
    throw error;
  }
  if (!socket.connected) {
    // The disconnect handler ran before the socket counted; undo the count here.
    await forget(deps, socket, session);
    return null;
  }
  return toSelfUser(user);
}

async function forget(deps: SocketAuthDeps, socket: ChatSocket, session: Session): Promise<void> {
  const { userId } = session;
  session.userId = undefined;
  if (userId) await socketClosed(deps.pipeline.deps, userId, socket.id);
}

/** The rooms an authenticated socket is in: its user's, its session's, every signed-in socket's, and its chats'. */
function roomsOf(session: Session): string[] {
  const { userId, sessionId, chatIds = [] } = session;
  if (!userId) return [];
  const sessionRooms = sessionId === undefined ? [] : [sessionRoom(sessionId)];
  return [userRoom(userId), ...sessionRooms, AUTHENTICATED_ROOM, ...chatIds.map(chatRoom)];
}

/** Runs synchronously right after `authenticated` went out, so no request can arrive before the handlers exist. */
function admit(deps: SocketAuthDeps, socket: ChatSocket, session: Session): void {
  const { userId, username, sessionId, chatIds = [] } = session;
  if (!userId || !username) throw new Error('postAuthenticate without a checked user');
  session.stage = 'authenticated';
  session.clearDeadline?.();
  socket.data = { userId, username, authenticated: true };
  void socket.join(roomsOf(session));

  const logger = deps.logger.child({ socketId: socket.id, userId });
  const call = {
    principal: { actor: { userId, socketId: socket.id, ...(sessionId === undefined ? {} : { sessionId }) } },
    admission: new TokenBucket(deps.config.SOCKET_EVENTS_PER_SECOND, deps.config.SOCKET_EVENTS_BURST),
    objectInputOnly: true,
  };
  attachSocketOperations({ socket, call, logger }, deps.pipeline, deps.socketOperations);
  logger.debug('socket authenticated');
  // A chat joined or left while the user's chats were loading would otherwise be missed.
  reconcileChatRooms(deps.storage, socket, userId, chatIds).catch((error: unknown) => logger.warn({ err: error }, 'room reconciliation failed'));
}

/** Joins the rooms of chats the user got meanwhile and leaves those of chats they lost since `loaded` was read. */
async function reconcileChatRooms(storage: Storage, socket: ChatSocket, userId: string, loaded: string[]): Promise<void> {
  const current = new Set(await storage.members.chatIdsOfUser(userId));
  if (!socket.connected) return;
  for (const chatId of loaded) if (!current.has(chatId)) void socket.leave(chatRoom(chatId));
  const missing = [...current].map(chatRoom).filter((room) => !socket.rooms.has(room));
  if (missing.length > 0) void socket.join(missing);
}
