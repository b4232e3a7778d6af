import type { Database, Statement } from 'better-sqlite3';
import type { DeletedUserMessages } from '../../../../shared/src/schemas/admin.js';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../errors.js';
import { eventOfChange, eventsOfNewMessage } from '../records/event.js';
import { newMessageRecord } from '../records/message.js';
import { changedMessage, changesSomething, newChangeRecord, newReactionRecord } from '../records/message-change.js';
import type {
  AppliedChange,
  ChangeRecord,
  MessageChangeInput,
  MessageRecord,
  MessageSearch,
  MessageSearchPage,
  MessageStore,
  NewMessage,
  ReactionRecord,
} from '../storage.js';
import { translateSqliteError, withStorageErrors } from './sqlite-errors.js';
import { UnsyncedCommit } from './unsynced-commit.js';
import type { SqliteEventLog } from './sqlite-event-log.js';
import type { SqliteMemberLists } from './sqlite-member-lists.js';
import { SqliteSearchIndex } from './sqlite-search-index.js';
import type { WalSync } from './wal-sync.js';
import {
  CHANGE_COLUMNS,
  changeToRow,
  MESSAGE_COLUMNS,
  messageToRow,
  namedPlaceholders,
  REACTION_COLUMNS,
  rowToChange,
  rowToMessage,
  reactionToRow,
  rowToReaction,
  type ChangeRow,
  type MessageRow,
  type ReactionRow,
} from './sqlite-rows.js';

/** The most appends kept waiting for a sync in flight before they commit anyway (see flush). */
const MAX_BATCH_WHILE_SYNCING = 256;

/** The reads of changes and reactions, exported for the test that checks their query plans. */
export const SELECT_CHANGES_AFTER = `SELECT ${CHANGE_COLUMNS} FROM message_changes WHERE chat_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?`;
// Ids come as one JSON array, so one prepared statement serves any number of them. CROSS JOIN
// keeps the ids as the outer loop, so each is one index lookup (the planner would otherwise
// scan a small table rather than look up, and keep doing so once it is large).
export const SELECT_MESSAGES_BY_IDS = `SELECT ${prefixed('m', MESSAGE_COLUMNS)}
  FROM (SELECT DISTINCT value FROM json_each(?)) AS ids CROSS JOIN messages AS m ON m.id = ids.value`;
export const SELECT_REACTIONS_OF = `SELECT ${prefixed('r', REACTION_COLUMNS)}
  FROM (SELECT DISTINCT value FROM json_each(?)) AS ids CROSS JOIN reactions AS r ON r.message_id = ids.value
  ORDER BY r.message_id, r.change_seq`;

function prefixed(alias: string, columns: string): string {
  return columns
    .split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}

/** An append waiting for the next group commit. */
interface QueuedAppend {
  message: NewMessage;
  resolve: (record: MessageRecord) => void;
  reject: (error: unknown) => void;
  record?: MessageRecord;
  error?: unknown;
}

/** A chat that messages of the current batch go to: its seq before the batch, and the last one given out. */
interface ChatInBatch {
  seqBefore: number;
  seq: number;
}

/**
 * Appends are group-committed: every append requested during one turn of the event loop is
 * written in a single IMMEDIATE transaction. No append's promise settles before its batch is on
 * disk, so an acknowledged message survives a crash or a power cut.
 *
 * Getting it on disk is split so that the event loop never waits for the disk: the batch commits
 * with `synchronous = NORMAL` (its frames are written to the WAL, not synced), then `WalSync`
 * fsyncs the WAL on a thread of its own and the promises settle when that sync is done. Batches
 * committed while a sync runs share the next one. Every other write of the connection keeps
 * `synchronous = FULL`.
 *
 * Within the batch, each message is one INSERT, and each chat is touched once: its last_seq is
 * read when its first message comes, seqs are handed out in order, and at the end the chat's
 * last_seq and last_activity_at move and its hidden memberships are un-hidden — all inside the
 * transaction, so the seq stays gap-free and unique even when several processes append to the
 * same file, and a message is never stored without those side effects. A failing append fails
 * alone without a savepoint: the INSERT is its only write that can break a rule, and SQLite undoes a statement that
 * breaks a constraint by itself; a duplicate (clientId, sender) is not even an error in SQL
 * (ON CONFLICT DO NOTHING inserts nothing, and the append is refused with ConflictError), so it
 * uses up no seq. A failure of the store itself (busy, I/O, disk full, a failed sync) fails the
 * whole batch.
 */
