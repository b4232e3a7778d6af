import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A write whose webhook events are not logged yet, in `webhookIntents`: stored before the write,
 * removed once its events are in the log (mongo-event-outbox.ts). One left behind by a crash
 * says which write to look for.
 */
export type WebhookIntentDoc = {
  _id: string;
  createdAt: string;
} & (
  | { kind: 'message'; senderId: string; clientId: string }
  /** A batch of appended messages, by their senderClientKey (message-model.ts); written by earlier versions, still recovered. */
  | { kind: 'messages'; keys: string[] }
  /**
   * A writer's appended messages whose events may not be logged yet: those it stored (`w` on the
   * message) with an id from `fromId` on. Kept while it appends, its createdAt renewed.
   */
  | { kind: 'writer'; writer: string; fromId: string }
  | { kind: 'change'; chatId: string; messageId: string; change: 'edit' | 'delete' }
  | { kind: 'member'; chatId: string; userId: string; change: 'joined' | 'left'; tag: string }
);

const webhookIntentSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    createdAt: { type: String, required: true },
    senderId: String,
    clientId: String,
    keys: { type: [String], default: undefined },
    writer: String,
    fromId: String,
    chatId: String,
    messageId: String,
    userId: String,
    change: String,
    tag: String,
  },
  { versionKey: false, id: false },
);
webhookIntentSchema.index({ createdAt: 1 });

export function webhookIntentModel(connection: Connection): Model<WebhookIntentDoc> {
  return connection.model<WebhookIntentDoc>('WebhookIntent', webhookIntentSchema, 'webhookIntents');
}
