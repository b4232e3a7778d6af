import type { DeletedUserMessages } from '../../../../shared/src/schemas/admin.js';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../errors.js';
import { newId } from '../ids.js';
import { eventOfChange } from '../records/event.js';
import { changesSomething, newChangeRecord, newReactionRecord } from '../records/message-change.js';
import type {
  AppliedChange,
  ChangeRecord,
  MessageChangeInput,
  MessageRecord,
  MessageSearch,
  MessageSearchPage,
  MessageStore,
  NewMessage,
  ReactionRecord,
} from '../storage.js';
import type { ChatDoc } from './chat-model.js';
import { changeIdOf, docToChange, type MessageChangeDoc } from './message-change-model.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import { newestChangeSeq } from './chat-activity.js';
import type { MongoModels } from './mongo-models.js';
import { docToMessage, senderClientKeyOf, type MessageDoc } from './message-model.js';
import type { MongoEventLog } from './mongo-event-log.js';
import { MongoSearchIndex } from './mongo-search-index.js';
import { ChatActivityWriter } from './chat-activity-writer.js';
import { settledWithin } from './settled-within.js';
import { MongoSearchBacklog } from './mongo-search-backlog.js';
import { MongoAppendBatches, type AppendLimits } from './mongo-append-batches.js';
import type { CacheBus, CacheEvent } from './mongo-cache-bus.js';
import type { MongoMemberLists } from './mongo-member-lists.js';
import { mentionDocsOf } from './mention-model.js';
import { docToReaction, reactionToDoc, type ReactionDoc } from './reaction-model.js';

/** Enough for dozens of writers racing for the same chat's change log; each round lets at least one of them through. */
const MAX_SEQ_ATTEMPTS = 100;
/** Rounds of bringing a message document in line with its changes; each lost write costs one. */
const MAX_SETTLE_ROUNDS = 20;

type ChangeFields = Pick<MessageChangeDoc, 'changeSeq' | 'at' | 'deletedBy' | 'body' | 'mentions'>;

export class MongoMessageStore implements MessageStore {
  private readonly searchIndex: MongoSearchIndex;
  private readonly searchBacklog: MongoSearchBacklog;
  private readonly appends: MongoAppendBatches;
  private readonly chatActivity: ChatActivityWriter;

  constructor(
    private readonly models: MongoModels,
    /** Logged after the messages or change (mongo-event-outbox.ts says what a crash in between leaves). */
    private readonly eventLog: MongoEventLog,
    memberLists: MongoMemberLists,
    bus: CacheBus,
    limits?: AppendLimits,
  ) {
    this.searchIndex = new MongoSearchIndex(models, (chatId) => this.appends.knownSeq(chatId));
    this.chatActivity = new ChatActivityWriter(models);
    this.appends = new MongoAppendBatches(
      models,
      memberLists,
      bus,
      (records) => this.searchBacklog.added(records),
      eventLog.outbox,
      this.chatActivity,
      limits,
    );
    this.searchBacklog = new MongoSearchBacklog(this.searchIndex, () => this.appends.idle());
  }

  /**
   * Group-committed (MongoAppendBatches says how, and why the seqs stay gap-free without a
   * transaction): the messages of one turn of the event loop are stored by one insertMany after
   * the batch's webhook intent; hidden chats are shown again and mention documents are written
   * (one write each for the batch, when it has any), and the promise settles. The batch's webhook
   * events are logged after that, beside the next batch (the intent covers a crash), the chats'
   * lastSeq and lastActivityAt are moved once per interval (ChatActivityWriter), and search
   * postings are written in the background (MongoSearchBacklog) and healed at search time
   * (mongo-search-index.ts).
   *
   * lastSeq is not a counter ($inc) on the chat: FerretDB 1.x applies an update by reading the
   * document and writing it back whole, so concurrent increments get lost (200 concurrent $inc of
   * one field on FerretDB 1.24 added 6) and two messages would be handed one seq. Only the unique
   * index is atomic on both servers. For the same reason readers take lastSeq and lastActivityAt
   * as the newer of the chat's fields and its newest message (see chat-activity.ts): the $max may
   * lose a race with another process on FerretDB, is written up to an interval after the insert,
   * and never if the process dies in between.
   *
   * A store that falls behind refuses appends rather than holding them: past the queue's length
   * or the longest wait (AppendLimits), an append fails at once with StoreUnavailableError.
   */
  append(message: NewMessage): Promise<MessageRecord> {
    return this.appends.append(message);
  }

