import type { Database, Statement } from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../errors.js';
import { newUserRecord, patchedUserFields } from '../records/user.js';
import { userPageOf } from '../records/user-page.js';
import { firstKeyAfterPrefix, usernameKey } from '../records/username-key.js';
import type { NewUser, UserPage, UserPatch, UserRecord, UserStore } from '../storage.js';
import { translateSqliteError, withStorageErrors } from './sqlite-errors.js';
import type { SqliteMemberLists } from './sqlite-member-lists.js';
import { namedPlaceholders, rowToUser, USER_COLUMNS, userToRow, type UserRow } from './sqlite-rows.js';

/** Bounds on username_key for one search page; `limit` asks for one row more than the page. */
interface SearchBounds {
  after?: string;
  from?: string;
  until?: string;
  limit: number;
}

export class SqliteUserStore implements UserStore {
  private readonly insert: Statement<[UserRow]>;
  private readonly selectById: Statement<[string], UserRow>;
  private readonly selectByIds: Statement<[string], UserRow>;
  private readonly selectByKey: Statement<[string], UserRow>;
  private readonly selectByExternalId: Statement<[string], UserRow>;
  /** Every name after the cursor. */
  private readonly searchAfter: Statement<[SearchBounds], UserRow>;
  /** Names with the prefix: [from, until). */
  private readonly searchRange: Statement<[SearchBounds], UserRow>;
  /** Names with the prefix after the cursor: (after, until). */
  private readonly searchRangeAfter: Statement<[SearchBounds], UserRow>;
  private readonly updateRow: Statement<[UserRow]>;
  private readonly deleteById: Statement<[string]>;
  private readonly insertAll: (users: UserRecord[]) => void;
  private readonly patchUser: (id: string, patch: UserPatch) => UserRecord;

  constructor(
    db: Database,
    private readonly memberLists: SqliteMemberLists,
  ) {
    this.insert = db.prepare(`INSERT INTO users (${USER_COLUMNS}) VALUES (${namedPlaceholders(USER_COLUMNS)})`);
    this.selectById = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`);
    this.selectByIds = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id IN (SELECT value FROM json_each(?))`);
    this.selectByKey = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username_key = ?`);
    this.selectByExternalId = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE external_id = ?`);
    const search = (bounds: string) =>
      db.prepare<[SearchBounds], UserRow>(
        `SELECT ${USER_COLUMNS} FROM users WHERE status <> 'deleted' AND ${bounds} ORDER BY username_key LIMIT @limit`,
      );
    this.searchAfter = search('username_key > @after');
    this.searchRange = search('username_key >= @from AND username_key < @until');
    this.searchRangeAfter = search('username_key > @after AND username_key < @until');
    const assignments = USER_COLUMNS.split(', ')
      .filter((column) => column !== 'id' && column !== 'created_at')
      .map((column) => `${column} = @${column}`)
      .join(', ');
    this.updateRow = db.prepare(`UPDATE users SET ${assignments} WHERE id = @id`);
    this.deleteById = db.prepare('DELETE FROM users WHERE id = ?');

    this.insertAll = db.transaction((users: UserRecord[]) => {
      for (const user of users) this.insertOne(user);
    }).immediate;
    this.patchUser = db.transaction((id: string, patch: UserPatch): UserRecord => {
      const row = this.selectById.get(id);
      if (!row) throw new NotFoundError('user', id);
      const updated: UserRecord = { ...rowToUser(row), ...patchedUserFields(patch), updatedAt: new Date().toISOString() };
      this.runNamingUsername(updated.username, () => this.updateRow.run(userToRow(updated)));
      return updated;
    }).immediate;
  }

  async create(user: NewUser): Promise<UserRecord> {
    const record = newUserRecord(user, new Date().toISOString());
    withStorageErrors(() => this.insertOne(record));
    return record;
  }

  async createMany(users: NewUser[]): Promise<UserRecord[]> {
    const now = new Date().toISOString();
    const records = users.map((user) => newUserRecord(user, now));
    withStorageErrors(() => this.insertAll(records));
    return records;
  }

  async byId(id: string): Promise<UserRecord | null> {
    const row = withStorageErrors(() => this.selectById.get(id));
    return row ? rowToUser(row) : null;
  }

  async byIds(ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    return withStorageErrors(() => this.selectByIds.all(JSON.stringify(ids))).map(rowToUser);
  }

  async byUsername(username: string): Promise<UserRecord | null> {
    const row = withStorageErrors(() => this.selectByKey.get(usernameKey(username)));
    return row ? rowToUser(row) : null;
  }

  async byExternalId(externalId: string): Promise<UserRecord | null> {
    const row = withStorageErrors(() => this.selectByExternalId.get(externalId));
    return row ? rowToUser(row) : null;
  }

  async search(options: { prefix?: string; after?: string; limit: number }): Promise<UserPage> {
    const prefix = usernameKey(options.prefix ?? '');
    const after = options.after ?? '';
    // One row more than asked tells whether another page follows.
    const limit = options.limit + 1;
    const rows = withStorageErrors(() => {
      if (prefix === '') return this.searchAfter.all({ after, limit });
      const until = firstKeyAfterPrefix(prefix);
      // A cursor below the prefix (say, from another search) cannot skip anything: start at the prefix.
      return after >= prefix
        ? this.searchRangeAfter.all({ after, until, limit })
        : this.searchRange.all({ from: prefix, until, limit });
    });
    return userPageOf(rows, options.limit, rowToUser, (row) => row.username_key);
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord> {
    return withStorageErrors(() => this.patchUser(id, patch));
  }

  /** Its memberships go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    let changes: number;
    try {
      ({ changes } = withStorageErrors(() => this.deleteById.run(id)));
    } finally {
      this.memberLists.clear();
    }
    if (changes === 0) throw new NotFoundError('user', id);
  }

  private insertOne(user: UserRecord): void {
    this.runNamingUsername(user.username, () => this.insert.run(userToRow(user)));
  }

  /** Runs a write; a username collision is reported with the name that collided. */
  private runNamingUsername(username: string, write: () => unknown): void {
    try {
      write();
    } catch (error) {
      const translated = translateSqliteError(error);
      if (translated instanceof ConflictError && translated.field === 'username') {
        throw new ConflictError('username', `username "${username}" is already taken`);
      }
      throw translated;
    }
  }
}
