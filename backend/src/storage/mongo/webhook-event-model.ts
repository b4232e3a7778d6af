import { Schema, type Connection, type Model } from 'mongoose';
import type { WebhookEventType } from '../../../../shared/src/schemas/webhooks.js';
import type { EventRecord } from '../storage.js';

/**
 * One entry of the webhook event log in `webhookEvents`. `_id` is the position: the unique
 * primary key hands each position to exactly one writer (see MongoEventLog.append). `eventId`
 * is unique too, so logging an event twice (a retried write) stores it once.
 */
export interface WebhookEventDoc {
  _id: number;
  eventId: string;
  type: WebhookEventType;
  chatId: string;
  messageId: string | null;
  userId: string | null;
  createdAt: string;
}

const webhookEventSchema = new Schema<WebhookEventDoc>(
  {
    _id: { type: Number, required: true },
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    chatId: { type: String, required: true },
    messageId: { type: String, default: null },
    userId: { type: String, default: null },
    createdAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);
webhookEventSchema.index({ eventId: 1 }, { unique: true });
webhookEventSchema.index({ createdAt: 1 });

export function webhookEventModel(connection: Connection): Model<WebhookEventDoc> {
  return connection.model<WebhookEventDoc>('WebhookEvent', webhookEventSchema, 'webhookEvents');
}

export function docToEvent(doc: WebhookEventDoc): EventRecord {
  return {
    position: doc._id,
    id: doc.eventId,
    type: doc.type,
    chatId: doc.chatId,
    messageId: doc.messageId ?? null,
    userId: doc.userId ?? null,
    createdAt: doc.createdAt,
  };
}
