import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrThrow, windowLimiter } from './rate-limiter.js';

export interface WriteBudgetOptions {
  /** Sustained writes per second per user (WRITES_PER_SECOND). */
  perSecond: number;
  /** Writes a user may make at once (WRITES_BURST). */
  burst: number;
  /** A connected ioredis client shares the budget between processes. */
  redisClient?: unknown;
}

/**
 * One budget of writes per user, whatever the transport: the operations of the `write` class
 * (send, open a direct chat, delete a chat, create/update/join/leave a group, block/unblock)
 * take from it in the request pipeline, so REST calls and socket events draw on the same
 * counter, in every process when Redis is on. It counts `burst` writes per window of burst / perSecond seconds (whole
 * seconds, at least 1): the average is the sustained rate, a burst of `burst` passes at once.
 */
export class WriteBudget {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  /** @throws AppError rate_limited with retryAfterS when the user's budget is spent. */
  take(userId: string): Promise<void> {
    return consumeOrThrow(this.limiter, userId, (retryAfterS) => `Too many changes; try again in ${retryAfterS} s`);
  }
}

/** The window of a budget: `burst` writes per this many whole seconds. */
export function writeWindowSeconds(options: Pick<WriteBudgetOptions, 'perSecond' | 'burst'>): number {
  return Math.max(1, Math.round(options.burst / options.perSecond));
}

export function createWriteBudget(options: WriteBudgetOptions): WriteBudget {
  return new WriteBudget(
    windowLimiter({ keyPrefix: 'writes', points: options.burst, durationS: writeWindowSeconds(options) }, options.redisClient),
  );
}