export class SqliteMessageStore implements MessageStore {
  private readonly selectLastSeq: Statement<[string], number>;
  private readonly insertUnlessDuplicate: Statement<[MessageRow & { search_row: number | null }]>;
  private readonly moveChat: Statement<[{ chat_id: string; last_seq: number; now: string }]>;
  private readonly unhideChat: Statement<[string]>;
  private readonly selectById: Statement<[string], MessageRow>;
  private readonly selectBySenderClientId: Statement<[string, string], MessageRow>;
  private readonly selectNewest: Statement<[string, number], MessageRow>;
  private readonly selectBefore: Statement<[string, number, number], MessageRow>;
  private readonly selectAfter: Statement<[string, number, number], MessageRow>;
  private readonly clearSender: Statement<[string]>;
  private readonly deleteBySender: Statement<[string]>;
  private readonly selectByIds: Statement<[string], MessageRow>;
  private readonly selectLastChangeSeq: Statement<[string], number>;
  private readonly moveLastChangeSeq: Statement<[number, string]>;
  private readonly insertChange: Statement<[ChangeRow]>;
  private readonly writeChangedMessage: Statement<[MessageRow]>;
  private readonly selectReacted: Statement<[string, string, string], number>;
  private readonly insertReaction: Statement<[ReactionRow]>;
  private readonly deleteReaction: Statement<[string, string, string]>;
  private readonly deleteReactionsOf: Statement<[string]>;
  private readonly selectReactionsOf: Statement<[string], ReactionRow>;
  private readonly selectChangesAfter: Statement<[string, number, number], ChangeRow>;
  private readonly insertMention: Statement<[string, string, number]>;
  private readonly deleteMentionsOf: Statement<[string, number]>;
  private readonly deleteMentionsBySender: Statement<[string]>;
  private readonly applyChange: (chatId: string, change: MessageChangeInput) => AppliedChange;
  private readonly eraseBySender: (senderId: string) => void;
  /** Commits the batch; returns the chats that got messages (their members are no longer hidden). */
  private readonly appendBatch: (batch: QueuedAppend[]) => Iterable<string>;
  private readonly unsynced: UnsyncedCommit;
  /** Hands each appended message its search position; indexes them in batches after the commit (sqlite-search-index.ts). */
  private readonly searchIndex: SqliteSearchIndex;
  private queue: QueuedAppend[] = [];
  private flushScheduled = false;

