import { Schema, type Connection, type Model } from 'mongoose';
import type { WebhookEventType } from '../../../../shared/src/schemas/webhooks.js';
import type { WebhookRecord } from '../storage.js';

/** One webhook subscription in `webhooks`, with its cursor and failure state. */
export interface WebhookDoc {
  _id: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  active: boolean;
  cursor: number;
  failingSince: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastDeliveredAt: string | null;
  attempts: number;
  pausedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

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

export function docToWebhook(doc: WebhookDoc): WebhookRecord {
  return {
    id: doc._id,
    url: doc.url,
    events: [...doc.events],
    secret: doc.secret,
    active: doc.active,
    cursor: doc.cursor,
    failingSince: doc.failingSince ?? null,
    lastError: doc.lastError ?? null,
    lastAttemptAt: doc.lastAttemptAt ?? null,
    nextAttemptAt: doc.nextAttemptAt ?? null,
    lastDeliveredAt: doc.lastDeliveredAt ?? null,
    attempts: doc.attempts ?? 0,
    pausedReason: doc.pausedReason ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
