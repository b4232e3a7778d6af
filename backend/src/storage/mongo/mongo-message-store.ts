import type { DeletedUserMessages } from '../../../../shared/src/schemas/admin.js';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../errors.js';
import { newMessageRecord } from '../records/message.js';
import type { MessageRecord, MessageStore, NewMessage } from '../storage.js';
import type { ChatDoc } from './chat-model.js';
import { duplicateKeyField, isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { docToMessage, messageToDoc, senderClientKeyOf, type MessageDoc } from './message-model.js';

/** Enough for dozens of writers racing for the same chat; each round lets at least one of them through. */
const MAX_SEQ_ATTEMPTS = 100;

export class MongoMessageStore implements MessageStore {
  constructor(private readonly models: MongoModels) {}

  /**
   * Appends without a multi-document transaction (FerretDB 1.x has none), in steps that are
   * each safe on their own:
   *  1. take the seq: insert the message with seq = 1 + the highest seq known (the chat's
   *     lastSeq, or its newest message); the unique (chatId, seq) index lets exactly one
   *     writer have each seq, and a writer that loses retries with the next one. Seqs are
   *     gap-free, and the chat's lastSeq keeps them from being reused after the newest
   *     messages were erased;
   *  2. move the chat's lastSeq and lastActivityAt forward ($max, so a slower writer never
   *     moves them back);
   *  3. un-hide the chat for every member.
   * The seq is not reserved with $inc on the chat: FerretDB 1.x applies an update by reading
   * the document and writing it back whole, so concurrent increments get lost and two messages
   * would be handed one seq. Only the unique index is atomic on both servers. For the same
   * reason readers take lastSeq and lastActivityAt as the newer of the chat's fields and its
   * newest message (see chat-activity.ts): step 2 may lose a race on FerretDB, or never run if
   * the process dies after step 1.
   *
   * On a MongoDB replica set, the three steps could run in one transaction
   * (session.withTransaction) around an $inc of lastSeq: no retries under contention, and no
   * moment in which a reader sees the message before the chat's new lastSeq.
   */
  async append(message: NewMessage): Promise<MessageRecord> {
    const senderClientKey =
      message.senderId !== null && message.clientId !== null ? senderClientKeyOf(message.senderId, message.clientId) : null;
    const [chat, known] = await withMongoErrors(() =>
      Promise.all([
        this.models.chats.findById(message.chatId, { lastSeq: 1 }).lean<Pick<ChatDoc, '_id' | 'lastSeq'>>(),
        senderClientKey === null ? Promise.resolve(null) : this.models.messages.exists({ senderClientKey }),
      ]),
    );
    if (!chat) throw new NotFoundError('chat', message.chatId);
    if (known) throw new ConflictError('clientId');

    const record = await this.insertWithNextSeq(message, chat.lastSeq, senderClientKey);

    await withMongoErrors(() =>
      Promise.all([
        this.models.chats.updateOne(
          { _id: message.chatId },
          { $max: { lastSeq: record.seq, lastActivityAt: record.createdAt } },
        ),
        this.models.memberships.updateMany({ chatId: message.chatId, hidden: true }, { $set: { hidden: false } }),
      ]),
    );
    return record;
  }

  async byId(id: string): Promise<MessageRecord | null> {
    const doc = await withMongoErrors(() => this.models.messages.findById(id).lean<MessageDoc>());
    return doc ? docToMessage(doc) : null;
  }

  async bySenderClientId(senderId: string, clientId: string): Promise<MessageRecord | null> {
    const doc = await withMongoErrors(() =>
      this.models.messages.findOne({ senderClientKey: senderClientKeyOf(senderId, clientId) }).lean<MessageDoc>(),
    );
    return doc ? docToMessage(doc) : null;
  }

  async before(chatId: string, beforeSeq: number | null, limit: number): Promise<MessageRecord[]> {
    const filter = beforeSeq === null ? { chatId } : { chatId, seq: { $lt: beforeSeq } };
    const newestFirst = await withMongoErrors(() =>
      this.models.messages.find(filter).sort({ seq: -1 }).limit(limit).lean<MessageDoc[]>(),
    );
    return newestFirst.reverse().map(docToMessage);
  }

  async after(chatId: string, afterSeq: number, limit: number): Promise<MessageRecord[]> {
    const docs = await withMongoErrors(() =>
      this.models.messages
        .find({ chatId, seq: { $gt: afterSeq } })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<MessageDoc[]>(),
    );
    return docs.map(docToMessage);
  }

  async detachSender(senderId: string, mode: DeletedUserMessages): Promise<void> {
    await withMongoErrors(async () => {
      if (mode === 'keep') {
        await this.models.messages.updateMany(
          { senderId },
          { $set: { senderId: null, clientId: null }, $unset: { senderClientKey: '' } },
        );
      } else {
        await this.models.messages.deleteMany({ senderId });
      }
    });
  }

  /** Step 1 of append: the first free seq after the highest known one, claimed by inserting. */
  private async insertWithNextSeq(
    message: NewMessage,
    storedLastSeq: number,
    senderClientKey: string | null,
  ): Promise<MessageRecord> {
    let taken = storedLastSeq;
    for (let attempt = 1; attempt <= MAX_SEQ_ATTEMPTS; attempt += 1) {
      const newest = await withMongoErrors(() =>
        this.models.messages.findOne({ chatId: message.chatId }, { seq: 1 }).sort({ seq: -1 }).lean<Pick<MessageDoc, 'seq'>>(),
      );
      // Stamped per attempt, so a message that lost a few races is not dated before the ones it let pass.
      const record = newMessageRecord(message, Math.max(taken, newest?.seq ?? 0) + 1, new Date().toISOString());
      try {
        await this.models.messages.insertMany([messageToDoc(record)]);
        return record;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw translateMongoError(error);
        if (await this.isClientIdConflict(error, senderClientKey)) throw new ConflictError('clientId');
        // Someone else has this seq: try the next one, after a short random pause once it gets crowded.
        taken = record.seq;
        if (attempt > 2) await pause(Math.random() * attempt * 2);
      }
    }
    throw new StoreUnavailableError(new Error(`no free seq in chat ${message.chatId} after ${MAX_SEQ_ATTEMPTS} attempts`));
  }

  /** Whether a duplicate key error on insert was the (sender, clientId) rule rather than the seq. */
  private async isClientIdConflict(error: unknown, senderClientKey: string | null): Promise<boolean> {
    const field = duplicateKeyField(error);
    if (field !== null) return field === 'clientId';
    // FerretDB does not say which index refused the insert: look.
    if (senderClientKey === null) return false;
    return (await withMongoErrors(() => this.models.messages.exists({ senderClientKey }))) !== null;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
