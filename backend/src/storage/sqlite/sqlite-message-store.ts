import { open, type FileHandle } from 'node:fs/promises';
import type { Database, Statement } from 'better-sqlite3';
import { NotFoundError, StoreUnavailableError } from '../errors.js';
import { newId } from '../ids.js';
import type { MessageRecord, MessageStore, NewMessage } from '../storage.js';
import { translateSqliteError, withStorageErrors } from './sqlite-errors.js';
import { MESSAGE_COLUMNS, messageToRow, namedPlaceholders, rowToMessage, type MessageRow } from './sqlite-rows.js';

/** An append waiting for the next group commit. */
interface QueuedAppend {
  message: NewMessage;
  resolve: (record: MessageRecord) => void;
  reject: (error: unknown) => void;
  record?: MessageRecord;
  error?: unknown;
}

/** PRAGMA synchronous levels: OFF 0, NORMAL 1, FULL 2, EXTRA 3. */
const SYNCHRONOUS_FULL = 2;

/**
 * Appends are group-committed: every append requested during one turn of the event loop is
 * written in a single IMMEDIATE transaction, each in its own savepoint, so a failing append
 * (a duplicate clientId, an unknown chat) fails alone.
 *
 * Durability is what the connection is configured for, without blocking the event loop on it.
 * When it asks for synchronous=FULL (the WAL synced at every commit), the batch commits with
 * NORMAL and the WAL file is then synced with fdatasync in libuv's thread pool, one sync at a
 * time; appends arriving meanwhile form the next batch. No append's promise settles before its
 * batch is on disk, so an acknowledged message survives a power cut exactly as with FULL, while
 * the process goes on serving other sockets during the sync. (A read, from this process or
 * another, may see a committed message during that sync, a millisecond or so before it is durable.)
 */
export class SqliteMessageStore implements MessageStore {
  private readonly takeNextSeq: Statement<[{ chat_id: string; now: string }], { last_seq: number }>;
  private readonly insert: Statement<[MessageRow]>;
  private readonly unhideChat: Statement<[string]>;
  private readonly selectById: Statement<[string], MessageRow>;
  private readonly selectBySenderClientId: Statement<[string, string], MessageRow>;
  private readonly selectNewest: Statement<[string, number], MessageRow>;
  private readonly selectBefore: Statement<[string, number, number], MessageRow>;
  private readonly selectAfter: Statement<[string, number, number], MessageRow>;
  private readonly clearSender: Statement<[string]>;
  private readonly deleteBySender: Statement<[string]>;
  private readonly appendBatch: (batch: QueuedAppend[]) => void;
  private readonly synchronousLevel: Statement<[], { synchronous: number }>;
  private readonly setNormal: Statement<[]>;
  private readonly setFull: Statement<[]>;
  private readonly walFile: string | null;
  private queue: QueuedAppend[] = [];
  private flushScheduled = false;
  /** A WAL sync is under way; new appends wait for the next transaction. */
  private syncing = false;
  /** The WAL file, kept open while appends keep coming and closed when they stop. */
  private walHandle: FileHandle | null = null;

