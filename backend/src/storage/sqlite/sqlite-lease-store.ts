import type { Database, Statement } from 'better-sqlite3';
import type { LeaseStore } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

/** Leases in `leases`: one upsert that only takes over a row of the same holder or an expired one. */
export class SqliteLeaseStore implements LeaseStore {
  private readonly take: Statement<[{ name: string; holder: string; expires_at: number; now: number }]>;
  private readonly drop: Statement<[string, string]>;

  constructor(db: Database) {
    this.take = db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires_at)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
    );
    this.drop = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return withStorageErrors(() => this.take.run({ name, holder, expires_at: now + ttlMs, now })).changes > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    withStorageErrors(() => this.drop.run(name, holder));
  }
}
