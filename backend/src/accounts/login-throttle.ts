import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../app-error.js';

/** Both counters forget after this many seconds. */
export const LOGIN_THROTTLE_WINDOW_S = 15 * 60;

export interface LoginThrottleOptions {
  /** Failed attempts allowed per username within the window. */
  attemptsPerUsername: number;
  /** Failed attempts allowed per client address within the window. */
  attemptsPerIp: number;
  /** A connected ioredis client shares the counters between processes; without one they live in memory. */
  redisClient?: unknown;
}

/**
 * Slows down password guessing. Every attempt takes a point from the username's counter and
 * from the address's counter before the password is checked, so parallel guesses cannot slip
 * past the limit; a successful login hands both points back and clears the username's counter.
 */
export class LoginThrottle {
  constructor(
    private readonly byUsername: RateLimiterAbstract,
    private readonly byIp: RateLimiterAbstract,
  ) {}

  /** Takes one attempt from both counters. @throws AppError('rate_limited') with retryAfterS. */
  async beginAttempt(username: string, ip: string): Promise<void> {
    await take(this.byIp, ip, 'Too many failed sign-in attempts from this address; try again later');
    await take(this.byUsername, usernameKey(username), 'Too many failed sign-in attempts for this account; try again later');
  }

  /** The attempt was refused before the password was checked (server busy): both counters get their point back. */
  async cancelAttempt(username: string, ip: string): Promise<void> {
    await Promise.all([this.byUsername.reward(usernameKey(username), 1), this.byIp.reward(ip, 1)]);
  }

  /** The attempt succeeded: it does not count against the address, and the username starts afresh. */
  async succeeded(username: string, ip: string): Promise<void> {
    await Promise.all([this.byUsername.delete(usernameKey(username)), this.byIp.reward(ip, 1)]);
  }
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const limiter = (keyPrefix: string, points: number): RateLimiterAbstract =>
    options.redisClient
      ? new RateLimiterRedis({ storeClient: options.redisClient, keyPrefix, points, duration: LOGIN_THROTTLE_WINDOW_S })
      : new RateLimiterMemory({ keyPrefix, points, duration: LOGIN_THROTTLE_WINDOW_S });
  return new LoginThrottle(
    limiter('login-fail-username', options.attemptsPerUsername),
    limiter('login-fail-ip', options.attemptsPerIp),
  );
}

function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

async function take(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new AppError('rate_limited', message, undefined, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    throw rejection;
  }
}
