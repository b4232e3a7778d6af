import type { Database, Statement } from 'better-sqlite3';
import type { MessageRecord, MessageStore, NewMessage } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';
import { MESSAGE_COLUMNS, rowToMessage, type MessageRow } from './sqlite-rows.js';
import type { SqliteWriter } from './sqlite-writer.js';

/**
 * Messages in SQLite. Appends go to the writer thread, group-committed (SqliteWriter; seq,
 * de-duplication and un-hiding in SqliteWriteBatch); everything else runs on this connection.
 */
export class SqliteMessageStore implements MessageStore {
  private readonly selectById: Statement<[string], MessageRow>;
  private readonly selectBySenderClientId: Statement<[string, string], MessageRow>;
  private readonly selectNewest: Statement<[string, number], MessageRow>;
  private readonly selectBefore: Statement<[string, number, number], MessageRow>;
  private readonly selectAfter: Statement<[string, number, number], MessageRow>;
  private readonly clearSender: Statement<[string]>;
  private readonly deleteBySender: Statement<[string]>;

  constructor(
    db: Database,
    private readonly writer: SqliteWriter,
  ) {
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
  }

  append(message: NewMessage): Promise<MessageRecord> {
    return this.writer.append(message);
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
