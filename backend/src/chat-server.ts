import type { Express } from 'express';
import { createServer, type RequestListener, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AccessTokens } from './accounts/access-tokens.js';
import { createLoginThrottle } from './accounts/login-throttle.js';
import { PasswordHasher } from './accounts/password-hasher.js';
import { RefreshTokens } from './accounts/refresh-tokens.js';
import { AdminAuthorization } from './admin/admin-authorization.js';
import { AuditTrail } from './admin/audit-trail.js';
import { createFileServices } from './attachments/create-file-services.js';
import type { FileServices } from './attachments/file-services.js';
import { startOrphanSweeper } from './attachments/orphan-sweeper.js';
import { bootstrapAdminFromConfig } from './admin/bootstrap-admin.js';
import { ChatKinds } from './chats/chat-kinds.js';
import { createRoomPasswords } from './chats/room-passwords.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/create-http-app.js';
import type { LiveUpdates } from './live-updates.js';
import type { Pipeline } from './operations/pipeline.js';
import { operations as table } from './operations/table.js';
import { instrumentStorage } from './observability/instrument-storage.js';
import { Metrics } from './observability/metrics.js';
import { observeSocketServer } from './observability/observe-socket-server.js';
import { createObservability, type Observability } from './observability/observability.js';
import { InMemoryPresenceRegistry } from './presence/presence-registry.js';
import type { RedisPresenceRegistry } from './presence/redis-presence-registry.js';
import { TypingTracker } from './presence/typing-tracker.js';
import { createPasswordRateLimits } from './rate-limits/password-work-limits.js';
import { createWriteBudget } from './rate-limits/write-budget.js';
import { createSocketServer, type ChatIo } from './realtime/create-socket-server.js';
import { attachSocketAuth } from './realtime/socket-auth.js';
import { SocketLiveUpdates } from './realtime/socket-live-updates.js';
import { connectScaleOut, type ScaleOut } from './scale-out/redis-scale-out.js';
import { RedisSsoTokenUseStore } from './sso/redis-sso-token-use-store.js';
import { resolveSsoKey, type SsoKey } from './sso/sso-key.js';
import { SsoReplayGuard } from './sso/sso-token-replay.js';
import { SsoTokenVerifier } from './sso/sso-token-verifier.js';
import { createStorage } from './storage/create-storage.js';
import type { LeaseStore, Storage } from './storage/storage.js';
import { UnreadStreamHub } from './unread/unread-stream-hub.js';
import { localUnreadSignals, redisUnreadSignals, withUnreadSignals, type UnreadSignals } from './unread/unread-signals.js';
import { UnreadStreamTokens } from './unread/unread-stream-tokens.js';
import { RedisLeaseStore } from './webhooks/redis-lease-store.js';
import { UnreadReminders } from './webhooks/unread-reminders.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface ChatServer {
  httpServer: HttpServer;
  /** The express app answering every HTTP request outside socket.io's path. */
  httpApp: Express;
  storage: Storage;
  io: ChatIo;
  /** Runs the table of operations (what socket handlers and REST routes call). */
  pipeline: Pipeline;
  /** Reaches connected sockets, e.g. to end a banned user's sessions. */
  live: LiveUpdates;
  /** Metrics and readiness checks (/metrics, /readyz). */
  observability: Observability;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The composition root: every dependency is built here, once. main.ts reads the configuration
 * and calls it; the tests call it in-process. Wiring order:
 *   0. the SSO key (a bad one stops start-up here) and the metrics
 *   1. storage (SQLite or MongoDB), migrations run on open (every store call timed);
 *      readiness checks (store, Redis)
 *   2. the HTTP server and socket.io attached to it; with REDIS_URL the Redis adapter and shared
 *      presence; live updates reach sockets through rooms
 *   3. the one bcrypt queue and audit trail, then the first administrator from
 *      ADMIN_USERNAME / ADMIN_PASSWORD
 *   4. the use cases' dependencies (tokens, throttles, presence, typing, SSO) and the pipeline
 *      that runs the table of operations (operations/table.ts) with the write budget
 *   5. the table's transports: socket handlers behind the socketio-auth handshake; express
 *      routes, the OpenAPI document, ops routes, static app, error handler
 *   6. listen
 * close() runs it backwards: stop accepting, close sockets, close storage.
 */
