import type { Database, Statement } from 'better-sqlite3';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { MessageRecord, MessageStore, NewMessage } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';
import { MESSAGE_COLUMNS, messageToRow, namedPlaceholders, rowToMessage, type MessageRow } from './sqlite-rows.js';

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
  private readonly appendMessage: (message: NewMessage) => MessageRecord;

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

    this.appendMessage = db.transaction((message: NewMessage): MessageRecord => {
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
    }).immediate;
  }

  async append(message: NewMessage): Promise<MessageRecord> {
    return withStorageErrors(() => this.appendMessage(message));
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
