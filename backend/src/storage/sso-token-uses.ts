/**
 * The storage port's part for single-use SSO tokens: a record of each host token spent, kept
 * until the token could no longer be accepted anyway. Adapters: sqlite/sqlite-sso-token-use-store.ts,
 * mongo/mongo-sso-token-use-store.ts, and (with REDIS_URL) sso/redis-sso-token-use-store.ts. All
 * pass contract/sso-token-use-contract.ts.
 */
import { createHash } from 'node:crypto';

export interface SsoTokenUse {
  /** The token's `iss` ('' when it has none): a jti only has to be unique per issuer. */
  issuer: string;
  /** The token's `jti`. */
  jti: string;
  /** ISO-8601: until when the use is remembered (after that the token is refused as expired anyway). */
  expiresAt: string;
}

export interface SsoTokenUseStore {
  /**
   * Records the use. True when it was new (or its earlier record had expired); false when the
   * same issuer and jti are already recorded and not expired. Atomic: of any number of
   * concurrent claims of one (issuer, jti), in any process, exactly one gets true.
   */
  claim(use: SsoTokenUse): Promise<boolean>;
  /** Deletes the records expired at `now`; returns how many. */
  purgeExpired(now?: Date): Promise<number>;
}

/**
 * The one key of an (issuer, jti) pair: a SHA-256 of both, so the key has a fixed length and
 * no separator in either value can make two pairs collide.
 */
export function ssoTokenUseKey(issuer: string, jti: string): string {
  return createHash('sha256').update(JSON.stringify([issuer, jti]), 'utf8').digest('hex');
}
