import { Schema, type Connection, type Model } from 'mongoose';
import type { RefreshTokenRecord } from '../storage.js';

/**
 * A refresh token (its hash, never the token) in the `refreshTokens` collection. When it was
 * spent is kept apart, in `refreshTokenUses` (see refresh-token-use-model.ts).
 */
export interface RefreshTokenDoc {
  _id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
}

const refreshTokenSchema = new Schema<RefreshTokenDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    familyId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    expiresAt: { type: String, required: true },
    createdAt: { type: String, required: true },
    revokedAt: { type: String, default: null },
  },
  { versionKey: false, id: false },
);

refreshTokenSchema.index({ tokenHash: 1 }, { name: 'refreshTokens_tokenHash', unique: true });
refreshTokenSchema.index({ familyId: 1 }, { name: 'refreshTokens_familyId' });
refreshTokenSchema.index({ userId: 1 }, { name: 'refreshTokens_userId' });

export function refreshTokenModel(connection: Connection): Model<RefreshTokenDoc> {
  return connection.model<RefreshTokenDoc>('RefreshToken', refreshTokenSchema, 'refreshTokens');
}

export function refreshTokenToDoc(token: RefreshTokenRecord): RefreshTokenDoc {
  return {
    _id: token.id,
    userId: token.userId,
    familyId: token.familyId,
    tokenHash: token.tokenHash,
    expiresAt: token.expiresAt,
    createdAt: token.createdAt,
    revokedAt: token.revokedAt,
  };
}

export function docToRefreshToken(doc: RefreshTokenDoc, usedAt: string | null): RefreshTokenRecord {
  return {
    id: doc._id,
    userId: doc.userId,
    familyId: doc.familyId,
    tokenHash: doc.tokenHash,
    expiresAt: doc.expiresAt,
    createdAt: doc.createdAt,
    usedAt,
    revokedAt: doc.revokedAt ?? null,
  };
}
