import { newId } from '../ids.js';
import { eventOfMembership, eventsOfNewMessage } from '../records/event.js';
import type { NewEvent } from '../storage.js';
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
