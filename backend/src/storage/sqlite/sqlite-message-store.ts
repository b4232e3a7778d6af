import { appendFileSync } from "node:fs";
import type { Database, Statement } from 'better-sqlite3';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { MessageRecord, MessageStore, NewMessage } from '../storage.js';
import { translateSqliteError, withStorageErrors } from './sqlite-errors.js';
import { MESSAGE_COLUMNS, messageToRow, namedPlaceholders, rowToMessage, type MessageRow } from './sqlite-rows.js';

const STATS = { batches: 0, msgs: 0, wall: 0, cpu: 0 };
/** An append waiting for the next group commit. */
interface QueuedAppend {
  message: NewMessage;
  resolve: (record: MessageRecord) => void;
  reject: (error: unknown) => void;
  record?: MessageRecord;
  error?: unknown;
}

/**
 * Appends are group-committed: every append requested during one turn of the event loop is
 * written in a single IMMEDIATE transaction, each in its own savepoint, so a failing append
 * (a duplicate clientId, an unknown chat) fails alone. Under load that is one commit, and with
 * synchronous=FULL one fsync of the WAL, for many messages instead of one each. No append's
 * promise settles before its batch has committed, so an acknowledged message is exactly as
 * durable as the connection is configured to make it.
 *
 * The commit runs on the event loop. (Syncing in libuv's thread pool instead would free the loop,
 * but there the sync queues behind bcrypt work: under a burst of logins, acks would wait seconds.)
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
  private queue: QueuedAppend[] = [];
  private flushScheduled = false;

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
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every queued append in one transaction, then settles their promises. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    const t0 = performance.now(); const c0 = process.cpuUsage();
    try {
      withStorageErrors(() => this.appendBatch(batch));
      const w = performance.now() - t0; const c = process.cpuUsage(c0);
      STATS.batches++; STATS.msgs += batch.length; STATS.wall += w; STATS.cpu += (c.user + c.system) / 1000;
      if (STATS.batches % 500 === 0) { appendFileSync("/tmp/mb/flush.log", `flush: ${STATS.batches} batches, avg size ${(STATS.msgs / STATS.batches).toFixed(1)}, avg wall ${(STATS.wall / STATS.batches).toFixed(2)} ms, per msg wall ${(1000 * STATS.wall / STATS.msgs).toFixed(1)} µs cpu ${(1000 * STATS.cpu / STATS.msgs).toFixed(1)} µs\n`); STATS.batches = STATS.msgs = STATS.wall = STATS.cpu = 0; }
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      if (item.record) item.resolve(item.record);
      else item.reject(item.error);
    }
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
