import type { Express } from 'express';
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AccessTokens } from './accounts/access-tokens.js';
import { bootstrapAdminFromConfig } from './admin/bootstrap-admin.js';
import { PasswordHasher } from './accounts/password-hasher.js';
import { createRoomPasswords } from './chats/room-passwords.js';
import { createPasswordRateLimits } from './rate-limits/password-work-limits.js';
import { createWriteBudget } from './rate-limits/write-budget.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/create-http-app.js';
import type { LiveUpdates } from './live-updates.js';
import { instrumentStorage } from './ops/instrument-storage.js';
import { Metrics } from './ops/metrics.js';
import { observeSocketServer } from './ops/observe-socket-server.js';
import { createOperations, type Operations } from './ops/operations.js';
import { InMemoryPresenceRegistry } from './presence/presence-registry.js';
import type { RedisPresenceRegistry } from './presence/redis-presence-registry.js';
import { TypingTracker } from './presence/typing-tracker.js';
import { createSocketServer, type ChatIo } from './realtime/create-socket-server.js';
import { attachSocketAuth } from './realtime/socket-auth.js';
import { SocketLiveUpdates } from './realtime/socket-live-updates.js';
import { connectScaleOut, type ScaleOut } from './scale-out/redis-scale-out.js';
import { createServices, type Services } from './services.js';
import { resolveSsoKey } from './sso/sso-key.js';
import { createStorage } from './storage/create-storage.js';
import type { Storage } from './storage/storage.js';

export interface ChatServer {
  httpServer: HttpServer;
  /** The express app answering every HTTP request outside socket.io's path. */
  httpApp: Express;
  storage: Storage;
  io: ChatIo;
  /** The chat use cases (what socket handlers and REST routes call). */
  services: Services;
  /** Reaches connected sockets, e.g. to end a banned user's sessions. */
  live: LiveUpdates;
  /** Metrics and readiness checks (/metrics, /readyz). */
  operations: Operations;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The composition root's body. Wiring order:
 *   0. the SSO key (a bad one stops start-up here) and the metrics
 *   1. storage (SQLite or MongoDB), migrations run on open
 *      (every store call timed), the first administrator from ADMIN_USERNAME / ADMIN_PASSWORD,
 *      readiness checks (store, Redis)
 *   2. token signer, then the use cases (accounts, chats, messages, receipts, presence)
 *   3. the HTTP server and socket.io attached to it; live updates reach sockets through rooms
 *   4. express routes (REST calls the same use cases), static app, error handler
 *   5. listen
 * close() runs it backwards: stop accepting, close sockets, close storage.
 */
export async function startChatServer(config: Config, logger: Logger): Promise<ChatServer> {
  const ssoKey = await resolveSsoKey(config);
  const metrics = new Metrics();
  const storage = instrumentStorage(await createStorage(config, logger), metrics);
  await bootstrapAdminFromConfig(config, storage, logger).catch(async (error: unknown) => {
    await storage.close();
    throw error;
  });
  const operations = createOperations(config, storage, metrics);
  const accessTokens = new AccessTokens(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_S);
  // The express app is this server's one request listener from the start, so that socket.io,
  // attached next, wraps it: engine.io answers everything under its path and passes only the
  // other requests on. A listener added after attaching would answer socket.io's long-polling
  // requests a second time (the SPA fallback), and engine.io's own later write would crash.
  let answerHttp: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const httpServer = createServer((req, res) => answerHttp(req, res));
  const io = createSocketServer(httpServer, config);
  observeSocketServer(io, metrics);
  // REDIS_URL: rooms, presence and rate limits are shared with the other processes (docs/SCALING.md).
  let scaleOut: ScaleOut | null = null;
  let sharedPresence: RedisPresenceRegistry | null = null;
  const live = new SocketLiveUpdates(io);
  if (config.REDIS_URL) {
    try {
      scaleOut = await connectScaleOut(config.REDIS_URL, logger);
      io.adapter(scaleOut.adapter);
      sharedPresence = await scaleOut.startPresence({
        ttlSeconds: config.PRESENCE_TTL_S,
        announce: (userId, online) => live.toEveryone('presence', { userId, online }),
      });
    } catch (error) {
      await scaleOut?.close();
      await storage.close();
      await operations.close();
      throw error;
    }
  }
  const typing = new TypingTracker(live);
  // One bcrypt queue for the process, fair between requesters, each requester rate-limited.
  const passwordHasher = new PasswordHasher(config.BCRYPT_COST, {
    limits: createPasswordRateLimits({
      perUserPerMinute: config.BCRYPT_PER_USER_PER_MINUTE,
      perIpPerMinute: config.BCRYPT_PER_IP_PER_MINUTE,
      redisClient: scaleOut?.redis,
    }),
    queue: { perRequester: config.BCRYPT_QUEUE_PER_REQUESTER, total: config.BCRYPT_QUEUE_MAX },
  });
  const services = createServices({
    storage,
    live,
    presence: sharedPresence ?? new InMemoryPresenceRegistry(),
    typing,
    roomPasswords: createRoomPasswords(passwordHasher, {
      attemptsPerWindow: config.ROOM_PASSWORD_ATTEMPTS,
      redisClient: scaleOut?.redis,
    }),
    limits: { maxGroupMembers: config.MAX_GROUP_MEMBERS, maxSocketsPerUser: config.MAX_SOCKETS_PER_USER },
    writeBudget: createWriteBudget({ perSecond: config.WRITES_PER_SECOND, burst: config.WRITES_BURST, redisClient: scaleOut?.redis }),
  });
  attachSocketAuth({ io, accessTokens, storage, services, config, logger });

  const app = createHttpApp({ config, logger, storage, accessTokens, services, live, operations, ssoKey, redisClient: scaleOut?.redis, passwordHasher });
  answerHttp = app;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    httpServer,
    httpApp: app,
    storage,
    io,
    services,
    live,
    operations,
    port,
    url,
    close() {
      closing ??= (async () => {
        typing.clear();
        // Leaves shared presence first: the users whose last socket is here go offline everywhere.
        await sharedPresence?.close().catch((error: unknown) => logger.warn({ err: error }, 'leaving shared presence failed'));
        await new Promise<void>((resolve) => {
          // Disconnects every socket, then closes the HTTP server.
          void io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await scaleOut?.close();
        await storage.close();
        await operations.close();
      })();
      return closing;
    },
  };
}
