import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../app-error.js';
import { newId } from '../storage/ids.js';
import type { RefreshTokenRecord, RefreshTokenStore } from '../storage/storage.js';

/** SHA-256 of the opaque token: the only form in which it is stored. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/**
 * Opaque, single-use refresh tokens. Each login starts a family; every refresh spends the
 * presented token and issues its successor in the same family. Presenting a spent token
 * means it was copied, so the whole family is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly store: RefreshTokenStore,
    readonly ttlSeconds: number,
  ) {}

  /** A fresh token for the user; a new family unless `familyId` continues one. */
  async issue(userId: string, familyId: string = newId()): Promise<{ token: string; record: RefreshTokenRecord }> {
    const token = randomBytes(32).toString('base64url');
    const record = await this.store.create({
      id: newId(),
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + this.ttlSeconds * 1000).toISOString(),
    });
    return { token, record };
  }

  /**
   * Spends the token and returns its record, so the caller can issue the successor.
   * @throws AppError('unauthenticated') for an unknown, expired, revoked or already spent token;
   *   a spent one revokes its family first.
   */
  async spend(token: string): Promise<RefreshTokenRecord> {
    const record = await this.store.byHash(hashRefreshToken(token));
    if (!record || record.revokedAt !== null) throw new AppError('unauthenticated', 'Invalid refresh token');
    if (record.usedAt !== null) return this.reused(record);
    if (Date.parse(record.expiresAt) <= Date.now()) throw new AppError('unauthenticated', 'Refresh token expired');
    // Two requests racing with the same token: only one wins; the other counts as reuse.
    if (!(await this.store.markUsed(record.id))) return this.reused(record);
    return record;
  }

  /** Ends the session the token belongs to. Unknown tokens are ignored. */
  async revokeSession(token: string): Promise<RefreshTokenRecord | null> {
    const record = await this.store.byHash(hashRefreshToken(token));
    if (record) await this.store.revokeFamily(record.familyId);
    return record;
  }

  revokeFamily(familyId: string): Promise<void> {
    return this.store.revokeFamily(familyId);
  }

  private async reused(record: RefreshTokenRecord): Promise<never> {
    await this.store.revokeFamily(record.familyId);
    throw new ReusedRefreshTokenError(record);
  }
}

/** A spent refresh token came back: its family is now revoked. */
export class ReusedRefreshTokenError extends AppError {
  constructor(readonly record: RefreshTokenRecord) {
    super('unauthenticated', 'This refresh token was already used; the session has been ended');
  }
}
