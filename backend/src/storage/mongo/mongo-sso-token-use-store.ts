import { Schema, type Connection, type Model } from 'mongoose';
import { ssoTokenUseKey, type SsoTokenUse, type SsoTokenUseStore } from '../sso-token-uses.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';

/**
 * One spent SSO token in the `ssoTokenUses` collection: `_id` is the key of its issuer and jti
 * (sso-token-uses.ts), so a token is spent once, enforced by the primary key; `expiresAt` is a
 * BSON date so that MongoDB's TTL monitor can remove it.
 */
interface SsoTokenUseDoc {
  _id: string;
  expiresAt: Date;
}

const COLLECTION = 'ssoTokenUses';
const EXPIRY_INDEX = 'ssoTokenUses_expiresAt';
/** The server's answer to an option it does not implement (FerretDB 1.x for TTL indexes). */
const NOT_IMPLEMENTED = 238;

const ssoTokenUseSchema = new Schema<SsoTokenUseDoc>(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, id: false },
);

/**
 * Opens the store on `connection`, creating its expiry index first: a TTL index on MongoDB; on
 * FerretDB 1.x, which has no TTL indexes, a plain one that serves purgeExpired (which the SSO
 * sign-in calls now and then on every store, so expired entries go either way).
 */
export async function openMongoSsoTokenUseStore(connection: Connection): Promise<MongoSsoTokenUseStore> {
  const model = connection.model<SsoTokenUseDoc>('SsoTokenUse', ssoTokenUseSchema, COLLECTION);
  try {
    await model.collection.createIndex({ expiresAt: 1 }, { name: EXPIRY_INDEX, expireAfterSeconds: 0 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== NOT_IMPLEMENTED) throw error;
    await model.collection.createIndex({ expiresAt: 1 }, { name: EXPIRY_INDEX });
  }
  return new MongoSsoTokenUseStore(model);
}

export class MongoSsoTokenUseStore implements SsoTokenUseStore {
  constructor(private readonly model: Model<SsoTokenUseDoc>) {}

  /**
   * An insert into the primary key decides: exactly one of any number of concurrent inserts
   * succeeds, on MongoDB and FerretDB alike (no transactions or compare-and-set updates needed).
   * A duplicate whose record has expired (not yet removed) is deleted and the insert tried once
   * more; if another claim got in between, that insert fails and this claim loses.
   */
  async claim(use: SsoTokenUse): Promise<boolean> {
    const _id = ssoTokenUseKey(use.issuer, use.jti);
    const doc: SsoTokenUseDoc = { _id, expiresAt: new Date(use.expiresAt) };
    if (await this.insert(doc)) return true;
    const { deletedCount } = await withMongoErrors(() => this.model.deleteOne({ _id, expiresAt: { $lte: new Date() } }));
    return deletedCount === 1 && (await this.insert(doc));
  }

  async purgeExpired(now: Date = new Date()): Promise<number> {
    const { deletedCount } = await withMongoErrors(() => this.model.deleteMany({ expiresAt: { $lte: now } }));
    return deletedCount;
  }

  /** False when the key is taken. */
  private async insert(doc: SsoTokenUseDoc): Promise<boolean> {
    try {
      await this.model.insertMany([doc]);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw translateMongoError(error);
    }
  }
}
