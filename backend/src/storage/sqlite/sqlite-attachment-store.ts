import type { Database, Statement } from 'better-sqlite3';
import { newAttachmentRecord } from '../records/attachment.js';
import type { AttachmentRecord, AttachmentStore, NewAttachment } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';
import { UnsyncedCommit, writeDurably } from './unsynced-commit.js';
import type { WalSync } from './wal-sync.js';

interface AttachmentRow {
  id: string;
  uploader_id: string;
  purpose: AttachmentRecord['purpose'];
  name: string;
  size: number;
  mime: string;
  kind: AttachmentRecord['kind'];
  width: number | null;
  height: number | null;
  animated: number;
  blob_key: string;
  preview_key: string | null;
  thumb_key: string | null;
  chat_id: string | null;
  client_id: string | null;
  message_id: string | null;
  position: number;
  created_at: string;
}

function rowToAttachment(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    uploaderId: row.uploader_id,
    purpose: row.purpose,
    name: row.name,
    size: row.size,
    mime: row.mime,
    kind: row.kind,
    width: row.width,
    height: row.height,
    animated: row.animated === 1,
    blobKey: row.blob_key,
    previewKey: row.preview_key,
    thumbKey: row.thumb_key,
    chatId: row.chat_id,
    clientId: row.client_id,
    messageId: row.message_id,
    position: row.position,
    createdAt: row.created_at,
  };
}

/** Id lists go to SQLite as one JSON array parameter (json_each), never as a built-up IN list. */
const IDS = '(SELECT value FROM json_each(?))';

export class SqliteAttachmentStore implements AttachmentStore {
  private readonly insert: Statement<AttachmentRow>;
  private readonly selectByIds: Statement<[string], AttachmentRow>;
  private readonly claimOne: Statement<[string, string, number, string, string, string]>;
  private readonly releaseClaim: Statement<[string, string]>;
  private readonly linkClaim: Statement<[string, string, string]>;
  private readonly selectOfMessages: Statement<[string], AttachmentRow>;
  private readonly selectOfUploader: Statement<[string], AttachmentRow>;
  private readonly sumSince: Statement<[string, string], { bytes: number | null }>;
  private readonly selectOrphans: Statement<[string, number], AttachmentRow>;
  private readonly deleteByIds: Statement<[string]>;
  private readonly selectKeyUse: Statement<[string, string, string], { found: number }>;
  private readonly claimAll: (ids: readonly string[], claim: { uploaderId: string; clientId: string; chatId: string }) => boolean;

  private readonly unsynced: UnsyncedCommit;

  /** Writes commit unsynced and are answered once WalSync has them on disk (unsynced-commit.ts), like messages. */
  constructor(
    db: Database,
    private readonly walSync: WalSync,
  ) {
    this.unsynced = new UnsyncedCommit(db);
    this.insert = db.prepare(`
      INSERT INTO attachments (id, uploader_id, purpose, name, size, mime, kind, width, height, animated, blob_key, preview_key,
        thumb_key, chat_id, client_id, message_id, position, created_at)
      VALUES (@id, @uploader_id, @purpose, @name, @size, @mime, @kind, @width, @height, @animated, @blob_key, @preview_key,
        @thumb_key, @chat_id, @client_id, @message_id, @position, @created_at)
    `);
    this.selectByIds = db.prepare(`SELECT * FROM attachments WHERE id IN ${IDS}`);
    this.claimOne = db.prepare(`
      UPDATE attachments SET chat_id = ?, client_id = ?, position = ?
      WHERE id = ? AND uploader_id = ? AND purpose = 'message' AND message_id IS NULL
        AND (client_id IS NULL OR client_id = ?)
    `);
    this.releaseClaim = db.prepare(
      'UPDATE attachments SET chat_id = NULL, client_id = NULL, position = 0 WHERE uploader_id = ? AND client_id = ? AND message_id IS NULL',
    );
    this.linkClaim = db.prepare('UPDATE attachments SET message_id = ? WHERE uploader_id = ? AND client_id = ? AND message_id IS NULL');
    this.selectOfMessages = db.prepare(`SELECT * FROM attachments WHERE message_id IN ${IDS} ORDER BY message_id, position`);
    this.selectOfUploader = db.prepare('SELECT * FROM attachments WHERE uploader_id = ? ORDER BY created_at');
    this.sumSince = db.prepare('SELECT SUM(size) AS bytes FROM attachments WHERE uploader_id = ? AND created_at >= ?');
    this.selectOrphans = db.prepare('SELECT * FROM attachments WHERE message_id IS NULL AND created_at < ? ORDER BY created_at LIMIT ?');
    this.deleteByIds = db.prepare(`DELETE FROM attachments WHERE id IN ${IDS}`);
    this.selectKeyUse = db.prepare(`
      SELECT 1 AS found WHERE EXISTS (SELECT 1 FROM attachments WHERE blob_key = ?)
        OR EXISTS (SELECT 1 FROM attachments WHERE preview_key = ?)
        OR EXISTS (SELECT 1 FROM attachments WHERE thumb_key = ?)
    `);
    this.claimAll = db.transaction((ids, claim) => {
      for (const [position, id] of ids.entries()) {
        const changed = this.claimOne.run(claim.chatId, claim.clientId, position, id, claim.uploaderId, claim.clientId).changes;
        if (changed !== 1) throw new ClaimRefused();
      }
      return true;
    });
  }

