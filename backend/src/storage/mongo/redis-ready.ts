import type { Redis } from 'ioredis';

/**
 * Resolves once every client is connected; rejects with `purpose` named after `timeoutMs`, so
 * that a misconfigured REDIS_URL fails start-up instead of leaving the store half-working.
 */
export async function redisReady(clients: readonly Redis[], timeoutMs: number, purpose: string): Promise<void> {
  const up = (client: Redis) =>
    client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(clients.map(up)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`cannot reach Redis (REDIS_URL) for ${purpose}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
