import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { PasswordWorkLimits } from '../accounts/password-hasher.js';
import { consumeOrThrow, windowLimiter } from './rate-limiter.js';

/** The bcrypt rate limits count over this many seconds. */
export const PASSWORD_WORK_WINDOW_S = 60;

export interface PasswordWorkLimitOptions {
  /** bcrypt operations per signed-in user (and per administrator) per minute. */
  perUserPerMinute: number;
  /** bcrypt operations per client address per minute (register, login). */
  perIpPerMinute: number;
  redisClient?: unknown;
}

/**
 * Rate limits on bcrypt work, by requester key: `ip:<address>` counts against the address's
 * limit, every other key (`user:<id>`, `admin:<id>`) against the per-user one. Taken before a
 * request joins the bcrypt queue, so a limited requester is refused at once (429) and adds
 * nothing to anyone's wait.
 */
export class PasswordRateLimits implements PasswordWorkLimits {
  constructor(
    private readonly byUser: RateLimiterAbstract,
    private readonly byIp: RateLimiterAbstract,
  ) {}

  take(requesterKey: string): Promise<void> {
    const limiter = requesterKey.startsWith('ip:') ? this.byIp : this.byUser;
    return consumeOrThrow(limiter, requesterKey, (retryAfterS) => `Too many password operations; try again in ${retryAfterS} s`);
  }
}

export function createPasswordRateLimits(options: PasswordWorkLimitOptions): PasswordRateLimits {
  return new PasswordRateLimits(
    windowLimiter({ keyPrefix: 'bcrypt-user', points: options.perUserPerMinute, durationS: PASSWORD_WORK_WINDOW_S }, options.redisClient),
    windowLimiter({ keyPrefix: 'bcrypt-ip', points: options.perIpPerMinute, durationS: PASSWORD_WORK_WINDOW_S }, options.redisClient),
  );
}