  constructor(
    private readonly db: Database,
    private readonly memberLists: SqliteMemberLists,
    private readonly walSync: WalSync,
    /** Written in the same transactions: a message or change commits with its webhook events. */
    private readonly eventLog: SqliteEventLog,
  ) {
    this.searchIndex = new SqliteSearchIndex(db);
    this.unsynced = new UnsyncedCommit(db);
    this.selectLastSeq = db.prepare<[string], number>('SELECT last_seq FROM chats WHERE id = ?').pluck();
    this.insertUnlessDuplicate = db.prepare(
      `INSERT INTO messages (${MESSAGE_COLUMNS}, search_row) VALUES (${namedPlaceholders(MESSAGE_COLUMNS)}, @search_row)
       ON CONFLICT (client_id, sender_id) DO NOTHING`,
    );
    this.moveChat = db.prepare(
      'UPDATE chats SET last_seq = @last_seq, last_activity_at = max(last_activity_at, @now) WHERE id = @chat_id',
    );
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
    this.selectByIds = db.prepare(SELECT_MESSAGES_BY_IDS);
    this.selectLastChangeSeq = db.prepare<[string], number>('SELECT last_change_seq FROM chats WHERE id = ?').pluck();
    this.moveLastChangeSeq = db.prepare('UPDATE chats SET last_change_seq = ? WHERE id = ?');
    this.insertChange = db.prepare(`INSERT INTO message_changes (${CHANGE_COLUMNS}) VALUES (${namedPlaceholders(CHANGE_COLUMNS)})`);
    this.writeChangedMessage = db.prepare(
      `UPDATE messages SET body = @body, edited_at = @edited_at, deleted_at = @deleted_at, deleted_by = @deleted_by,
         change_seq = @change_seq, mentions = @mentions
       WHERE chat_id = @chat_id AND seq = @seq`,
    );
    this.selectReacted = db
      .prepare<[string, string, string], number>('SELECT 1 FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?')
      .pluck();
    this.insertReaction = db.prepare(`INSERT INTO reactions (${REACTION_COLUMNS}) VALUES (${namedPlaceholders(REACTION_COLUMNS)})`);
    this.deleteReaction = db.prepare('DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?');
    this.deleteReactionsOf = db.prepare('DELETE FROM reactions WHERE message_id = ?');
    this.selectReactionsOf = db.prepare(SELECT_REACTIONS_OF);
    this.selectChangesAfter = db.prepare(SELECT_CHANGES_AFTER);
    this.insertMention = db.prepare('INSERT OR IGNORE INTO mentions (user_id, chat_id, seq) VALUES (?, ?, ?)');
    this.deleteMentionsOf = db.prepare('DELETE FROM mentions WHERE chat_id = ? AND seq = ?');
    this.deleteMentionsBySender = db.prepare(
      'DELETE FROM mentions WHERE (chat_id, seq) IN (SELECT chat_id, seq FROM messages WHERE sender_id = ?)',
    );
    const eraseBySender = db.transaction((senderId: string) => {
      this.deleteMentionsBySender.run(senderId);
      this.deleteBySender.run(senderId);
    });
    this.eraseBySender = (senderId: string) => eraseBySender.immediate(senderId);
    this.applyChange = db.transaction((chatId: string, change: MessageChangeInput) => this.changeOne(chatId, change)).immediate;

    this.appendBatch = db.transaction((batch: QueuedAppend[]): Iterable<string> => {
      const now = new Date().toISOString();
      const chats = new Map<string, ChatInBatch>();
      const nextSearchPosition = this.searchIndex.positions();
      for (const item of batch) {
        try {
          item.record = this.appendOne(item.message, now, chats, nextSearchPosition);
        } catch (error) {
          const translated = translateSqliteError(error);
          // The store itself failed, or took the transaction down with it: nothing in the batch holds.
          if (translated instanceof StoreUnavailableError || !this.db.inTransaction) throw error;
          item.error = translated;
        }
      }
      const moved: string[] = [];
      for (const [chatId, chat] of chats) {
        if (chat.seq === chat.seqBefore) continue;
        this.moveChat.run({ chat_id: chatId, last_seq: chat.seq, now });
        this.unhideChat.run(chatId);
        moved.push(chatId);
      }
      return moved;
    }).immediate;
  }

