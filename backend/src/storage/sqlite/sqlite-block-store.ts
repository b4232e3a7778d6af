import type { Database, Statement } from 'better-sqlite3';
import type { BlockStore } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

export class SqliteBlockStore implements BlockStore {
  private readonly insert: Statement<[string, string, string]>;
  private readonly deleteOne: Statement<[string, string]>;
  private readonly selectEither: Statement<[string, string, string, string], { found: number }>;
  private readonly selectBlockedBy: Statement<[string], { blocked_id: string }>;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.deleteOne = db.prepare('DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?');
    this.selectEither = db.prepare(`
      SELECT 1 AS found FROM blocks
      WHERE (blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?)
      LIMIT 1
    `);
    this.selectBlockedBy = db.prepare('SELECT blocked_id FROM blocks WHERE blocker_id = ? ORDER BY created_at, blocked_id');
  }

  async block(blockerId: string, blockedId: string): Promise<void> {
    withStorageErrors(() => this.insert.run(blockerId, blockedId, new Date().toISOString()));
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    withStorageErrors(() => this.deleteOne.run(blockerId, blockedId));
  }

  async eitherBlocks(userA: string, userB: string): Promise<boolean> {
    return withStorageErrors(() => this.selectEither.get(userA, userB, userB, userA)) !== undefined;
  }

  async blockedBy(blockerId: string): Promise<string[]> {
    return withStorageErrors(() => this.selectBlockedBy.all(blockerId)).map((row) => row.blocked_id);
  }
}
