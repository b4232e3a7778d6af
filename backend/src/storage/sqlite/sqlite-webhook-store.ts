import type { Database, Statement } from 'better-sqlite3';
import type { WebhookEventType } from '../../../../shared/src/schemas/webhooks.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { newWebhookRecord } from '../records/webhook.js';
import type { NewWebhook, WebhookFailure, WebhookPatch, WebhookRecord, WebhookStore } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';

interface WebhookRow {
  id: string;
  url: string;
  events: string;
  secret: string;
  active: number;
  cursor: number;
  failing_since: string | null;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  last_delivered_at: string | null;
  attempts: number;
  paused_reason: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS: Record<keyof WebhookPatch | 'lastAttemptAt' | 'lastDeliveredAt', string> = {
  url: 'url',
  events: 'events',
  secret: 'secret',
  active: 'active',
  pausedReason: 'paused_reason',
  cursor: 'cursor',
  failingSince: 'failing_since',
  lastError: 'last_error',
  nextAttemptAt: 'next_attempt_at',
  attempts: 'attempts',
  lastAttemptAt: 'last_attempt_at',
  lastDeliveredAt: 'last_delivered_at',
};

/** Webhook subscriptions in `webhooks`. */
export class SqliteWebhookStore implements WebhookStore {
  private readonly insert: Statement<[WebhookRow]>;
  private readonly selectAll: Statement<[], WebhookRow>;
  private readonly selectOne: Statement<[string], WebhookRow>;
  private readonly deleteOne: Statement<[string]>;
  private readonly moveCursor: Statement<[number, string, string, string, number]>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO webhooks (id, url, events, secret, active, cursor, failing_since, last_error, last_attempt_at, next_attempt_at,
         last_delivered_at, attempts, paused_reason, created_at, updated_at)
       VALUES (@id, @url, @events, @secret, @active, @cursor, @failing_since, @last_error, @last_attempt_at, @next_attempt_at,
         @last_delivered_at, @attempts, @paused_reason, @created_at, @updated_at)`,
    );
    this.selectAll = db.prepare('SELECT * FROM webhooks ORDER BY created_at, id');
    this.selectOne = db.prepare('SELECT * FROM webhooks WHERE id = ?');
    this.deleteOne = db.prepare('DELETE FROM webhooks WHERE id = ?');
    this.moveCursor = db.prepare(
      `UPDATE webhooks SET cursor = ?, failing_since = NULL, last_error = NULL, next_attempt_at = NULL, attempts = 0,
         last_attempt_at = ?, last_delivered_at = ?
       WHERE id = ? AND cursor = ?`,
    );
  }

  async create(webhook: NewWebhook): Promise<WebhookRecord> {
    const record = newWebhookRecord(webhook, newId(), new Date().toISOString());
    withStorageErrors(() => this.insert.run(toRow(record)));
    return record;
  }

  async list(): Promise<WebhookRecord[]> {
    return withStorageErrors(() => this.selectAll.all()).map(fromRow);
  }

  async byId(id: string): Promise<WebhookRecord | null> {
    const row = withStorageErrors(() => this.selectOne.get(id));
    return row ? fromRow(row) : null;
  }

  async update(id: string, patch: WebhookPatch): Promise<WebhookRecord> {
    this.set(id, patch, true);
    const updated = await this.byId(id);
    if (!updated) throw new NotFoundError('webhook', id);
    return updated;
  }

  async delete(id: string): Promise<void> {
    const { changes } = withStorageErrors(() => this.deleteOne.run(id));
    if (changes === 0) throw new NotFoundError('webhook', id);
  }

  async delivered(id: string, from: number, to: number, at: string): Promise<boolean> {
    return withStorageErrors(() => this.moveCursor.run(to, at, at, id, from)).changes > 0;
  }

  async failed(id: string, failure: WebhookFailure): Promise<void> {
    this.set(id, failure, false);
  }

  private set(id: string, fields: Record<string, unknown>, touch: boolean): void {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    const assignments = entries.map(([key]) => `${COLUMNS[key as keyof typeof COLUMNS]} = ?`);
    if (touch) assignments.push('updated_at = ?');
    const values = entries.map(([key, value]) => columnValue(key, value));
    if (touch) values.push(new Date().toISOString());
    if (assignments.length === 0) return;
    const { changes } = withStorageErrors(() =>
      this.db.prepare(`UPDATE webhooks SET ${assignments.join(', ')} WHERE id = ?`).run(...values, id),
    );
    if (changes === 0) throw new NotFoundError('webhook', id);
  }
}

function columnValue(key: string, value: unknown): unknown {
  if (key === 'events') return JSON.stringify(value);
  if (key === 'active') return value ? 1 : 0;
  return value;
}

function toRow(record: WebhookRecord): WebhookRow {
  return {
    id: record.id,
    url: record.url,
    events: JSON.stringify(record.events),
    secret: record.secret,
    active: record.active ? 1 : 0,
    cursor: record.cursor,
    failing_since: record.failingSince,
    last_error: record.lastError,
    last_attempt_at: record.lastAttemptAt,
    next_attempt_at: record.nextAttemptAt,
    last_delivered_at: record.lastDeliveredAt,
    attempts: record.attempts,
    paused_reason: record.pausedReason,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

function fromRow(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    secret: row.secret,
    active: row.active === 1,
    cursor: row.cursor,
    failingSince: row.failing_since,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    lastDeliveredAt: row.last_delivered_at,
    attempts: row.attempts,
    pausedReason: row.paused_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
