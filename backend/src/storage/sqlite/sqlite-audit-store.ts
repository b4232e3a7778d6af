import type { Database, Statement } from 'better-sqlite3';
import { newAuditRecord } from '../records/audit.js';
import type { AuditRecord, AuditStore, NewAuditEntry } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

interface AuditRow {
  id: string;
  actor_id: string | null;
  action: string;
  target_id: string | null;
  /** JSON text. */
  details: string | null;
  created_at: string;
}

const COLUMNS = 'id, actor_id, action, target_id, details, created_at';

/** Audit ids are ULIDs, so id order is time order and an id is the paging cursor. */
export class SqliteAuditStore implements AuditStore {
  private readonly insert: Statement<[AuditRow]>;
  private readonly selectNewest: Statement<[number], AuditRow>;
  private readonly selectBefore: Statement<[string, number], AuditRow>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (${COLUMNS}) VALUES (@id, @actor_id, @action, @target_id, @details, @created_at)`,
    );
    this.selectNewest = db.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`);
    this.selectBefore = db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`);
  }

  async append(entry: NewAuditEntry): Promise<AuditRecord> {
    const record = newAuditRecord(entry, new Date().toISOString());
    withStorageErrors(() =>
      this.insert.run({
        id: record.id,
        actor_id: record.actorId,
        action: record.action,
        target_id: record.targetId,
        details: record.details === null ? null : JSON.stringify(record.details),
        created_at: record.createdAt,
      }),
    );
    return record;
  }

  async list(options: { before?: string; limit: number }): Promise<AuditRecord[]> {
    const rows = withStorageErrors(() =>
      options.before === undefined
        ? this.selectNewest.all(options.limit)
        : this.selectBefore.all(options.before, options.limit),
    );
    return rows.map((row) => ({
      id: row.id,
      actorId: row.actor_id,
      action: row.action,
      targetId: row.target_id,
      details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
      createdAt: row.created_at,
    }));
  }
}
