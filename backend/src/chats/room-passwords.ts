import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { PasswordHasher, PasswordRequester } from '../accounts/password-hasher.js';
import { AppError } from '../app-error.js';

/** Attempts are counted over this many seconds. */
export const ROOM_PASSWORD_WINDOW_S = 15 * 60;

/**
 * Room passwords: stored only as bcrypt hashes, and guessing is throttled per user and room.
 * Every attempt takes a point before the password is compared, so parallel guesses cannot
 * slip past the limit; the right password clears the counter.
 */
export class RoomPasswords {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly attempts: RateLimiterAbstract,
  ) {}

  hash(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /** The same throttle, its bcrypt work rate-limited and queued as `requester`'s. */
  as(requester: PasswordRequester): RoomPasswords {
    return new RoomPasswords(this.hasher.as(requester), this.attempts);
  }

  /** @throws AppError wrong_password (also when none was given), rate_limited once the attempts are spent. */
  async check(userId: string, chatId: string, passwordHash: string, given: string | undefined): Promise<void> {
    if (given === undefined || given === '') throw new AppError('wrong_password', 'This group needs a password');
    const key = `${userId}:${chatId}`;
    try {
      await this.attempts.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const retryAfterS = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new AppError('rate_limited', `Too many wrong passwords for this group; try again in ${retryAfterS} s`, undefined, retryAfterS);
      }
      throw rejection;
    }
    if (!(await this.hasher.verify(given, passwordHash))) throw new AppError('wrong_password', 'Wrong password for this group');
    await this.attempts.delete(key);
  }
}

/** Counters live in memory, or in Redis when a connected ioredis client is given (shared by all processes). */
export function createRoomPasswords(hasher: PasswordHasher, options: { attemptsPerWindow: number; redisClient?: unknown }): RoomPasswords {
  const settings = { keyPrefix: 'room-password', points: options.attemptsPerWindow, duration: ROOM_PASSWORD_WINDOW_S };
  const limiter = options.redisClient
    ? new RateLimiterRedis({ ...settings, storeClient: options.redisClient })
    : new RateLimiterMemory(settings);
  return new RoomPasswords(hasher, limiter);
}
