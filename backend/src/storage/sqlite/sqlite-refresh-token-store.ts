import type { Database, Statement } from 'better-sqlite3';
import { newRefreshTokenRecord } from '../records/refresh-token.js';
import type { NewRefreshToken, RefreshTokenRecord, RefreshTokenStore } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: string;
  created_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

const COLUMNS = 'id, user_id, family_id, token_hash, expires_at, created_at, used_at, revoked_at';

export class SqliteRefreshTokenStore implements RefreshTokenStore {
  private readonly insert: Statement<[RefreshTokenRow]>;
  private readonly selectByHash: Statement<[string], RefreshTokenRow>;
  private readonly markUnusedUsed: Statement<[string, string]>;
  private readonly revokeOne: Statement<[string, string]>;
  private readonly revokeOfFamily: Statement<[string, string]>;
  private readonly revokeOfUser: Statement<[string, string]>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO refresh_tokens (${COLUMNS})
       VALUES (@id, @user_id, @family_id, @token_hash, @expires_at, @created_at, @used_at, @revoked_at)`,
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
  }

  async create(token: NewRefreshToken): Promise<RefreshTokenRecord> {
    const record = newRefreshTokenRecord(token, new Date().toISOString());
    withStorageErrors(() => this.insert.run(toRow(record)));
    return record;
  }

  async byHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = withStorageErrors(() => this.selectByHash.get(tokenHash));
    return row ? toRecord(row) : null;
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

  async revokeAllOfUser(userId: string): Promise<void> {
    withStorageErrors(() => this.revokeOfUser.run(new Date().toISOString(), userId));
  }
}

function toRow(token: RefreshTokenRecord): RefreshTokenRow {
  return {
    id: token.id,
    user_id: token.userId,
    family_id: token.familyId,
    token_hash: token.tokenHash,
    expires_at: token.expiresAt,
    created_at: token.createdAt,
    used_at: token.usedAt,
    revoked_at: token.revokedAt,
  };
}

function toRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    familyId: row.family_id,
    tokenHash: row.token_hash,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
  };
}