  async create(attachment: NewAttachment): Promise<AttachmentRecord> {
    const record = newAttachmentRecord(attachment, new Date().toISOString());
    await this.durably(() =>
      this.insert.run({
        id: record.id,
        uploader_id: record.uploaderId,
        purpose: record.purpose,
        name: record.name,
        size: record.size,
        mime: record.mime,
        kind: record.kind,
        width: record.width,
        height: record.height,
        animated: record.animated ? 1 : 0,
        blob_key: record.blobKey,
        preview_key: record.previewKey,
        thumb_key: record.thumbKey,
        chat_id: null,
        client_id: null,
        message_id: null,
        position: 0,
        created_at: record.createdAt,
      }),
    );
    return record;
  }

  async byIds(ids: readonly string[]): Promise<AttachmentRecord[]> {
    if (ids.length === 0) return [];
    return withStorageErrors(() => this.selectByIds.all(JSON.stringify(ids))).map(rowToAttachment);
  }

  async claim(ids: readonly string[], claim: { uploaderId: string; clientId: string; chatId: string }): Promise<boolean> {
    try {
      return await this.durably(() => this.claimAll(ids, claim));
    } catch (error) {
      if (error instanceof ClaimRefused) return false;
      throw error;
    }
  }

  async release(uploaderId: string, clientId: string): Promise<void> {
    await this.durably(() => this.releaseClaim.run(uploaderId, clientId));
  }

  async link(uploaderId: string, clientId: string, messageId: string): Promise<void> {
    await this.durably(() => this.linkClaim.run(messageId, uploaderId, clientId));
  }

  async ofMessages(messageIds: readonly string[]): Promise<AttachmentRecord[]> {
    if (messageIds.length === 0) return [];
    return withStorageErrors(() => this.selectOfMessages.all(JSON.stringify(messageIds))).map(rowToAttachment);
  }

  async ofUploader(uploaderId: string): Promise<AttachmentRecord[]> {
    return withStorageErrors(() => this.selectOfUploader.all(uploaderId)).map(rowToAttachment);
  }

  async bytesSince(uploaderId: string, since: string): Promise<number> {
    return withStorageErrors(() => this.sumSince.get(uploaderId, since))?.bytes ?? 0;
  }

  async orphans(before: string, limit: number): Promise<AttachmentRecord[]> {
    return withStorageErrors(() => this.selectOrphans.all(before, limit)).map(rowToAttachment);
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.durably(() => this.deleteByIds.run(JSON.stringify(ids)));
  }

  private durably<T>(write: () => T): Promise<T> {
    return writeDurably(this.unsynced, this.walSync, write);
  }

  async refersToBlob(key: string): Promise<boolean> {
    return withStorageErrors(() => this.selectKeyUse.get(key, key, key)) !== undefined;
  }
}

/** Thrown inside the claim transaction to roll it back. */
class ClaimRefused extends Error {}
