import type { Database, Statement } from 'better-sqlite3';
import type { WebhookEventType } from '../../../../shared/src/schemas/webhooks.js';
import type { EventLogStore, EventRecord, NewEvent } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

interface EventRow {
  position: number;
  id: string;
  type: string;
  chat_id: string;
  message_id: string | null;
  user_id: string | null;
  created_at: string;
}

/**
 * The webhook event log in `webhook_events`. The message, change and member stores call
 * `write` inside the transactions that write those, so an event commits exactly when its cause
 * does; `append` is a transaction of its own, for events derived later.
 */
export class SqliteEventLog implements EventLogStore {
  private readonly insert: Statement<[string, string, string, string | null, string | null, string]>;
  private readonly selectAfter: Statement<[number, number], EventRow>;
  private readonly selectHead: Statement<[], number>;
  private readonly deleteBefore: Statement<[string]>;
  private readonly appendAll: (events: readonly NewEvent[]) => void;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO webhook_events (id, type, chat_id, message_id, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.selectAfter = db.prepare('SELECT * FROM webhook_events WHERE position > ? ORDER BY position LIMIT ?');
    // The sequence outlives pruned rows: the head is what AUTOINCREMENT handed out last.
    this.selectHead = db
      .prepare<[], number>("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'webhook_events'), 0)")
      .pluck();
    this.deleteBefore = db.prepare('DELETE FROM webhook_events WHERE created_at < ?');
    const appendAll = db.transaction((events: readonly NewEvent[]) => this.write(events, new Date().toISOString()));
    this.appendAll = (events) => appendAll.immediate(events);
  }

  /** Inside the caller's transaction. */
  write(events: readonly NewEvent[], now: string): void {
    for (const event of events) this.insert.run(event.id, event.type, event.chatId, event.messageId, event.userId, now);
  }

  async append(events: readonly NewEvent[]): Promise<void> {
    if (events.length > 0) withStorageErrors(() => this.appendAll(events));
  }

  async after(after: number, limit: number): Promise<EventRecord[]> {
    return withStorageErrors(() => this.selectAfter.all(after, limit)).map(rowToEvent);
  }

  async headPosition(): Promise<number> {
    return withStorageErrors(() => this.selectHead.get() ?? 0);
  }

  /** Events commit with their write: nothing is ever interrupted in between. */
  async recoverInterrupted(): Promise<number> {
    return 0;
  }

  async pruneBefore(before: string): Promise<number> {
    return withStorageErrors(() => this.deleteBefore.run(before).changes);
  }
}

function rowToEvent(row: EventRow): EventRecord {
  return {
    position: row.position,
    id: row.id,
    type: row.type as WebhookEventType,
    chatId: row.chat_id,
    messageId: row.message_id,
    userId: row.user_id,
    createdAt: row.created_at,
  };
}
