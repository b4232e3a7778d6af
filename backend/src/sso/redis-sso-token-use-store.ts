import type { Redis } from 'ioredis';
import { StoreUnavailableError } from '../storage/errors.js';
import { ssoTokenUseKey, type SsoTokenUse, type SsoTokenUseStore } from '../storage/sso-token-uses.js';

const DEFAULT_PREFIX = 'chat:sso-token-use:';

/**
 * Single-use SSO tokens in Redis (with REDIS_URL), shared by every process: one key per
 * (issuer, jti), set with NX and an expiry, so Redis both decides the race (SET NX is atomic)
 * and forgets the use when it no longer matters.
 */
export class RedisSsoTokenUseStore implements SsoTokenUseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = DEFAULT_PREFIX,
  ) {}

  async claim(use: SsoTokenUse): Promise<boolean> {
    const key = this.prefix + ssoTokenUseKey(use.issuer, use.jti);
    // PX rather than PXAT: a relative expiry does not depend on the Redis host's clock.
    const ttlMs = Math.max(1, Date.parse(use.expiresAt) - Date.now());
    try {
      return (await this.redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK';
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  /** Redis expires the keys itself. */
  async purgeExpired(): Promise<number> {
    return 0;
  }
}
