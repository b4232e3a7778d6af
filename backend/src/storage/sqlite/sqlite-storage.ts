import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Storage } from '../storage.js';
import { runMigrations } from './migrations.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import { SqliteBlockStore } from './sqlite-block-store.js';
import { SqliteChatStore } from './sqlite-chat-store.js';
import { openConnection } from './sqlite-connection.js';
import { translateSqliteError, withStorageErrors } from './sqlite-errors.js';
import { SqliteMemberLists } from './sqlite-member-lists.js';
import { SqliteMemberStore } from './sqlite-member-store.js';
import { SqliteMessageStore } from './sqlite-message-store.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { SqliteWriter } from './sqlite-writer.js';

export interface SqliteStorageOptions {
  /** The database file; its folder is created when missing. Several processes may share it. */
  file: string;
  /** How long a write waits for another connection's write lock before giving up. */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** 10,000 pages of 4 KiB: 40 MiB of WAL (the writer thread checkpoints at SQLite's default, 1,000). */
const MAIN_CONNECTION_CHECKPOINT_PAGES = 10_000;

/** Opens (creating and migrating when needed) the SQLite file and returns the storage on it. */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<Storage> {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(options.file), { recursive: true });
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    db = openConnection(options.file, busyTimeoutMs);
    // Checkpoints are the writer thread's job (it commits far more often); this connection only
    // steps in if the WAL grows very large, so that the event loop rarely does one.
    db.pragma(`wal_autocheckpoint = ${MAIN_CONNECTION_CHECKPOINT_PAGES}`);
    runMigrations(db);
    return new SqliteStorage(db, options.file, busyTimeoutMs);
  } catch (error) {
    db?.close();
    throw translateSqliteError(error);
  }
}

class SqliteStorage implements Storage {
  readonly name = 'sqlite' as const;
  readonly users: SqliteUserStore;
  readonly chats: SqliteChatStore;
  readonly members: SqliteMemberStore;
  readonly messages: SqliteMessageStore;
  readonly blocks: SqliteBlockStore;
  readonly refreshTokens: SqliteRefreshTokenStore;
  readonly audit: SqliteAuditStore;
  private readonly selectOne: Statement<[], unknown>;
  private readonly writer: SqliteWriter;

  /**
   * Two connections to the file: this one (reads, and the writes that come one at a time:
   * accounts, chats, memberships, tokens) and the writer thread's (messages and receipts,
   * group-committed: SqliteWriter).
   */
  constructor(
    private readonly db: Database.Database,
    file: string,
    busyTimeoutMs: number,
  ) {
    const memberLists = new SqliteMemberLists(db);
    this.writer = new SqliteWriter(file, busyTimeoutMs, memberLists);
    this.users = new SqliteUserStore(db);
    this.chats = new SqliteChatStore(db);
    this.members = new SqliteMemberStore(db, memberLists, this.writer);
    this.messages = new SqliteMessageStore(db, this.writer);
    this.blocks = new SqliteBlockStore(db);
    this.refreshTokens = new SqliteRefreshTokenStore(db);
    this.audit = new SqliteAuditStore(db);
    this.selectOne = db.prepare('SELECT 1');
  }

  async ping(): Promise<void> {
    withStorageErrors(() => this.selectOne.get());
  }

  /** Lets the writes already asked for finish, then closes. Idempotent. */
  async close(): Promise<void> {
    await this.writer.close();
    if (!this.db.open) return;
    withStorageErrors(() => {
      this.db.pragma('optimize');
      this.db.close();
    });
  }
}
