import type { Database, Statement } from 'better-sqlite3';
import { ssoTokenUseKey, type SsoTokenUse, type SsoTokenUseStore } from '../sso-token-uses.js';
import { withStorageErrors } from './sqlite-errors.js';

/** Single-use SSO tokens in the `sso_token_uses` table (migration 4). */
export class SqliteSsoTokenUseStore implements SsoTokenUseStore {
  private readonly insertUnlessLive: Statement<[string, string, string]>;
  private readonly deleteExpired: Statement<[string]>;

  constructor(db: Database) {
    // One statement is the check: the row is inserted, or an expired row with the same key is
    // taken over; a live one is left alone and nothing changes. SQLite runs one writer at a
    // time (across processes too), so two racing claims cannot both change a row.
    this.insertUnlessLive = db.prepare(
      `INSERT INTO sso_token_uses (use_key, expires_at) VALUES (?, ?)
       ON CONFLICT (use_key) DO UPDATE SET expires_at = excluded.expires_at
       WHERE sso_token_uses.expires_at <= ?`,
    );
    this.deleteExpired = db.prepare('DELETE FROM sso_token_uses WHERE expires_at <= ?');
  }

  async claim(use: SsoTokenUse): Promise<boolean> {
    const now = new Date().toISOString();
    const key = ssoTokenUseKey(use.issuer, use.jti);
    const { changes } = withStorageErrors(() => this.insertUnlessLive.run(key, use.expiresAt, now));
    return changes === 1;
  }

  async purgeExpired(now: Date = new Date()): Promise<number> {
    return withStorageErrors(() => this.deleteExpired.run(now.toISOString())).changes;
  }
}
