import type { Database, Statement } from 'better-sqlite3';
import { newRefreshTokenRecord } from '../records/refresh-token.js';
import type { NewRefreshToken, RefreshTokenRecord, RefreshTokenStore } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

/** The columns, named as the record's fields: a selected row is the record, and a record binds as the row. */
const COLUMNS = [
  'id',
  'user_id AS userId',
  'family_id AS familyId',
  'token_hash AS tokenHash',
  'expires_at AS expiresAt',
  'created_at AS createdAt',
  'used_at AS usedAt',
  'revoked_at AS revokedAt',
].join(', ');

export class SqliteRefreshTokenStore implements RefreshTokenStore {
  private readonly insert: Statement<[RefreshTokenRecord]>;
  private readonly selectByHash: Statement<[string], RefreshTokenRecord>;
  private readonly markUnusedUsed: Statement<[string, string]>;
  private readonly revokeOne: Statement<[string, string]>;
  private readonly revokeOfFamily: Statement<[string, string]>;
  private readonly revokeOfUser: Statement<[string, string]>;
  private readonly revokeOfUserButFamily: Statement<[string, string, string]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at, used_at, revoked_at)
       VALUES (@id, @userId, @familyId, @tokenHash, @expiresAt, @createdAt, @usedAt, @revokedAt)`,
    );
    this.selectByHash = db.prepare(`SELECT ${COLUMNS} FROM refresh_tokens WHERE token_hash = ?`);
    // The WHERE clause is the check: of two racing rotations only one changes the row.
    this.markUnusedUsed = db.prepare(
      'UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL',
    );
    const revokeWhere = (condition: string) =>
      db.prepare<[string, string]>(`UPDATE refresh_tokens SET revoked_at = ? WHERE ${condition} AND revoked_at IS NULL`);
    this.revokeOne = revokeWhere('id = ?');
    this.revokeOfFamily = revokeWhere('family_id = ?');
    this.revokeOfUser = revokeWhere('user_id = ?');
    this.revokeOfUserButFamily = db.prepare<[string, string, string]>(
      'UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL',
    );
  }

  async create(token: NewRefreshToken): Promise<RefreshTokenRecord> {
    const record = newRefreshTokenRecord(token, new Date().toISOString());
    withStorageErrors(() => this.insert.run(record));
    return record;
  }

  async byHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return withStorageErrors(() => this.selectByHash.get(tokenHash)) ?? null;
  }

  async markUsed(id: string): Promise<boolean> {
    const { changes } = withStorageErrors(() => this.markUnusedUsed.run(new Date().toISOString(), id));
    return changes === 1;
  }

  async revoke(id: string): Promise<void> {
    withStorageErrors(() => this.revokeOne.run(new Date().toISOString(), id));
  }

  async revokeFamily(familyId: string): Promise<void> {
    withStorageErrors(() => this.revokeOfFamily.run(new Date().toISOString(), familyId));
  }

  async revokeAllOfUser(userId: string, options: { exceptFamilyId?: string } = {}): Promise<void> {
    const now = new Date().toISOString();
    const { exceptFamilyId } = options;
    withStorageErrors(() =>
      exceptFamilyId === undefined ? this.revokeOfUser.run(now, userId) : this.revokeOfUserButFamily.run(now, userId, exceptFamilyId),
    );
  }
}