  constructor(db: Database) {
    // The chat row is the sequence: bumping last_seq inside the write transaction keeps seq gap-free
    // and unique even when several processes append to the same file.
    this.takeNextSeq = db.prepare(`
      UPDATE chats
      SET last_seq = last_seq + 1, last_activity_at = max(last_activity_at, @now)
      WHERE id = @chat_id
      RETURNING last_seq
    `);
    this.insert = db.prepare(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${namedPlaceholders(MESSAGE_COLUMNS)})`);
    this.unhideChat = db.prepare('UPDATE members SET hidden = 0 WHERE chat_id = ? AND hidden = 1');
    this.selectById = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`);
    this.selectBySenderClientId = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender_id = ? AND client_id = ?`,
    );
    this.selectNewest = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? ORDER BY seq DESC LIMIT ?`);
    this.selectBefore = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    );
    this.selectAfter = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE chat_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    this.clearSender = db.prepare('UPDATE messages SET sender_id = NULL, client_id = NULL WHERE sender_id = ?');
    this.deleteBySender = db.prepare('DELETE FROM messages WHERE sender_id = ?');

    this.synchronousLevel = db.prepare('PRAGMA synchronous');
    this.setNormal = db.prepare('PRAGMA synchronous = NORMAL');
    this.setFull = db.prepare('PRAGMA synchronous = FULL');
    const walMode = String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
    this.walFile = walMode && !db.memory ? `${db.name}-wal` : null;

    // Called inside the batch's transaction, a transaction function runs as a savepoint.
    const appendOne = db.transaction((message: NewMessage): MessageRecord => {
      const now = new Date().toISOString();
      const bumped = this.takeNextSeq.get({ chat_id: message.chatId, now });
      if (!bumped) throw new NotFoundError('chat', message.chatId);
      const record: MessageRecord = {
        id: newId(),
        chatId: message.chatId,
        seq: bumped.last_seq,
        kind: message.kind,
        senderId: message.senderId,
        clientId: message.clientId,
        body: message.body,
        notice: message.notice,
        createdAt: now,
      };
      this.insert.run(messageToRow(record));
      this.unhideChat.run(message.chatId);
      return record;
    });
    this.appendBatch = db.transaction((batch: QueuedAppend[]): void => {
      for (const item of batch) {
        try {
          item.record = appendOne(item.message);
        } catch (error) {
          item.error = translateSqliteError(error);
        }
      }
    }).immediate;
  }

  append(message: NewMessage): Promise<MessageRecord> {
    return new Promise<MessageRecord>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** A flush at the end of this turn of the event loop, unless one is pending or a WAL sync is under way. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.syncing || this.queue.length === 0) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits every queued append in one transaction; they settle once it is durable. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    let syncLater = false;
    try {
      withStorageErrors(() => {
        syncLater = this.walFile !== null && (this.synchronousLevel.get()?.synchronous ?? 0) === SYNCHRONOUS_FULL;
        if (process.env['XMODE'] === 'blocking') syncLater = false;
        if (!syncLater) return this.appendBatch(batch);
        this.setNormal.run();
        try {
          this.appendBatch(batch);
        } finally {
          this.setFull.run();
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      this.scheduleFlush();
      return;
    }
    if (syncLater) this.syncWal(batch);
    else settle(batch);
  }

  /**
   * fdatasync of the WAL in the thread pool, then the batch settles. Appends queued meanwhile
   * wait, and go out together in the next transaction once this sync is done: one sync in flight.
   */
  private syncWal(batch: QueuedAppend[]): void {
    this.syncing = true;
    const walFile = this.walFile!;
    void (async () => {
      this.walHandle ??= await open(walFile, 'r+');
      await this.walHandle.datasync();
    })()
      .then(
        () => settle(batch),
        (error: unknown) => {
          this.closeWalHandle();
          const unavailable = new StoreUnavailableError(error);
          for (const item of batch) item.reject(item.record ? unavailable : item.error);
        },
      )
      .finally(() => {
        this.syncing = false;
        if (this.queue.length === 0) this.closeWalHandle();
        this.scheduleFlush();
      });
  }

  private closeWalHandle(): void {
    const handle = this.walHandle;
    this.walHandle = null;
    handle?.close().catch(() => {});
  }

  async byId(id: string): Promise<MessageRecord | null> {
    const row = withStorageErrors(() => this.selectById.get(id));
    return row ? rowToMessage(row) : null;
  }

  async bySenderClientId(senderId: string, clientId: string): Promise<MessageRecord | null> {
    const row = withStorageErrors(() => this.selectBySenderClientId.get(senderId, clientId));
    return row ? rowToMessage(row) : null;
  }

  async before(chatId: string, beforeSeq: number | null, limit: number): Promise<MessageRecord[]> {
    const newestFirst = withStorageErrors(() =>
      beforeSeq === null ? this.selectNewest.all(chatId, limit) : this.selectBefore.all(chatId, beforeSeq, limit),
    );
    return newestFirst.reverse().map(rowToMessage);
  }

  async after(chatId: string, afterSeq: number, limit: number): Promise<MessageRecord[]> {
    return withStorageErrors(() => this.selectAfter.all(chatId, afterSeq, limit)).map(rowToMessage);
  }

  async detachSender(senderId: string, mode: 'keep' | 'erase'): Promise<void> {
    withStorageErrors(() => (mode === 'keep' ? this.clearSender : this.deleteBySender).run(senderId));
  }
}

function settle(batch: QueuedAppend[]): void {
  for (const item of batch) {
    if (item.record) item.resolve(item.record);
    else item.reject(item.error);
  }
}
