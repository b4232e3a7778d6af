import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../app-error.js';

export interface WindowLimit {
  /** Key prefix in Redis (and in memory). */
  keyPrefix: string;
  /** Points per window. */
  points: number;
  /** Window length, whole seconds. */
  durationS: number;
}

/**
 * A fixed-window counter: in memory, or in Redis when a connected ioredis client is given, so
 * that every process shares it. With Redis, a key that has spent its points is refused from
 * memory for the rest of its window (no Redis round trip for a flooding client), and while
 * Redis is unreachable each process counts on its own rather than failing the request.
 */
export function windowLimiter(limit: WindowLimit, redisClient?: unknown): RateLimiterAbstract {
  const settings = { keyPrefix: limit.keyPrefix, points: limit.points, duration: limit.durationS };
  if (!redisClient) return new RateLimiterMemory(settings);
  return new RateLimiterRedis({
    ...settings,
    storeClient: redisClient,
    inMemoryBlockOnConsumed: limit.points,
    insuranceLimiter: new RateLimiterMemory(settings),
  });
}

/** Takes `points` from `key`. @throws AppError('rate_limited', message(retryAfterS)) with retryAfterS once the window's points are spent. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, message: (retryAfterS: number) => string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const retryAfterS = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError('rate_limited', message(retryAfterS), undefined, retryAfterS);
    }
    throw rejection;
  }
}
