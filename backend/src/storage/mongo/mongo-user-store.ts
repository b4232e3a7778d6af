import { ConflictError, NotFoundError } from '../errors.js';
import { newUserRecord, patchedUserFields } from '../records/user.js';
import { userPageOf } from '../records/user-page.js';
import { firstKeyAfterPrefix, usernameKey } from '../records/username-key.js';
import type { NewUser, UserPage, UserPatch, UserRecord, UserStore } from '../storage.js';
import { duplicateKeyField, isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoMemberLists } from './mongo-member-lists.js';
import type { MongoModels } from './mongo-models.js';
import { docToUser, userToDoc, type UserDoc } from './user-model.js';

export class MongoUserStore implements UserStore {
  constructor(
    private readonly models: MongoModels,
    private readonly memberLists: MongoMemberLists,
  ) {}

  async create(user: NewUser): Promise<UserRecord> {
    const record = newUserRecord(user, new Date().toISOString());
    try {
      await this.models.users.insertMany([userToDoc(record)]);
    } catch (error) {
      throw await this.conflictOf(error, [record]);
    }
    return record;
  }

  /**
   * All or none without a transaction: names taken inside the batch are refused up front; the
   * batch is then inserted in order, and when a unique index refuses one of them (a name taken
   * meanwhile), the ones already inserted are removed again before the conflict is reported.
   */
  async createMany(users: NewUser[]): Promise<UserRecord[]> {
    if (users.length === 0) return [];
    const now = new Date().toISOString();
    const records = users.map((user) => newUserRecord(user, now));
    const seenNames = new Set<string>();
    const seenExternalIds = new Set<string>();
    for (const record of records) {
      const key = usernameKey(record.username);
      if (seenNames.has(key)) throw usernameTaken(record.username);
      seenNames.add(key);
      if (record.externalId !== null) {
        if (seenExternalIds.has(record.externalId)) throw new ConflictError('externalId');
        seenExternalIds.add(record.externalId);
      }
    }
    try {
      await this.models.users.insertMany(records.map(userToDoc), { ordered: true });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        await withMongoErrors(() => this.models.users.deleteMany({ _id: { $in: records.map((record) => record.id) } }));
      }
      throw await this.conflictOf(error, records);
    }
    return records;
  }

  async byId(id: string): Promise<UserRecord | null> {
    const doc = await withMongoErrors(() => this.models.users.findById(id).lean<UserDoc>());
    return doc ? docToUser(doc) : null;
  }

  async byIds(ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const docs = await withMongoErrors(() =>
      this.models.users.find({ _id: { $in: ids } }).sort({ _id: 1 }).lean<UserDoc[]>(),
    );
    return docs.map(docToUser);
  }

  async byUsername(username: string): Promise<UserRecord | null> {
    const doc = await withMongoErrors(() =>
      this.models.users.findOne({ usernameLower: usernameKey(username) }).lean<UserDoc>(),
    );
    return doc ? docToUser(doc) : null;
  }

  async byExternalId(externalId: string): Promise<UserRecord | null> {
    const doc = await withMongoErrors(() => this.models.users.findOne({ externalId }).lean<UserDoc>());
    return doc ? docToUser(doc) : null;
  }

  async search(options: { prefix?: string; after?: string; limit: number }): Promise<UserPage> {
    const prefix = usernameKey(options.prefix ?? '');
    const after = options.after ?? '';
    const range: Record<string, string> = {};
    if (prefix !== '') {
      range.$gte = prefix;
      range.$lt = firstKeyAfterPrefix(prefix);
    }
    // A cursor below the prefix (say, from another search) cannot skip anything.
    if (after !== '' && after >= prefix) {
      delete range.$gte;
      range.$gt = after;
    }
    const filter = {
      status: { $ne: 'deleted' as const },
      ...(Object.keys(range).length > 0 && { usernameLower: range }),
    };
    // One document more than asked tells whether another page follows.
    const docs = await withMongoErrors(() =>
      this.models.users
        .find(filter)
        .sort({ usernameLower: 1 })
        .limit(options.limit + 1)
        .lean<UserDoc[]>(),
    );
    return userPageOf(docs, options.limit, docToUser, (doc) => doc.usernameLower);
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord> {
    const changes: Partial<UserDoc> = { updatedAt: new Date().toISOString(), ...patchedUserFields(patch) };
    if (patch.username !== undefined) changes.usernameLower = usernameKey(patch.username);
    let doc: UserDoc | null;
    try {
      doc = await this.models.users
        .findOneAndUpdate({ _id: id }, { $set: changes }, { returnDocument: 'after' })
        .lean<UserDoc>();
    } catch (error) {
      if (patch.username !== undefined && isDuplicateKeyError(error)) throw usernameTaken(patch.username);
      throw translateMongoError(error);
    }
    if (!doc) throw new NotFoundError('user', id);
    return docToUser(doc);
  }

  /** Removes the user with the records that belong to them alone: memberships, blocks both ways, refresh tokens. */
  async delete(id: string): Promise<void> {
    const { deletedCount } = await withMongoErrors(() => this.models.users.deleteOne({ _id: id }));
    if (deletedCount === 0) throw new NotFoundError('user', id);
    await withMongoErrors(async () => {
      const tokens = await this.models.refreshTokens.find({ userId: id }, { _id: 1 }).lean<Array<{ _id: string }>>();
      await Promise.all([
        this.models.memberships.deleteMany({ userId: id }).exec().finally(() => this.memberLists.clear()),
        this.models.blocks.deleteMany({ $or: [{ blockerId: id }, { blockedId: id }] }),
        this.models.refreshTokenUses.deleteMany({ _id: { $in: tokens.map((token) => token._id) } }),
      ]);
      await this.models.refreshTokens.deleteMany({ userId: id });
    });
  }

  /**
   * The conflict a failed insert of `records` stands for. MongoDB names the index in its error;
   * FerretDB 1.x does not, so then the stored users are asked which name or external id is taken.
   */
  private async conflictOf(error: unknown, records: UserRecord[]): Promise<unknown> {
    if (!isDuplicateKeyError(error)) return translateMongoError(error);
    const field = duplicateKeyField(error);
    if (field !== null && field !== 'username') return new ConflictError(field);
    const ownIds = records.map((record) => record.id);
    const takenNames = await withMongoErrors(() =>
      this.models.users
        .find({ usernameLower: { $in: records.map((record) => usernameKey(record.username)) }, _id: { $nin: ownIds } })
        .lean<UserDoc[]>(),
    );
    const taken = new Set(takenNames.map((doc) => doc.usernameLower));
    const first = records.find((record) => taken.has(usernameKey(record.username)));
    if (first) return usernameTaken(first.username);
    if (field === 'username') return new ConflictError('username');
    const externalIds = records.flatMap((record) => (record.externalId === null ? [] : [record.externalId]));
    if (externalIds.length > 0) return new ConflictError('externalId');
    return new ConflictError('id');
  }
}

function usernameTaken(username: string): ConflictError {
  return new ConflictError('username', `username "${username}" is already taken`);
}
