import type { Config } from '../config.js';
import type { Storage } from '../storage/storage.js';
import { Metrics } from './metrics.js';
import { Readiness } from './readiness.js';
import { createRedisReadinessCheck } from './redis-readiness-check.js';

/** The process's metrics and readiness checks, made once at start-up and shared by HTTP and sockets. */
export interface Observability {
  metrics: Metrics;
  /** Other parts add their own checks with `readiness.add(name, check)`. */
  readiness: Readiness;
  /** Releases what the checks hold (the Redis client). */
  close(): Promise<void>;
}

/** Registers the `store` check, and the `redis` check when REDIS_URL is set. */
export function createObservability(config: Pick<Config, 'REDIS_URL'>, storage: Storage, metrics: Metrics = new Metrics()): Observability {
  const readiness = new Readiness();
  readiness.add('store', () => storage.ping());
  const redis = config.REDIS_URL ? createRedisReadinessCheck(config.REDIS_URL) : null;
  if (redis) readiness.add('redis', redis.check);
  return {
    metrics,
    readiness,
    async close() {
      await redis?.close();
    },
  };
}
