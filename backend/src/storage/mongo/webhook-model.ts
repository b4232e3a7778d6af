import { Schema, type Connection, type Model } from 'mongoose';
import type { WebhookRecord } from '../storage.js';

/** One webhook subscription in `webhooks`, with its cursor and failure state: the record, keyed by `_id`. */
export type WebhookDoc = Omit<WebhookRecord, 'id'> & { _id: string };

const webhookSchema = new Schema<WebhookDoc>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    secret: { type: String, required: true },
    active: { type: Boolean, required: true },
    cursor: { type: Number, required: true },
    failingSince: { type: String, default: null },
    lastError: { type: String, default: null },
    lastAttemptAt: { type: String, default: null },
    nextAttemptAt: { type: String, default: null },
    lastDeliveredAt: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    pausedReason: { type: String, default: null },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

export function webhookModel(connection: Connection): Model<WebhookDoc> {
  return connection.model<WebhookDoc>('Webhook', webhookSchema, 'webhooks');
}

export function webhookToDoc({ id, ...record }: WebhookRecord): WebhookDoc {
  return { _id: id, ...record, events: [...record.events] };
}

export function docToWebhook({ _id, ...doc }: WebhookDoc): WebhookRecord {
  return { ...doc, id: _id, events: [...doc.events] };
}
