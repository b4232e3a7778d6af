import { NotFoundError } from '../errors.js';
import { newRefreshTokenRecord } from '../records/refresh-token.js';
import type { NewRefreshToken, RefreshTokenRecord, RefreshTokenStore } from '../storage.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { docToRefreshToken, refreshTokenToDoc, type RefreshTokenDoc } from './refresh-token-model.js';
import type { RefreshTokenUseDoc } from './refresh-token-use-model.js';

export class MongoRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly models: MongoModels) {}

  async create(token: NewRefreshToken): Promise<RefreshTokenRecord> {
    const userExists = await withMongoErrors(() => this.models.users.exists({ _id: token.userId }));
    if (!userExists) throw new NotFoundError('user', token.userId);
    const record = newRefreshTokenRecord(token, new Date().toISOString());
    try {
      await this.models.refreshTokens.insertMany([refreshTokenToDoc(record)]);
    } catch (error) {
      // Ids are fresh ULIDs: the one unique value a caller can repeat is the hash.
      throw translateMongoError(error, 'tokenHash');
    }
    return record;
  }

  async byHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const doc = await withMongoErrors(() => this.models.refreshTokens.findOne({ tokenHash }).lean<RefreshTokenDoc>());
    if (!doc) return null;
    const use = await withMongoErrors(() => this.models.refreshTokenUses.findById(doc._id).lean<RefreshTokenUseDoc>());
    return docToRefreshToken(doc, use?.usedAt ?? null);
  }

  /**
   * Spends the token by inserting its use: the primary key of `refreshTokenUses` lets exactly
   * one of any number of concurrent callers (in any process) succeed.
   */
  async markUsed(id: string): Promise<boolean> {
    const token = await withMongoErrors(() => this.models.refreshTokens.findById(id).lean<RefreshTokenDoc>());
    if (!token || token.revokedAt !== null) return false;
    try {
      await this.models.refreshTokenUses.insertMany([{ _id: id, usedAt: new Date().toISOString() }]);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw translateMongoError(error);
    }
  }

  async revoke(id: string): Promise<void> {
    await withMongoErrors(() =>
      this.models.refreshTokens.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: new Date().toISOString() } }),
    );
  }

  async revokeFamily(familyId: string): Promise<void> {
    await withMongoErrors(() =>
      this.models.refreshTokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date().toISOString() } }),
    );
  }

  async revokeAllOfUser(userId: string, options: { exceptFamilyId?: string } = {}): Promise<void> {
    const filter =
      options.exceptFamilyId === undefined ? { userId, revokedAt: null } : { userId, revokedAt: null, familyId: { $ne: options.exceptFamilyId } };
    await withMongoErrors(() => this.models.refreshTokens.updateMany(filter, { $set: { revokedAt: new Date().toISOString() } }));
  }
}
