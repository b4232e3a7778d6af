import { Schema, type Connection, type Model } from 'mongoose';
import { USER_ROLES, USER_STATUSES } from '../../../../shared/src/schemas/users.js';
import { usernameKey } from '../records/username-key.js';
import type { UserRecord } from '../storage.js';

/**
 * A user as stored in the `users` collection. `externalId` is left out of the document (not
 * stored as null) when the user has none: see the index note below.
 */
export interface UserDoc extends Omit<UserRecord, 'id' | 'externalId'> {
  _id: string;
  /** The lower-cased username (usernameKey): what uniqueness, lookup and search compare. */
  usernameLower: string;
  externalId?: string;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    usernameLower: { type: String, required: true },
    firstName: { type: String },
    lastName: { type: String },
    email: { type: String },
    gender: { type: String, required: true },
    avatarUrl: { type: String, default: null },
    passwordHash: { type: String, default: null },
    role: { type: String, required: true, enum: USER_ROLES },
    status: { type: String, required: true, enum: USER_STATUSES },
    externalId: { type: String },
    // Dates stay ISO-8601 strings, as the port hands them over: they round-trip exactly and sort in time order.
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

userSchema.index({ usernameLower: 1 }, { name: 'users_usernameLower', unique: true });
// Sparse rather than partial: FerretDB 1.x rejects partialFilterExpression. Users without an
// external id have no such field, so neither MongoDB nor FerretDB puts them in the index.
userSchema.index({ externalId: 1 }, { name: 'users_externalId', unique: true, sparse: true });

export function userModel(connection: Connection): Model<UserDoc> {
  return connection.model<UserDoc>('User', userSchema, 'users');
}

export function userToDoc(user: UserRecord): UserDoc {
  return {
    _id: user.id,
    username: user.username,
    usernameLower: usernameKey(user.username),
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    gender: user.gender,
    avatarUrl: user.avatarUrl,
    passwordHash: user.passwordHash,
    role: user.role,
    status: user.status,
    ...(user.externalId !== null && { externalId: user.externalId }),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function docToUser(doc: UserDoc): UserRecord {
  return {
    id: doc._id,
    username: doc.username,
    firstName: doc.firstName,
    lastName: doc.lastName,
    email: doc.email,
    gender: doc.gender,
    avatarUrl: doc.avatarUrl ?? null,
    passwordHash: doc.passwordHash ?? null,
    role: doc.role,
    status: doc.status,
    externalId: doc.externalId ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