  append(message: NewMessage): Promise<MessageRecord> {
    return new Promise<MessageRecord>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      } else if (this.queue.length === MAX_BATCH_WHILE_SYNCING) {
        // Waiting for the sync in flight: a batch this large commits now (it joins the next sync).
        setImmediate(() => this.flush(true));
      }
    });
  }

  /** One message of a batch, inside its transaction. */
  private appendOne(message: NewMessage, now: string, chats: Map<string, ChatInBatch>, nextSearchPosition: () => number | null): MessageRecord {
    let chat = chats.get(message.chatId);
    if (!chat) {
      const lastSeq = this.selectLastSeq.get(message.chatId);
      if (lastSeq === undefined) throw new NotFoundError('chat', message.chatId);
      chat = { seqBefore: lastSeq, seq: lastSeq };
      chats.set(message.chatId, chat);
    }
    const record = newMessageRecord(message, chat.seq + 1, now);
    // A duplicate takes a search position it does not keep; positions need not be consecutive.
    const { changes } = this.insertUnlessDuplicate.run({ ...messageToRow(record), search_row: nextSearchPosition() });
    if (changes === 0) throw new ConflictError('clientId');
    for (const userId of record.mentions) this.insertMention.run(userId, record.chatId, record.seq);
    this.eventLog.write(eventsOfNewMessage(record), now);
    chat.seq = record.seq;
    return record;
  }

  /**
   * Commits every queued append in one transaction, then settles their promises once it is on disk.
   * While a WAL sync is in flight the commit waits for it to finish: what it would commit now
   * could not be acknowledged before the next sync anyway, so it joins the appends still coming
   * in one transaction, committed just before that next sync starts. Under load this makes the
   * batches as large as one sync's duration lets them grow instead of one per event-loop turn —
   * each commit writes the pages it touches (messages, their indexes, a new search-index segment,
   * the chat row) whole, however few messages it carries. A batch that reaches
   * MAX_BATCH_WHILE_SYNCING commits at once, so that no commit (and no turn) grows without bound
   * when a sync is slow.
   */
  private flush(now = false): void {
    if (this.queue.length === 0) {
      this.flushScheduled = false;
      return;
    }
    if (!now && this.walSync.syncing && this.queue.length < MAX_BATCH_WHILE_SYNCING) {
      this.walSync.beforeNextSync(() => this.flush());
      return;
    }
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    let moved: Iterable<string>;
    try {
      moved = withStorageErrors(() => this.unsynced.run(() => this.appendBatch(batch)));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const chatId of moved) this.memberLists.unhidden(chatId);
    this.searchIndex.scheduleCatchUp();
    this.walSync.afterWrites().then(
      () => {
        for (const item of batch) {
          if (item.record) item.resolve(item.record);
          else item.reject(item.error);
        }
      },
      (error: unknown) => {
        for (const item of batch) item.reject(error);
      },
    );
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

  async detachSender(senderId: string, mode: DeletedUserMessages): Promise<void> {
    withStorageErrors(() => (mode === 'keep' ? this.clearSender.run(senderId) : this.eraseBySender(senderId)));
  }

  async byIds(ids: readonly string[]): Promise<MessageRecord[]> {
    if (ids.length === 0) return [];
    return withStorageErrors(() => this.selectByIds.all(JSON.stringify(ids))).map(rowToMessage);
  }

  /**
   * One IMMEDIATE transaction: read the message, decide (records/message-change.ts), and only
   * when it changes something take the chat's next change_seq, log the change and write the
   * message and its reactions. Changes are serialized by the write lock, so positions are
   * gap-free, and a delete that commits after an edit overwrites it while an edit that comes
   * after a delete is refused. Like a batch of appends, it commits with `synchronous = NORMAL`
   * and settles once WalSync has the WAL on disk, so the event loop never waits for an fsync and
   * changes share syncs with messages.
   */
  async change(chatId: string, change: MessageChangeInput): Promise<AppliedChange> {
    const applied = withStorageErrors(() => this.unsynced.run(() => this.applyChange(chatId, change)));
    if (applied.changeSeq !== null) await this.walSync.afterWrites();
    return applied;
  }

  async reactionsOf(messageIds: readonly string[]): Promise<ReactionRecord[]> {
    if (messageIds.length === 0) return [];
    return withStorageErrors(() => this.selectReactionsOf.all(JSON.stringify(messageIds))).map(rowToReaction);
  }

  async changesAfter(chatId: string, afterChangeSeq: number, limit: number): Promise<ChangeRecord[]> {
    return withStorageErrors(() => this.selectChangesAfter.all(chatId, afterChangeSeq, limit)).map(rowToChange);
  }

  async search(search: MessageSearch): Promise<MessageSearchPage> {
    return withStorageErrors(() => this.searchIndex.search(search));
  }

  /** The store closes: index what is still pending and stop the catch-up. */
  stop(): void {
    this.searchIndex.stop();
  }

  async rebuildSearchIndex(progress?: (indexed: number) => void): Promise<number> {
    return withStorageErrors(() => this.searchIndex.rebuild(progress));
  }

  /** change(), inside its transaction. */
  private changeOne(chatId: string, change: MessageChangeInput): AppliedChange {
    const row = this.selectById.get(change.messageId);
    if (!row || row.chat_id !== chatId) throw new NotFoundError('message', change.messageId);
    const message = rowToMessage(row);
    const reacted = change.kind === 'react' && this.selectReacted.get(change.messageId, change.actorId, change.emoji) !== undefined;
    if (!changesSomething(message, change, reacted)) return { message, changeSeq: null };

    const lastChangeSeq = this.selectLastChangeSeq.get(chatId);
    if (lastChangeSeq === undefined) throw new NotFoundError('chat', chatId);
    const changeSeq = lastChangeSeq + 1;
    const at = new Date().toISOString();
    this.moveLastChangeSeq.run(changeSeq, chatId);
    this.insertChange.run(changeToRow(newChangeRecord(chatId, changeSeq, change, at)));
    const event = eventOfChange(chatId, change, changeSeq);
    if (event) this.eventLog.write([event], at);
    const changed = changedMessage(message, change, changeSeq, at);
    this.writeChangedMessage.run(messageToRow(changed));
    if (change.kind !== 'react') {
      this.deleteMentionsOf.run(chatId, changed.seq);
      for (const userId of changed.mentions) this.insertMention.run(userId, chatId, changed.seq);
      this.searchIndex.changed(message, changed);
    }
    if (change.kind === 'delete') this.deleteReactionsOf.run(change.messageId);
    else if (change.kind === 'react') {
      if (change.on) this.insertReaction.run(reactionToRow(newReactionRecord(change, at), changeSeq));
      else this.deleteReaction.run(change.messageId, change.actorId, change.emoji);
    }
    return { message: changed, changeSeq };
  }
}
