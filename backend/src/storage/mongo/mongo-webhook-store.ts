import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { newWebhookRecord } from '../records/webhook.js';
import type { NewWebhook, WebhookFailure, WebhookPatch, WebhookRecord, WebhookStore } from '../storage.js';
import { withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { docToWebhook, webhookToDoc, type WebhookDoc } from './webhook-model.js';

/** Webhook subscriptions in `webhooks`. */
export class MongoWebhookStore implements WebhookStore {
  constructor(private readonly models: MongoModels) {}

  async create(webhook: NewWebhook): Promise<WebhookRecord> {
    const record = newWebhookRecord(webhook, newId(), new Date().toISOString());
    await withMongoErrors(() => this.models.webhooks.insertMany([webhookToDoc(record)]));
    return record;
  }

  async list(): Promise<WebhookRecord[]> {
    const docs = await withMongoErrors(() => this.models.webhooks.find({}).sort({ createdAt: 1, _id: 1 }).lean<WebhookDoc[]>());
    return docs.map(docToWebhook);
  }

  async byId(id: string): Promise<WebhookRecord | null> {
    const doc = await withMongoErrors(() => this.models.webhooks.findById(id).lean<WebhookDoc>());
    return doc ? docToWebhook(doc) : null;
  }

  async update(id: string, patch: WebhookPatch): Promise<WebhookRecord> {
    const doc = await withMongoErrors(() =>
      this.models.webhooks
        .findOneAndUpdate({ _id: id }, { $set: { ...definedFields(patch), updatedAt: new Date().toISOString() } }, { returnDocument: 'after' })
        .lean<WebhookDoc>(),
    );
    if (!doc) throw new NotFoundError('webhook', id);
    return docToWebhook(doc);
  }

  async delete(id: string): Promise<void> {
    const { deletedCount } = await withMongoErrors(() => this.models.webhooks.deleteOne({ _id: id }));
    if (deletedCount === 0) throw new NotFoundError('webhook', id);
  }

  /** Only one process delivers a subscription (its lease), so the cursor condition only has to stop a move over an admin's replay. */
  async delivered(id: string, from: number, to: number, at: string): Promise<boolean> {
    const { matchedCount } = await withMongoErrors(() =>
      this.models.webhooks.updateOne(
        { _id: id, cursor: from },
        { $set: { cursor: to, failingSince: null, lastError: null, nextAttemptAt: null, attempts: 0, lastAttemptAt: at, lastDeliveredAt: at } },
      ),
    );
    return matchedCount > 0;
  }

  async failed(id: string, failure: WebhookFailure): Promise<void> {
    await withMongoErrors(() => this.models.webhooks.updateOne({ _id: id }, { $set: definedFields(failure) }));
  }
}

function definedFields(fields: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
