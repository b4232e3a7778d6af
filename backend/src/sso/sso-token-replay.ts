import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { Logger } from 'pino';
import { AppError } from '../app-error.js';
import type { SsoTokenUseStore } from '../storage/sso-token-uses.js';
import { SSO_CLOCK_TOLERANCE_S } from './sso-token-verifier.js';

/** Expired uses are deleted at most this often per process (MongoDB and Redis also expire them themselves). */
const PURGE_INTERVAL_MS = 60_000;

/** The `jti` a token without one is remembered under: its own digest (SSO_ALLOW_NO_JTI). */
const DIGEST_PREFIX = 'sha256:';

export interface SsoReplayGuardOptions {
  store: SsoTokenUseStore;
  /** SSO_MAX_AGE_S. */
  maxAgeS: number;
  logger: Logger;
}

/**
 * Makes each host token single-use: spending it records its issuer and `jti` until the token
 * could no longer be accepted anyway, i.e. min(exp, iat + SSO_MAX_AGE_S) plus the clock
 * tolerance; a second use within that time is refused. A token without `jti` (only accepted with
 * SSO_ALLOW_NO_JTI) is recorded under the SHA-256 of the token itself.
 */
export class SsoReplayGuard {
  private nextPurgeAt = 0;

  constructor(private readonly options: SsoReplayGuardOptions) {}

  /**
   * Call only with claims the verifier accepted (so `exp` and `iat` are numbers).
   * @throws AppError 401 when the token has been used before.
   */
  async spend(token: string, claims: JWTPayload): Promise<void> {
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    const jti = typeof claims.jti === 'string' ? claims.jti : DIGEST_PREFIX + createHash('sha256').update(token, 'utf8').digest('hex');
    const lastAcceptedS = Math.min(claims.exp!, claims.iat! + this.options.maxAgeS) + SSO_CLOCK_TOLERANCE_S;
    // One second more: the verifier still accepts a token in the second it expires.
    const expiresAt = new Date((lastAcceptedS + 1) * 1000).toISOString();
    const fresh = await this.options.store.claim({ issuer, jti, expiresAt });
    this.purgeNowAndThen();
    if (!fresh) throw new AppError('unauthenticated', 'The SSO token has already been used');
  }

  /** Deletes expired uses in the background, at most once per interval; a failure is only logged. */
  private purgeNowAndThen(): void {
    const now = Date.now();
    if (now < this.nextPurgeAt) return;
    this.nextPurgeAt = now + PURGE_INTERVAL_MS;
    this.options.store.purgeExpired().then(
      (removed) => {
        if (removed > 0) this.options.logger.debug({ removed }, 'purged expired SSO token uses');
      },
      (error: unknown) => this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not purge expired SSO token uses'),
    );
  }
}