  /** Another process's cache event (seq hints). */
  applyCacheEvent(event: CacheEvent): void {
    this.appends.apply(event);
  }

  /** Cache events may have been missed. */
  cacheLost(): void {
    this.appends.forgetSeqs();
  }

  /** Writes what waits to be written of the appends so far (the store closes); at most `ms`. */
  async flush(ms: number): Promise<void> {
    await settledWithin(
      this.appends.idle().then(() => Promise.all([this.chatActivity.flush(), this.eventLog.outbox.flushIntent()])),
      ms,
    );
  }

  /** Resolves once the postings of every message stored so far are written (or left to the catch-up). */
  searchIndexIdle(): Promise<void> {
    return this.searchBacklog.idle();
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

  /** Erasing takes the messages' reactions and any edited body in their change log along. */
  async detachSender(senderId: string, mode: DeletedUserMessages): Promise<void> {
    await withMongoErrors(async () => {
      if (mode === 'keep') {
        await this.models.messages.updateMany(
          { senderId },
          { $set: { senderId: null, clientId: null }, $unset: { senderClientKey: '' } },
        );
      } else {
        const erasedDocs = await this.models.messages
          .find({ senderId }, { _id: 1, chatId: 1, seq: 1 })
          .lean<Array<Pick<MessageDoc, '_id' | 'chatId' | 'seq'>>>();
        const erased = erasedDocs.map((doc) => doc._id);
        // Their chats' lastSeq first: it keeps the seqs of erased messages from being handed out
        // again, and may not have been written yet for the newest ones (ChatActivityWriter).
        const newestErased = new Map<string, number>();
        for (const doc of erasedDocs) newestErased.set(doc.chatId, Math.max(doc.seq, newestErased.get(doc.chatId) ?? 0));
        if (newestErased.size > 0) {
          await this.models.chats.collection.bulkWrite(
            [...newestErased].map(([chatId, seq]) => ({ updateOne: { filter: { _id: chatId } as never, update: { $max: { lastSeq: seq } } } })),
            { ordered: false },
          );
        }
        await this.models.messages.deleteMany({ senderId });
        if (erased.length === 0) return;
        await Promise.all([
          this.searchIndex.removed(erasedDocs),
          this.models.mentions.deleteMany({ messageId: { $in: erased } }),
          this.models.reactions.deleteMany({ messageId: { $in: erased } }),
          this.models.messageChanges.updateMany({ messageId: { $in: erased }, body: { $exists: true } }, { $unset: { body: '' } }),
        ]);
      }
    });
  }

  async byIds(ids: readonly string[]): Promise<MessageRecord[]> {
    if (ids.length === 0) return [];
    const docs = await withMongoErrors(() => this.models.messages.find({ _id: { $in: [...new Set(ids)] } }).lean<MessageDoc[]>());
    return docs.map(docToMessage);
  }

  /**
   * Without a transaction, and correct on FerretDB 1.x, which applies an update by reading the
   * document and writing it back whole (so two concurrent updates of one document can lose
   * each other; only inserts into a unique index are atomic there). The change log is the
   * truth and the message document is brought in line with it:
   *  1. read the message (NotFoundError unless it is in the chat), whether a delete of it is
   *     logged (then it is settled first, see 5) and, for a reaction, whether the actor already
   *     has it; a change that changes nothing stops here, taking no position
   *     (records/message-change.ts decides, as on SQLite);
   *  2. claim the position: insert the change row with changeSeq = 1 + the highest taken (from
   *     the chat's lastChangeSeq, the rows after it looked up by _id, see newestChangeSeq); the
   *     _id and the unique (chatId, changeSeq) index let one writer have each, a loser retries
   *     with the next. Positions are gap-free. An edit's row carries its body, a delete's row
   *     its deletedBy;
   *  3. a reaction: insert or remove its own document (reactions of different users never
   *     write one document);
   *  4. $max the chat's lastChangeSeq (readers take the newer of it and the newest change row,
   *     see chat-activity.ts, as for lastSeq);
   *  5. settle the message document (`settle`): read it with its first delete row, newest edit
   *     row and newest change row, and write what differs — the tombstone of the first delete,
   *     else the newest edit's body (only over an older edit: the update is conditional on
   *     deletedAt null and on editSeq), and $max changeSeq; then read again, until nothing
   *     differs. Every writer settles after its last write, so a write that undid another one
   *     (FerretDB) is repaired by whoever wrote last: its read comes after every row inserted
   *     before its write. Hence a delete always wins, even over an edit racing it: the delete
   *     inserts its row before any of its writes, and once a delete row exists every settle
   *     writes the tombstone, removes the message's reactions and erases the bodies kept in
   *     edit rows;
   *  6. an edit or reaction that lost to a delete claimed before it is refused, ConflictError
   *     ('deleted'); its row stays in the log (positions are never given back), and a client
   *     reading it gets the message as it is, deleted.
   *
   * What this cannot guarantee without transactions (FerretDB 1.x; on MongoDB only (c) and (d)):
   *  (a) a chat update (rename, visibility, password) racing step 4 can be lost on FerretDB,
   *      as with append's move of lastSeq;
   *  (b) a detachSender 'keep' racing a settle of the same message can be undone on FerretDB
   *      for that message (it writes the whole document back with the sender);
   *  (c) two deletes of one message at the same instant can both take a position (the message
   *      keeps the first one's deletedAt and deletedBy), and the same user's simultaneous on and
   *      off of one emoji may end either way. A change that starts after a delete's row is
   *      logged sees the message deleted (step 1 settles it first);
   *  (d) between steps 2 and 5 a reader can see the row before the message reflects it: a sync
   *      then gives the message as it was, and the change's event (or the next sync) brings it.
   * On a MongoDB replica set, steps 2–5 could be one transaction around an $inc of lastChangeSeq.
   */
  async change(chatId: string, change: MessageChangeInput): Promise<AppliedChange> {
    const [read, reacted, deleteLogged] = await withMongoErrors(() =>
      Promise.all([
        this.models.messages.findById(change.messageId).lean<MessageDoc>(),
        change.kind === 'react'
          ? this.models.reactions.exists({ messageId: change.messageId, userId: change.actorId, emoji: change.emoji })
          : Promise.resolve(null),
        this.models.messageChanges.exists({ messageId: change.messageId, kind: 'delete' }),
      ]),
    );
    if (!read || read.chatId !== chatId) throw new NotFoundError('message', change.messageId);
    // A delete logged but not yet applied (its writer is between steps 2 and 5): apply it first, so this change sees it.
    const doc = deleteLogged !== null && read.deletedAt == null ? (await this.settle(change.messageId, false)).settled : read;
    if (!doc) throw new NotFoundError('message', change.messageId);
    const message = docToMessage(doc);
    if (!changesSomething(message, change, reacted !== null)) return { message, changeSeq: null };

    const apply = async (): Promise<AppliedChange> => {
      const claimed = await this.claimChangeSeq(chatId, change);
      await withMongoErrors(() =>
        Promise.all([
          change.kind === 'react' ? this.applyReaction(change, claimed) : Promise.resolve(),
          this.models.chats.updateOne({ _id: chatId }, { $max: { lastChangeSeq: claimed.changeSeq } }),
        ]),
      );
      const { settled, firstDeleteSeq } = await this.settle(change.messageId, change.kind === 'edit');
      if (!settled) throw new NotFoundError('message', change.messageId);
      if (change.kind !== 'react') {
        await this.writeMentions(docToMessage(settled));
        await this.searchIndex.changed(change.messageId);
      }
      if (change.kind !== 'delete' && firstDeleteSeq !== null && firstDeleteSeq < claimed.changeSeq) {
        throw new ConflictError('deleted', 'the message is deleted');
      }
      return { message: docToMessage(settled), changeSeq: claimed.changeSeq };
    };
    if (change.kind === 'react') return apply();
    return this.eventLog.outbox.around({ kind: 'change', chatId, messageId: change.messageId, change: change.kind }, apply, (applied) => {
      const event = applied.changeSeq === null ? null : eventOfChange(chatId, change, applied.changeSeq);
      return event ? [event] : [];
    });
  }

  async reactionsOf(messageIds: readonly string[]): Promise<ReactionRecord[]> {
    if (messageIds.length === 0) return [];
    const docs = await withMongoErrors(() =>
      this.models.reactions
        .find({ messageId: { $in: [...new Set(messageIds)] } })
        .sort({ messageId: 1, changeSeq: 1 })
        .lean<ReactionDoc[]>(),
    );
    return docs.map(docToReaction);
  }

  async changesAfter(chatId: string, afterChangeSeq: number, limit: number): Promise<ChangeRecord[]> {
    const docs = await withMongoErrors(() =>
      this.models.messageChanges
        .find({ chatId, changeSeq: { $gt: afterChangeSeq } })
        .sort({ changeSeq: 1 })
        .limit(limit)
        .lean<MessageChangeDoc[]>(),
    );
    return docs.map(docToChange);
  }

  search(search: MessageSearch): Promise<MessageSearchPage> {
    return this.searchIndex.search(search);
  }

  rebuildSearchIndex(progress?: (indexed: number) => void): Promise<number> {
    return this.searchIndex.rebuild(progress);
  }

  /** Step 2 of change: the first free position after the highest known one, claimed by inserting the change row. */
  private async claimChangeSeq(chatId: string, change: MessageChangeInput): Promise<MessageChangeDoc> {
    const chat = await withMongoErrors(() => this.models.chats.findById(chatId, { lastChangeSeq: 1 }).lean<Pick<ChatDoc, 'lastChangeSeq'>>());
    if (!chat) throw new NotFoundError('chat', chatId);
    let taken = chat.lastChangeSeq ?? 0;
    for (let attempt = 1; attempt <= MAX_SEQ_ATTEMPTS; attempt += 1) {
      const newest = await withMongoErrors(() => newestChangeSeq(this.models, chatId, taken));
      const record = newChangeRecord(chatId, newest + 1, change, new Date().toISOString());
      const row: MessageChangeDoc = {
        _id: changeIdOf(chatId, record.changeSeq),
        ...record,
        ...(change.kind === 'delete' && { deletedBy: change.by }),
        ...(change.kind === 'edit' && { body: change.body, ...(change.mentions !== undefined && change.mentions.length > 0 && { mentions: change.mentions }) }),
      };
      try {
        await this.models.messageChanges.insertMany([row]);
        return row;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw translateMongoError(error);
        taken = record.changeSeq;
        if (attempt > 2) await pause(Math.random() * attempt * 2);
      }
    }
    throw new StoreUnavailableError(new Error(`no free changeSeq in chat ${chatId} after ${MAX_SEQ_ATTEMPTS} attempts`));
  }

  /** Step 3 of change: the reaction's own document. A racing twin of the same reaction already put it there. */
  private async applyReaction(change: Extract<MessageChangeInput, { kind: 'react' }>, claimed: MessageChangeDoc): Promise<void> {
    const key = { messageId: change.messageId, userId: change.actorId, emoji: change.emoji };
    if (!change.on) {
      await this.models.reactions.deleteOne(key);
      return;
    }
    try {
      await this.models.reactions.insertMany([reactionToDoc(newReactionRecord(change, claimed.at), newId(), claimed.changeSeq)]);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /**
   * Step 5 of change: brings the message document in line with its change rows, until a read
   * finds nothing to write. Returns the document as last read (null once erased) and the
   * position of its first delete, if any. `pruneEdits`: remove the bodies of edit rows older
   * than the newest edit once that one is applied (done by the edit's own writer).
   */
  private async settle(messageId: string, pruneEdits: boolean): Promise<{ settled: MessageDoc | null; firstDeleteSeq: number | null }> {
    for (let round = 1; round <= MAX_SETTLE_ROUNDS; round += 1) {
      const [doc, firstDelete, newestEdit, newestSeq] = await withMongoErrors(() =>
        Promise.all([
          this.models.messages.findById(messageId).lean<MessageDoc>(),
          this.models.messageChanges.findOne({ messageId, kind: 'delete' }).sort({ changeSeq: 1 }).lean<ChangeFields>(),
          this.models.messageChanges.findOne({ messageId, kind: 'edit' }).sort({ changeSeq: -1 }).lean<ChangeFields>(),
          this.models.messageChanges
            .findOne({ messageId }, { changeSeq: 1 })
            .sort({ changeSeq: -1 })
            .lean<Pick<ChangeFields, 'changeSeq'>>()
            .then((newest) => newest?.changeSeq ?? 0),
        ]),
      );
      if (!doc) return { settled: null, firstDeleteSeq: firstDelete?.changeSeq ?? null };
      const behind = (doc.changeSeq ?? 0) < newestSeq;

      if (firstDelete) {
        const tombstone = { body: '', deletedAt: firstDelete.at, deletedBy: firstDelete.deletedBy ?? 'sender' };
        const tombstoned =
          doc.body === '' && doc.deletedAt === tombstone.deletedAt && doc.deletedBy === tombstone.deletedBy && doc.mentions === undefined;
        if (tombstoned && !behind) {
          await withMongoErrors(() =>
            Promise.all([
              this.models.reactions.deleteMany({ messageId }),
              this.models.messageChanges.updateMany({ messageId, body: { $exists: true } }, { $unset: { body: '' } }),
            ]),
          );
          return { settled: doc, firstDeleteSeq: firstDelete.changeSeq };
        }
        await withMongoErrors(() =>
          this.models.messages.updateOne({ _id: messageId }, { $set: tombstone, $unset: { mentions: '' }, $max: { changeSeq: newestSeq } }),
        );
        continue;
      }

      const editBehind =
        newestEdit !== null && newestEdit.body !== undefined && doc.deletedAt == null && (doc.editSeq ?? 0) < newestEdit.changeSeq;
      if (editBehind) {
        await withMongoErrors(() =>
          this.models.messages.updateOne(
            {
              _id: messageId,
              deletedAt: null,
              $or: [{ editSeq: { $exists: false } }, { editSeq: { $lt: newestEdit.changeSeq } }],
            },
            {
              $set: {
                body: newestEdit.body,
                editedAt: newestEdit.at,
                editSeq: newestEdit.changeSeq,
                ...(newestEdit.mentions !== undefined && { mentions: newestEdit.mentions }),
              },
              ...(newestEdit.mentions === undefined && { $unset: { mentions: '' } }),
              $max: { changeSeq: newestSeq },
            },
          ),
        );
        continue;
      }
      if (behind) {
        await withMongoErrors(() => this.models.messages.updateOne({ _id: messageId }, { $max: { changeSeq: newestSeq } }));
        continue;
      }
      if (pruneEdits && newestEdit !== null) {
        await withMongoErrors(() =>
          this.models.messageChanges.updateMany(
            { messageId, kind: 'edit', changeSeq: { $lt: newestEdit.changeSeq }, body: { $exists: true } },
            { $unset: { body: '' } },
          ),
        );
      }
      return { settled: doc, firstDeleteSeq: null };
    }
    throw new StoreUnavailableError(new Error(`message ${messageId} did not settle after ${MAX_SETTLE_ROUNDS} rounds`));
  }

  /**
   * Brings the message's mention documents in line with the message as it is (none once deleted):
   * removes those it no longer has, then writes the rest (each has a fixed _id, so a rewrite is
   * harmless). A race of two edits of one message may leave the older edit's set until the
   * next change of the message; the count can then be off by one for it, never the message.
   */
  private async writeMentions(message: MessageRecord): Promise<void> {
    const docs = mentionDocsOf(message);
    await withMongoErrors(async () => {
      if (message.changeSeq > 0) {
        await this.models.mentions.deleteMany({ messageId: message.id, userId: { $nin: docs.map((doc) => doc.userId) } });
      }
      if (docs.length === 0) return;
      try {
        await this.models.mentions.insertMany(docs, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    });
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