export async function startChatServer(config: Config, logger: Logger): Promise<ChatServer> {
  const ssoKey = await resolveSsoKey(config);
  const metrics = new Metrics();
  const storage = instrumentStorage(await createStorage(config, logger), metrics);
  const observability = createObservability(config, storage, metrics);
  let files: FileServices;
  try {
    files = await createFileServices(config);
  } catch (error) {
    await storage.close();
    await observability.close();
    throw error;
  }
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
  // Unread streams hear what the sockets hear (in every process once Redis is connected).
  const unreadHub = new UnreadStreamHub(storage, logger);
  let unreadSignals: UnreadSignals = localUnreadSignals(unreadHub);
  const live = withUnreadSignals(new SocketLiveUpdates(io), {
    chat: (chatId) => unreadSignals.chat(chatId),
    users: (userIds) => unreadSignals.users(userIds),
    close: () => unreadSignals.close(),
  });
  const typing = new TypingTracker(live);
  const stopEarly = async (error: unknown): Promise<never> => {
    typing.clear();
    await unreadSignals.close();
    await sharedPresence?.close().catch(() => undefined);
    await scaleOut?.close();
    await files.images.close();
    await files.blobs.close();
    await storage.close();
    await observability.close();
    throw error;
  };
  if (config.REDIS_URL) {
    try {
      scaleOut = await connectScaleOut(config.REDIS_URL, logger, config.REDIS_ADAPTER);
      io.adapter(scaleOut.adapter);
      sharedPresence = await scaleOut.startPresence({
        ttlSeconds: config.PRESENCE_TTL_S,
        announce: (userId, online) => live.toEveryone('presence', { userId, online }),
      });
      unreadSignals = await redisUnreadSignals(scaleOut.redis, unreadHub, logger);
    } catch (error) {
      await stopEarly(error);
    }
  }
  const redisClient = scaleOut?.redis;
  // One bcrypt queue for the process, fair between requesters, each requester rate-limited.
  const passwords = new PasswordHasher(config.BCRYPT_COST, {
    limits: createPasswordRateLimits({
      perUserPerMinute: config.BCRYPT_PER_USER_PER_MINUTE,
      perIpPerMinute: config.BCRYPT_PER_IP_PER_MINUTE,
      redisClient,
    }),
    queue: { perRequester: config.BCRYPT_QUEUE_PER_REQUESTER, total: config.BCRYPT_QUEUE_MAX },
  });
  const audit = new AuditTrail(storage.audit);
  await bootstrapAdminFromConfig(config, { storage, passwords, audit, logger }).catch(stopEarly);

  const accessTokens = new AccessTokens(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_S);
  const unreadStreamTokens = new UnreadStreamTokens(config.JWT_SECRET, config.UNREAD_STREAM_TOKEN_TTL_S);
  const presence = sharedPresence ?? new InMemoryPresenceRegistry();
  // Webhooks: every process delivers; a lease per subscription (in Redis, or the store) picks one.
  const leases: LeaseStore = redisClient ? new RedisLeaseStore(redisClient) : storage.leases;
  const dispatcher = new WebhookDispatcher(storage, leases, logger.child({ component: 'webhooks' }), {
    pollMs: config.WEBHOOK_POLL_MS,
    leaseMs: config.WEBHOOK_LEASE_MS,
    batchSize: config.WEBHOOK_BATCH_SIZE,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
    pauseAfterMs: config.WEBHOOK_PAUSE_AFTER_H * 3_600_000,
    retentionMs: config.WEBHOOK_RETENTION_H * 3_600_000,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === true,
  });
  const reminders = new UnreadReminders(storage, leases, presence, logger.child({ component: 'webhooks' }), {
    delayMs: config.WEBHOOK_UNREAD_DELAY_S * 1000,
    pollMs: Math.min(config.WEBHOOK_POLL_MS, config.WEBHOOK_UNREAD_DELAY_S * 1000),
    leaseMs: config.WEBHOOK_LEASE_MS,
  });
  const pipeline: Pipeline = {
    deps: {
      storage,
      live,
      logger,
      presence,
      typing,
      chatKinds: new ChatKinds(storage),
      limits: {
        maxGroupMembers: config.MAX_GROUP_MEMBERS,
        maxSocketsPerUser: config.MAX_SOCKETS_PER_USER,
        ...(config.MESSAGE_EDIT_WINDOW_S !== undefined && { messageEditWindowS: config.MESSAGE_EDIT_WINDOW_S }),
      },
      passwords,
      roomPasswords: createRoomPasswords(passwords, { attemptsPerWindow: config.ROOM_PASSWORD_ATTEMPTS, redisClient }),
      accessTokens,
      refreshTokens: new RefreshTokens(storage.refreshTokens, config.REFRESH_TOKEN_TTL_S),
      loginThrottle: createLoginThrottle({
        attemptsPerUsername: config.LOGIN_ATTEMPTS_PER_USERNAME,
        attemptsPerIp: config.LOGIN_ATTEMPTS_PER_IP,
        redisClient,
      }),
      audit,
      sso: ssoKey ? singleSignOn(config, ssoKey, storage, logger, redisClient) : null,
      webhooks: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === true, wake: () => dispatcher.wake() },
      unreadStreamTokens,
      files,
    },
    writeBudget: createWriteBudget({ perSecond: config.WRITES_PER_SECOND, burst: config.WRITES_BURST, redisClient }),
  };

  const orphanSweeper = startOrphanSweeper(pipeline.deps);
  attachSocketAuth({ io, accessTokens, storage, pipeline, socketOperations: table.filter((op) => op.event), config, logger });
  const app = createHttpApp({
    config,
    logger,
    observability,
    rest: {
      config,
      logger,
      pipeline,
      operations: table,
      accessTokens,
      storage,
      adminAuthorization: new AdminAuthorization({ accessTokens, storage, apiKey: config.ADMIN_API_KEY }),
    },
    unreadStream: {
      accessTokens,
      streamTokens: unreadStreamTokens,
      storage,
      hub: unreadHub,
      maxStreamsPerUser: config.MAX_SOCKETS_PER_USER,
      heartbeatMs: 25_000,
    },
  });
  answerHttp = app;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port }, 'listening');
  dispatcher.start();
  reminders.start();

  let closing: Promise<void> | null = null;
  return {
    httpServer,
    httpApp: app,
    storage,
    io,
    pipeline,
    live,
    observability,
    port,
    url,
    close() {
      closing ??= (async () => {
        typing.clear();
        unreadHub.closeAll();
        await Promise.all([dispatcher.stop(), reminders.stop()]);
        await unreadSignals.close();
        orphanSweeper.stop();
        // Leaves shared presence first: the users whose last socket is here go offline everywhere.
        await sharedPresence?.close().catch((error: unknown) => logger.warn({ err: error }, 'leaving shared presence failed'));
        await new Promise<void>((resolve) => {
          // Disconnects every socket, then closes the HTTP server.
          void io.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await scaleOut?.close();
        await files.images.close();
        await files.blobs.close();
        await storage.close();
        await observability.close();
      })();
      return closing;
    },
  };
}

/** Checks the host site's tokens with SSO_SECRET / SSO_PUBLIC_KEY, and spends each once (in Redis with REDIS_URL). */
function singleSignOn(config: Config, key: SsoKey, storage: Storage, logger: Logger, redisClient: unknown) {
  return {
    verifier: new SsoTokenVerifier(key, {
      issuer: config.SSO_ISSUER,
      audience: config.SSO_AUDIENCE,
      maxAgeS: config.SSO_MAX_AGE_S,
      allowNoJti: config.SSO_ALLOW_NO_JTI === true,
    }),
    replay: new SsoReplayGuard({
      store: redisClient ? new RedisSsoTokenUseStore(redisClient as Redis) : storage.ssoTokenUses,
      maxAgeS: config.SSO_MAX_AGE_S,
      logger,
    }),
  };
}
