import type { Redis } from 'ioredis';

/** Which socket.io Redis adapter fans broadcasts out between the processes. */
export type RedisAdapterKind = 'sharded' | 'classic';

/** REDIS_ADAPTER: a kind, or `auto` to let the server decide. */
export type RedisAdapterSetting = RedisAdapterKind | 'auto';

/**
 * `sharded` when the Redis server knows SPUBLISH (sharded pub/sub, Redis 7+), else `classic`.
 * With the sharded adapter every room has a channel of its own and a process subscribes only to
 * the rooms it has sockets in, so a broadcast reaches only the processes with a member of its
 * room; with the classic one every process receives and decodes every broadcast.
 * An explicit `sharded` on a server without SPUBLISH is a configuration error.
 */
export async function chooseRedisAdapter(redis: Redis, setting: RedisAdapterSetting): Promise<RedisAdapterKind> {
  if (setting === 'classic') return 'classic';
  const sharded = await supportsShardedPubSub(redis);
  if (setting === 'sharded' && !sharded) throw new Error('REDIS_ADAPTER=sharded needs a Redis server with sharded pub/sub (SPUBLISH, Redis 7 or later)');
  return sharded ? 'sharded' : 'classic';
}

/** Whether the server knows SPUBLISH: `COMMAND INFO` answers a nil entry for a command it does not know. */
export async function supportsShardedPubSub(redis: Redis): Promise<boolean> {
  const answer = (await redis.call('COMMAND', 'INFO', 'SPUBLISH')) as unknown[];
  return Array.isArray(answer) && Array.isArray(answer[0]);
}
