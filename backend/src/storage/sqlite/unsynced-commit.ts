import type { Database, Statement } from 'better-sqlite3';
import { withStorageErrors } from './sqlite-errors.js';
import type { WalSync } from './wal-sync.js';

/**
 * Commits with `synchronous = NORMAL`: the transaction's frames are written to the WAL but not
 * synced, so the event loop never waits for an fsync. Whoever commits this way waits for
 * `WalSync.afterWrites()` (the sync runs on a thread of its own, shared by everything committed
 * meanwhile) before telling anyone the write happened; or, for work that can be done again
 * after a crash (the search index catch-up), need not wait at all. Every other write of the
 * connection keeps `synchronous = FULL`.
 */
export class UnsyncedCommit {
  private readonly normal: Statement<[]>;
  private readonly full: Statement<[]>;

  constructor(db: Database) {
    this.normal = db.prepare('PRAGMA synchronous = NORMAL');
    this.full = db.prepare('PRAGMA synchronous = FULL');
  }

  /** Runs `write` (one transaction, or a single statement) with synchronous = NORMAL. */
  run<T>(write: () => T): T {
    this.normal.run();
    try {
      return write();
    } finally {
      this.full.run();
    }
  }
}

/**
 * Runs `write` unsynced and resolves with its result once the WAL holds it on disk: the usual way
 * for a write that is answered to someone. A write that throws (a rollback) waits for nothing.
 */
export async function writeDurably<T>(unsynced: UnsyncedCommit, walSync: WalSync, write: () => T): Promise<T> {
  const result = withStorageErrors(() => unsynced.run(write));
  await walSync.afterWrites();
  return result;
}
