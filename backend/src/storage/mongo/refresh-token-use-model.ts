import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The spending of one refresh token, in the `refreshTokenUses` collection: `_id` is the token's
 * id, so a token can be spent once, enforced by the primary key.
 *
 * Spending is an insert rather than a compare-and-set update of the token document because
 * FerretDB 1.x applies an update by reading the document and writing it back whole: two
 * concurrent "set usedAt where usedAt is null" updates can both succeed there, and a spend
 * racing a revocation could write revokedAt away. An insert into a unique key is atomic on
 * MongoDB and FerretDB alike, and the token document is only ever written to revoke it.
 */
export interface RefreshTokenUseDoc {
  _id: string;
  usedAt: string;
}

const refreshTokenUseSchema = new Schema<RefreshTokenUseDoc>(
  {
    _id: { type: String, required: true },
    usedAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

export function refreshTokenUseModel(connection: Connection): Model<RefreshTokenUseDoc> {
  return connection.model<RefreshTokenUseDoc>('RefreshTokenUse', refreshTokenUseSchema, 'refreshTokenUses');
}
