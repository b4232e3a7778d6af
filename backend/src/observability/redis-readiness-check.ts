import { Redis } from 'ioredis';
import type { ReadinessCheck } from './readiness.js';

const PING_TIMEOUT_MS = 1_000;

export interface RedisReadinessCheck {
  check: ReadinessCheck;
  close(): Promise<void>;
}

/**
 * A PING against Redis with its own small client: it connects on first use, never queues
 * commands while disconnected and gives up after one retry, so a stopped Redis shows up as a
 * failed check within about a second instead of a request that hangs.
 */
export function createRedisReadinessCheck(redisUrl: string): RedisReadinessCheck {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: PING_TIMEOUT_MS,
    commandTimeout: PING_TIMEOUT_MS,
    // Keep trying in the background, but slowly: readiness must not hammer a Redis that is down.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors surface through the check; without a listener ioredis would log them.
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  client.on('ready', () => {
    lastError = '';
  });
  const why = (state: string) => (lastError ? `${state}: ${lastError}` : state);

  return {
    async check() {
      if (client.status === 'wait' || client.status === 'end') {
        await client.connect().catch((error: unknown) => {
          throw new Error(why(`cannot connect (${describe(error)})`), { cause: error });
        });
      }
      if (client.status !== 'ready') throw new Error(why(`not connected (${client.status})`));
      try {
        const answer = await client.ping();
        if (answer !== 'PONG') throw new Error(`unexpected PING answer`);
      } catch (error) {
        throw new Error(`PING failed: ${describe(error)}`, { cause: error });
      }
    },
    async close() {
      client.disconnect();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
