import { newId } from '../ids.js';
import { eventOfMembership, eventsOfNewMessage } from '../records/event.js';
import type { MessageRecord, NewEvent, NewMessage } from '../storage.js';
import { docToMessage, senderClientKeyOf, type MessageDoc } from './message-model.js';
import type { MessageChangeDoc } from './message-change-model.js';
import type { MongoEventLog } from './mongo-event-log.js';
import { withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { membershipIdOf } from './membership-model.js';
import type { WebhookIntentDoc } from './webhook-intent-model.js';

type Intent = WebhookIntentDoc extends infer D ? (D extends WebhookIntentDoc ? Omit<D, '_id' | 'createdAt'> : never) : never;

/**
 * Makes the MongoDB event log an outbox a crash cannot lose, without transactions: before a
 * write that has webhook events, an intent naming it is stored; after the write, its events are
 * logged and the intent removed. A write that failed removes its intent. A crash (or a store
 * failure) between the write and the log leaves the intent, and `recover` — run by the webhook
 * dispatcher — finds the write it names and logs its events then (event ids are derived from
 * what they describe, so logging twice stores once). Such events come later in the log than
 * they would have: nothing is lost, but after a crash a few events may be out of place.
 */
export class MongoEventOutbox {
  constructor(
    private readonly models: MongoModels,
    private readonly log: MongoEventLog,
  ) {}

  /** Runs `write` between storing the intent and logging `events(result)`. */
  async around<T>(intent: Intent, write: () => Promise<T>, events: (result: T) => NewEvent[]): Promise<T> {
    const _id = newId();
    await withMongoErrors(() => this.models.webhookIntents.insertMany([{ _id, createdAt: new Date().toISOString(), ...intent }]));
    let result: T;
    try {
      result = await write();
    } catch (error) {
      await this.models.webhookIntents.deleteOne({ _id }).catch(() => undefined);
      throw error;
    }
    await this.log.append(events(result));
    await withMongoErrors(() => this.models.webhookIntents.deleteOne({ _id }));
    return result;
  }

  /**
   * The batched form of `around` for appended messages (mongo-append-batches.ts): one intent
   * names every message of the batch by sender and client id before its insert, and once the
   * batch is stored its events are logged in one go and the intent removed. Messages without a
   * client id (imports) cannot be found again after a crash and are left out of the intent;
   * notices have no events. Returns the intent's id, or null when it names nothing.
   */
  async beginBatch(messages: readonly NewMessage[]): Promise<string | null> {
    const keys = messages.flatMap((message) =>
      message.kind !== 'notice' && message.senderId !== null && message.clientId !== null
        ? [senderClientKeyOf(message.senderId, message.clientId)]
        : [],
    );
    if (keys.length === 0) return null;
    const _id = newId();
    await withMongoErrors(() => this.models.webhookIntents.collection.insertOne({ _id, createdAt: new Date().toISOString(), kind: 'messages', keys } as never));
    return _id;
  }

  /** Logs the stored messages' events, gathered with other batches', then removes the batch's intent (MongoEventLog.gather). */
  logBatch(stored: readonly MessageRecord[], intentId: string | null): Promise<void> {
    return this.log.gather(stored.flatMap(eventsOfNewMessage), intentId);
  }

  /** Events asked for and not yet in the log. */
  get unwrittenCount(): number {
    return this.log.unwrittenCount;
  }

  /** Removes the intents of batches whose events are logged, in one write. */
  async finishBatches(intentIds: readonly string[]): Promise<void> {
    if (intentIds.length > 0) await withMongoErrors(() => this.models.webhookIntents.collection.deleteMany({ _id: { $in: intentIds } } as never));
  }

  /** Removes the batch's intent: once its events are logged, or when it stored nothing. */
  async finishBatch(intentId: string | null): Promise<void> {
    if (intentId !== null) await withMongoErrors(() => this.models.webhookIntents.collection.deleteOne({ _id: intentId } as never));
  }

  /** Logs the events of the writes whose intents were stored before `before` and never finished. Returns how many intents it settled. */
  async recover(before: string): Promise<number> {
    const left = await withMongoErrors(() =>
      this.models.webhookIntents.find({ createdAt: { $lt: before } }).sort({ createdAt: 1 }).limit(500).lean<WebhookIntentDoc[]>(),
    );
    for (const intent of left) {
      await this.log.append(await this.eventsOf(intent));
      await withMongoErrors(() => this.models.webhookIntents.deleteOne({ _id: intent._id }));
    }
    return left.length;
  }

  private async eventsOf(intent: WebhookIntentDoc): Promise<NewEvent[]> {
    switch (intent.kind) {
      case 'message': {
        const doc = await withMongoErrors(() =>
          this.models.messages.findOne({ senderClientKey: senderClientKeyOf(intent.senderId, intent.clientId) }).lean<MessageDoc>(),
        );
        return doc ? eventsOfNewMessage(docToMessage(doc)) : [];
      }
      case 'messages': {
        const docs = await withMongoErrors(() =>
          this.models.messages.find({ senderClientKey: { $in: intent.keys } }).sort({ chatId: 1, seq: 1 }).lean<MessageDoc[]>(),
        );
        return docs.flatMap((doc) => eventsOfNewMessage(docToMessage(doc)));
      }
      case 'change': {
        const rows = await withMongoErrors(() =>
          this.models.messageChanges
            .find({ messageId: intent.messageId, kind: intent.change, at: { $gte: intent.createdAt } })
            .sort({ changeSeq: 1 })
            .lean<MessageChangeDoc[]>(),
        );
        const type = intent.change === 'edit' ? 'message.edited' : 'message.deleted';
        return rows.map((row) => ({ id: `evt_change_${intent.chatId}_${row.changeSeq}`, type, chatId: intent.chatId, messageId: intent.messageId, userId: null }));
      }
      case 'member': {
        const member = await withMongoErrors(() => this.models.memberships.exists({ _id: membershipIdOf(intent.chatId, intent.userId) }));
        const happened = intent.change === 'joined' ? member !== null : member === null;
        return happened ? [eventOfMembership(intent.change === 'joined' ? 'member.joined' : 'member.left', intent.chatId, intent.userId, intent.tag)] : [];
      }
    }
  }
}
