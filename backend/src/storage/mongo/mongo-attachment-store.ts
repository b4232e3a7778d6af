import { newAttachmentRecord } from '../records/attachment.js';
import type { AttachmentRecord, AttachmentStore, NewAttachment } from '../storage.js';
import type { AttachmentClaimDoc } from './attachment-claim-model.js';
import { attachmentToDoc, docToAttachment, type AttachmentDoc } from './attachment-model.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';

/**
 * Uploads and their claims. A claim is a document of its own (attachment-claim-model.ts) so
 * that racing sends are decided by a unique insert; `link` then copies it into the upload once
 * the message is stored. Reads merge claims that are not linked yet.
 */
export class MongoAttachmentStore implements AttachmentStore {
  constructor(private readonly models: MongoModels) {}

  async create(attachment: NewAttachment): Promise<AttachmentRecord> {
    const record = newAttachmentRecord(attachment, new Date().toISOString());
    await withMongoErrors(() => this.models.attachments.create(attachmentToDoc(record)));
    return record;
  }

  async byIds(ids: readonly string[]): Promise<AttachmentRecord[]> {
    if (ids.length === 0) return [];
    const docs = await withMongoErrors(() => this.models.attachments.find({ _id: { $in: [...ids] } }).lean<AttachmentDoc[]>());
    return this.withClaims(docs);
  }

  async claim(ids: readonly string[], claim: { uploaderId: string; clientId: string; chatId: string }): Promise<boolean> {
    const docs = await withMongoErrors(() => this.models.attachments.find({ _id: { $in: [...ids] } }).lean<AttachmentDoc[]>());
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    const fits = ids.every((id) => {
      const doc = byId.get(id);
      if (!doc || doc.uploaderId !== claim.uploaderId || doc.purpose !== 'message') return false;
      return doc.messageId === undefined;
    });
    if (!fits) return false;
    const inserted: string[] = [];
    for (const [position, id] of ids.entries()) {
      try {
        await this.models.attachmentClaims.create({ _id: id, ...claim, position });
        inserted.push(id);
      } catch (error) {
        if (!isDuplicateKeyError(error)) {
          await this.undo(inserted);
          throw translateMongoError(error);
        }
        const existing = await withMongoErrors(() => this.models.attachmentClaims.findById(id).lean<AttachmentClaimDoc>());
        if (existing?.uploaderId === claim.uploaderId && existing.clientId === claim.clientId) continue;
        await this.undo(inserted);
        return false;
      }
    }
    return true;
  }

  async release(uploaderId: string, clientId: string): Promise<void> {
    const claims = await withMongoErrors(() => this.models.attachmentClaims.find({ uploaderId, clientId }).lean<AttachmentClaimDoc[]>());
    if (claims.length === 0) return;
    const linked = await withMongoErrors(() =>
      this.models.attachments.find({ _id: { $in: claims.map((c) => c._id) }, messageId: { $exists: true } }, { _id: 1 }).lean<Array<{ _id: string }>>(),
    );
    const keep = new Set(linked.map((doc) => doc._id));
    await this.undo(claims.map((c) => c._id).filter((id) => !keep.has(id)));
  }

  async link(uploaderId: string, clientId: string, messageId: string): Promise<void> {
    const claims = await withMongoErrors(() => this.models.attachmentClaims.find({ uploaderId, clientId }).lean<AttachmentClaimDoc[]>());
    for (const claim of claims) {
      await withMongoErrors(() =>
        this.models.attachments.updateOne(
          { _id: claim._id, messageId: { $exists: false } },
          { $set: { messageId, chatId: claim.chatId, clientId: claim.clientId, position: claim.position } },
        ),
      );
    }
  }

  async ofMessages(messageIds: readonly string[]): Promise<AttachmentRecord[]> {
    if (messageIds.length === 0) return [];
    const docs = await withMongoErrors(() =>
      this.models.attachments.find({ messageId: { $in: [...messageIds] } }).sort({ messageId: 1, position: 1 }).lean<AttachmentDoc[]>(),
    );
    return docs.map(docToAttachment);
  }

  async ofUploader(uploaderId: string): Promise<AttachmentRecord[]> {
    const docs = await withMongoErrors(() => this.models.attachments.find({ uploaderId }).sort({ createdAt: 1 }).lean<AttachmentDoc[]>());
    return this.withClaims(docs);
  }

  async bytesSince(uploaderId: string, since: string): Promise<number> {
    const docs = await withMongoErrors(() =>
      this.models.attachments.find({ uploaderId, createdAt: { $gte: since } }, { size: 1 }).lean<Array<{ size: number }>>(),
    );
    return docs.reduce((sum, doc) => sum + doc.size, 0);
  }

  async orphans(before: string, limit: number): Promise<AttachmentRecord[]> {
    const docs = await withMongoErrors(() =>
      this.models.attachments
        .find({ messageId: { $exists: false }, createdAt: { $lt: before } })
        .sort({ createdAt: 1 })
        .limit(limit)
        .lean<AttachmentDoc[]>(),
    );
    return this.withClaims(docs);
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await withMongoErrors(() => this.models.attachments.deleteMany({ _id: { $in: [...ids] } }));
    await this.undo(ids);
  }

  async refersToBlob(key: string): Promise<boolean> {
    const found = await withMongoErrors(() =>
      this.models.attachments.findOne({ $or: [{ blobKey: key }, { previewKey: key }, { thumbKey: key }] }, { _id: 1 }).lean(),
    );
    return found !== null;
  }

  private async undo(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await withMongoErrors(() => this.models.attachmentClaims.deleteMany({ _id: { $in: [...ids] } }));
  }

  /** The records, with the claim of each upload not linked yet. */
  private async withClaims(docs: AttachmentDoc[]): Promise<AttachmentRecord[]> {
    const unlinked = docs.filter((doc) => doc.messageId === undefined).map((doc) => doc._id);
    const claims =
      unlinked.length === 0
        ? []
        : await withMongoErrors(() => this.models.attachmentClaims.find({ _id: { $in: unlinked } }).lean<AttachmentClaimDoc[]>());
    const claimOf = new Map(claims.map((claim) => [claim._id, claim]));
    return docs.map((doc) => {
      const record = docToAttachment(doc);
      const claim = claimOf.get(doc._id);
      return claim ? { ...record, chatId: claim.chatId, clientId: claim.clientId, position: claim.position } : record;
    });
  }
}
