import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisPresenceRegistry } from '../presence/redis-presence-registry.js';
import { chooseRedisAdapter, type RedisAdapterKind, type RedisAdapterSetting } from './redis-adapter-kind.js';

/** How long start-up waits for Redis before giving up (fail fast: a misconfigured REDIS_URL stops the process). */
const CONNECT_TIMEOUT_MS = 10_000;
/** The pub/sub channel prefix of the socket.io adapter. */
const ADAPTER_KEY = 'chat-socket.io';

/**
 * What REDIS_URL turns on, so that several server processes behind any load balancer act as one:
 * - `adapter`: socket.io's Redis adapter (one publishing and one subscribed ioredis connection).
 *   Room broadcasts, socketsJoin/socketsLeave, disconnectSockets and fetchSockets reach the
 *   sockets of every process. `adapterKind` says which (redis-adapter-kind.ts): the sharded one
 *   (a channel per room, subscribed only by the processes with sockets in it) when the server
 *   has sharded pub/sub, the classic one (every process hears every broadcast) otherwise.
 * - `redis`: a command connection for the shared rate limiters (login throttle, room passwords)
 *   and the presence registry.
 * - `startPresence()`: the cluster-wide, multi-tab presence registry (heartbeats, sweeper).
 *
 * Clients must use the WebSocket transport only: a long-polling session is bound to the process
 * that opened it, which would need sticky routing at the load balancer.
 */
export interface ScaleOut {
  adapter: ReturnType<typeof createAdapter> | ReturnType<typeof createShardedAdapter>;
  adapterKind: RedisAdapterKind;
  redis: Redis;
  startPresence(options: { ttlSeconds: number; announce: (userId: string, online: boolean) => void }): Promise<RedisPresenceRegistry>;
  /** Closes the Redis connections (after the presence registry and socket.io have been closed). */
  close(): Promise<void>;
}

export async function connectScaleOut(redisUrl: string, logger: Logger, adapterSetting: RedisAdapterSetting = 'auto'): Promise<ScaleOut> {
  const log = logger.child({ component: 'redis' });
  const connection = (role: string) => {
    const client = new Redis(redisUrl, {
      lazyConnect: true,
      connectionName: `chat-${role}`,
      // A command waits through a few reconnection attempts, then fails (the request gets an error).
      maxRetriesPerRequest: 3,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    let reported = false;
    client.on('error', (error: Error) => {
      // ioredis repeats the error at every reconnection attempt: log the first of a series.
      if (!reported) log.warn({ role, err: error.message }, 'redis connection error');
      reported = true;
    });
    client.on('ready', () => {
      if (reported) log.info({ role }, 'redis connection restored');
      reported = false;
    });
    return client;
  };
  const pub = connection('pub');
  const sub = connection('sub');
  // The adapter's close() unsubscribes without handling the answer: with Redis down, that would
  // be an unhandled rejection at shutdown. The outcome does not matter then, so mark it handled.
  for (const method of ['punsubscribe', 'unsubscribe', 'sunsubscribe'] as const) {
    const original = sub[method].bind(sub) as (...args: unknown[]) => Promise<unknown>;
    (sub as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const answer = original(...args);
      answer.catch(() => {});
      return answer;
    };
  }
  const redis = connection('commands');
  const clients = [pub, sub, redis];
  let adapterKind: RedisAdapterKind;
  try {
    await withTimeout(Promise.all(clients.map((client) => client.connect())), CONNECT_TIMEOUT_MS, 'cannot reach Redis (REDIS_URL)');
    adapterKind = await withTimeout(chooseRedisAdapter(redis, adapterSetting), CONNECT_TIMEOUT_MS, 'Redis did not answer COMMAND INFO');
  } catch (error) {
    for (const client of clients) client.disconnect();
    throw error;
  }
  log.info({ adapter: adapterKind }, 'redis adapter connected');

  return {
    adapter:
      adapterKind === 'sharded'
        ? createShardedAdapter(pub, sub, { channelPrefix: ADAPTER_KEY, subscriptionMode: 'dynamic' })
        : createAdapter(pub, sub, { key: ADAPTER_KEY, publishOnSpecificResponseChannel: true }),
    adapterKind,
    redis,
    async startPresence({ ttlSeconds, announce }) {
      const registry = new RedisPresenceRegistry({
        redis,
        ttlSeconds,
        announce,
        onError: (error, during) => log.warn({ err: error instanceof Error ? error.message : String(error) }, `${during} failed`),
      });
      await registry.start();
      log.info({ processId: registry.processId, ttlSeconds }, 'shared presence started');
      return registry;
    },
    async close() {
      await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
