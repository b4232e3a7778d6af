import { Schema, type Connection, type Model } from 'mongoose';
import type { AttachmentRecord } from '../storage.js';

/**
 * An upload, in the `attachments` collection. The fields of the message it belongs to
 * (`chatId`, `clientId`, `messageId`, `position`) are left out until `link` writes them, once,
 * from the claim (attachment-claim-model.ts); sparse indexes then hold only linked uploads.
 */
export interface AttachmentDoc {
  _id: string;
  uploaderId: string;
  purpose: AttachmentRecord['purpose'];
  name: string;
  size: number;
  mime: string;
  kind: AttachmentRecord['kind'];
  width?: number;
  height?: number;
  animated: boolean;
  blobKey: string;
  previewKey?: string;
  thumbKey?: string;
  chatId?: string;
  clientId?: string;
  messageId?: string;
  position?: number;
  createdAt: string;
}

const attachmentSchema = new Schema<AttachmentDoc>(
  {
    _id: { type: String, required: true },
    uploaderId: { type: String, required: true },
    purpose: { type: String, required: true },
    name: { type: String, required: true },
    size: { type: Number, required: true },
    mime: { type: String, required: true },
    kind: { type: String, required: true },
    width: { type: Number },
    height: { type: Number },
    animated: { type: Boolean, required: true },
    blobKey: { type: String, required: true },
    previewKey: { type: String },
    thumbKey: { type: String },
    chatId: { type: String },
    clientId: { type: String },
    messageId: { type: String },
    position: { type: Number },
    createdAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

// A page of history: its messages' attachments.
attachmentSchema.index({ messageId: 1, position: 1 }, { name: 'attachments_messageId_position', sparse: true });
// The daily quota: one uploader's recent uploads.
attachmentSchema.index({ uploaderId: 1, createdAt: 1 }, { name: 'attachments_uploaderId_createdAt' });
// The orphan sweeper reads by age.
attachmentSchema.index({ createdAt: 1 }, { name: 'attachments_createdAt' });
// "Does any upload still refer to this blob?"
attachmentSchema.index({ blobKey: 1 }, { name: 'attachments_blobKey' });
attachmentSchema.index({ previewKey: 1 }, { name: 'attachments_previewKey', sparse: true });
attachmentSchema.index({ thumbKey: 1 }, { name: 'attachments_thumbKey', sparse: true });

export function attachmentModel(connection: Connection): Model<AttachmentDoc> {
  return connection.model<AttachmentDoc>('Attachment', attachmentSchema, 'attachments');
}

export function attachmentToDoc(record: AttachmentRecord): AttachmentDoc {
  const doc: AttachmentDoc = {
    _id: record.id,
    uploaderId: record.uploaderId,
    purpose: record.purpose,
    name: record.name,
    size: record.size,
    mime: record.mime,
    kind: record.kind,
    animated: record.animated,
    blobKey: record.blobKey,
    createdAt: record.createdAt,
  };
  if (record.width !== null) doc.width = record.width;
  if (record.height !== null) doc.height = record.height;
  if (record.previewKey !== null) doc.previewKey = record.previewKey;
  if (record.thumbKey !== null) doc.thumbKey = record.thumbKey;
  return doc;
}

export function docToAttachment(doc: AttachmentDoc): AttachmentRecord {
  return {
    id: doc._id,
    uploaderId: doc.uploaderId,
    purpose: doc.purpose,
    name: doc.name,
    size: doc.size,
    mime: doc.mime,
    kind: doc.kind,
    width: doc.width ?? null,
    height: doc.height ?? null,
    animated: doc.animated,
    blobKey: doc.blobKey,
    previewKey: doc.previewKey ?? null,
    thumbKey: doc.thumbKey ?? null,
    chatId: doc.chatId ?? null,
    clientId: doc.clientId ?? null,
    messageId: doc.messageId ?? null,
    position: doc.position ?? 0,
    createdAt: doc.createdAt,
  };
}
