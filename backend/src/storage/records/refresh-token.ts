/** The refresh token record both adapters store. */
import type { NewRefreshToken, RefreshTokenRecord } from '../storage.js';

/** A token created `now`: neither used nor revoked. */
export function newRefreshTokenRecord(token: NewRefreshToken, now: string): RefreshTokenRecord {
  return {
    id: token.id,
    userId: token.userId,
    familyId: token.familyId,
    tokenHash: token.tokenHash,
    expiresAt: token.expiresAt,
    createdAt: now,
    usedAt: null,
    revokedAt: null,
  };
}
