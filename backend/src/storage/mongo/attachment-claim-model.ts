import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A message's claim on an upload, in the `attachmentClaims` collection, `_id` the upload's id:
 * an insert into the unique `_id` decides which send gets an upload when two race (FerretDB 1.x
 * has no compare-and-set update that would hold under concurrency).
 */
export interface AttachmentClaimDoc {
  _id: string;
  uploaderId: string;
  clientId: string;
  chatId: string;
  position: number;
}

const attachmentClaimSchema = new Schema<AttachmentClaimDoc>(
  {
    _id: { type: String, required: true },
    uploaderId: { type: String, required: true },
    clientId: { type: String, required: true },
    chatId: { type: String, required: true },
    position: { type: Number, required: true },
  },
  { versionKey: false, id: false },
);

attachmentClaimSchema.index({ uploaderId: 1, clientId: 1 }, { name: 'attachmentClaims_uploaderId_clientId' });

export function attachmentClaimModel(connection: Connection): Model<AttachmentClaimDoc> {
  return connection.model<AttachmentClaimDoc>('AttachmentClaim', attachmentClaimSchema, 'attachmentClaims');
}
