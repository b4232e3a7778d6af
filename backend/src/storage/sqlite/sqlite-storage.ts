import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Storage } from '../storage.js';
import { runMigrations } from './migrations.js';
import { SqliteAttachmentStore } from './sqlite-attachment-store.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import { SqliteBlockStore } from './sqlite-block-store.js';
import { SqliteChatStore } from './sqlite-chat-store.js';
import { SqliteEventLog } from './sqlite-event-log.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';
import { translateSqliteError, withStorageErrors } from './sqlite-errors.js';
import { SqliteMemberLists } from './sqlite-member-lists.js';
import { SqliteMemberStore } from './sqlite-member-store.js';
import { SqliteMessageStore } from './sqlite-message-store.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteSsoTokenUseStore } from './sqlite-sso-token-use-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { DEFAULT_WAL_CHECKPOINTS, WalCheckpoints, type WalCheckpointOptions } from './wal-checkpoints.js';
import { WalSync } from './wal-sync.js';

export interface SqliteStorageOptions {
  /** The database file; its folder is created when missing. Several processes may share it. */
  file: string;
  /** How long a write waits for another connection's write lock before giving up. */
  busyTimeoutMs?: number;
  /** When the background thread checkpoints the WAL (tests make it eager). */
  walCheckpoints?: WalCheckpointOptions;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating and migrating when needed) the SQLite file and returns the storage on it. */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<Storage> {
  let db: Database.Database | undefined;
  let walSync: WalSync | undefined;
  try {
    mkdirSync(dirname(options.file), { recursive: true });
    db = new Database(options.file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    const checkpointOptions = options.walCheckpoints ?? DEFAULT_WAL_CHECKPOINTS;
    configureConnection(db, checkpointOptions);
    runMigrations(db);
    walSync = await WalSync.start(options.file);
    const walCheckpoints = await WalCheckpoints.start(options.file, checkpointOptions);
    return new SqliteStorage(db, walSync, walCheckpoints);
  } catch (error) {
    await walSync?.stop();
    db?.close();
    throw translateSqliteError(error);
  }
}

/**
 * WAL lets readers in other processes go on while one writes; every write takes the lock up
 * front (BEGIN IMMEDIATE) and waits up to the busy timeout for it. synchronous=FULL makes a
 * commit durable before it returns, because an acknowledged message must survive a power cut
 * (message batches get the same guarantee through WalSync instead). Checkpoints run on a thread
 * of their own (WalCheckpoints); the connection's automatic checkpoint is the fallback.
 */
function configureConnection(db: Database.Database, checkpoints: WalCheckpointOptions): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // The connection's own automatic checkpoint, at twice the size where the checkpoint thread lets
  // the WAL start over: it acts only when that thread cannot (failed, or kept out by steady writes).
  db.pragma(`wal_autocheckpoint = ${2 * checkpoints.restartAfterFrames}`);
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
  readonly ssoTokenUses: SqliteSsoTokenUseStore;
  readonly events: SqliteEventLog;
  readonly webhooks: SqliteWebhookStore;
  readonly leases: SqliteLeaseStore;
  readonly attachments: SqliteAttachmentStore;
  private readonly selectOne: Statement<[], unknown>;

  constructor(
    private readonly db: Database.Database,
    private readonly walSync: WalSync,
    private readonly walCheckpoints: WalCheckpoints,
  ) {
    const memberLists = new SqliteMemberLists(db);
    this.events = new SqliteEventLog(db);
    this.webhooks = new SqliteWebhookStore(db);
    this.leases = new SqliteLeaseStore(db);
    this.users = new SqliteUserStore(db, memberLists);
    this.chats = new SqliteChatStore(db, memberLists);
    this.members = new SqliteMemberStore(db, memberLists, this.events);
    this.messages = new SqliteMessageStore(db, memberLists, walSync, this.events);
    this.blocks = new SqliteBlockStore(db);
    this.refreshTokens = new SqliteRefreshTokenStore(db);
    this.audit = new SqliteAuditStore(db);
    this.ssoTokenUses = new SqliteSsoTokenUseStore(db);
    this.attachments = new SqliteAttachmentStore(db, walSync);
    this.selectOne = db.prepare('SELECT 1');
  }

  async ping(): Promise<void> {
    withStorageErrors(() => this.selectOne.get());
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (!this.db.open) return;
    this.messages.stop();
    await Promise.all([this.walSync.stop(), this.walCheckpoints.stop()]);
    if (!this.db.open) return;
    withStorageErrors(() => {
      this.db.pragma('optimize');
      this.db.close();
    });
  }
}
