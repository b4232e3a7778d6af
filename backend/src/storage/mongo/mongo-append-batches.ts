import { ConflictError, NotFoundError, StoreUnavailableError } from '../errors.js';
import { newMessageRecord } from '../records/message.js';
import type { MessageRecord, NewMessage } from '../storage.js';
import type { ChatActivity, ChatActivityWriter } from './chat-activity-writer.js';
import type { ChatDoc } from './chat-model.js';
import type { CacheBus, CacheEvent } from './mongo-cache-bus.js';
import { duplicateKeyField, firstFailedIndex, isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoMemberLists } from './mongo-member-lists.js';
import type { MongoModels } from './mongo-models.js';
import { mentionDocsOf } from './mention-model.js';
import { messageToDoc, type MessageDoc } from './message-model.js';
import { settledWithin } from './settled-within.js';

/** Limits that keep a store that falls behind from holding sends for long. */
export interface AppendLimits {
  /** Appends waiting for their batch; past this, an append is refused at once (store_unavailable). */
  maxQueued: number;
  /** How long an append may wait for its batch to start; past this it is refused, never having reached the store. */
  maxWaitMs: number;
  /** Messages per insertMany. */
  maxBatch: number;
  /**
   * How long a batch's appends wait for its writes. Past this they are answered store_unavailable
   * with their outcome unknown (a retry with the same clientId is answered with the message if it
   * was stored after all), and the next batch starts without waiting for the late one.
   */
  maxBatchMs: number;
  /**
   * A batch starts at least this long after the previous one started. The appends of that time
   * share one batch, so a process pays a batch's fixed cost (its insert, its round trips, its
   * cache event) per interval rather than per message or two, and keeps fewer writes in flight at
   * the store. An append after a quiet spell starts its batch at once.
   */
  minBatchIntervalMs: number;
}

/**
 * The driver's timeouts bound most writes to a store that went away, but not all: an insert
 * issued as the server is killed can wait on the driver for good. maxBatchMs is the answer's
 * bound, well above a healthy batch (tens of milliseconds) and the driver's own timeouts (5 s).
 */
export const DEFAULT_APPEND_LIMITS: AppendLimits = { maxQueued: 4_000, maxWaitMs: 1_000, maxBatch: 500, maxBatchMs: 12_000, minBatchIntervalMs: 10 };

/** Rounds of one batch: each round stores at least the messages before the first collision. */
const MAX_ROUNDS = 20;
/** Webhook events a process may have asked the log for and not written yet before its batches wait. */
const MAX_UNWRITTEN_EVENTS = 2_000;
/** How many chats' seqs are kept; past that the memory starts over (each chat costs one read to learn it again). */
const MAX_KNOWN_CHATS = 100_000;

interface QueuedAppend {
  message: NewMessage;
  queuedAt: number;
  resolve: (record: MessageRecord) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

interface Placed {
  item: QueuedAppend;
  record: MessageRecord;
  doc: MessageDoc;
}

/**
 * Group commit of appends for the MongoDB adapter, the counterpart of SqliteMessageStore's: every
 * append requested while the previous batch was being written goes into the next one. A batch is
 * ONE ordered insertMany (after the process's webhook intent, when it has none stored: see
 * MongoEventOutbox.beginBatch), then the acks (after un-hiding and mention documents, when the
 * batch has any). Its webhook events follow without holding the acks, beside
 * the next batch, and its chats' lastSeq/lastActivityAt later still (ChatActivityWriter). One
 * batch is written at a time.
 *
 * Seqs are claimed per chat per batch, by the insert itself: a chat's messages of a batch take
 * the seqs after the last one this process knows to be stored (learned once from the store, then
 * kept; other processes' batches move it through the cache bus), consecutive in the ordered
 * insert, under the unique (chatId, seq) index. A message with seq n is therefore only ever
 * written after n-1 is stored, by whoever: the seqs stay gap-free, and readers never see n before
 * n-1. When another process got there first (the hint was late), the insert stops at the first
 * taken seq; what came before it is stored, that chat's base is read again, and the rest goes into
 * the next round. There is no allocation apart from the insert, so a crash leaves nothing behind:
 * the messages an ordered insertMany stored are a prefix of it, each chat's part of it consecutive.
 *
 * A (sender, clientId) already stored stops the insert the same way; FerretDB does not say which
 * index refused, so the seq is looked up: free, and the append is refused with ConflictError.
 */
/** What a batch tells the webhook event log (MongoEventOutbox): before the insert, and once stored. */
export interface BatchEvents {
  beginBatch(messages: readonly NewMessage[]): Promise<string | null>;
  /** Stored on every appended message (`w`): the recovery of a crash finds the batch's messages by it. */
  readonly writerId: string;
  /** Events asked for and not yet in the log. */
  readonly unwrittenCount: number;
  /** Logs the stored messages' events, then removes the intent. */
  logBatch(stored: readonly MessageRecord[], intent: string | null): Promise<void>;
  /** Removes the intent of a batch that stored nothing. */
  finishBatch(intent: string | null): Promise<void>;
}

export class MongoAppendBatches {
  private queue: QueuedAppend[] = [];
  private writing = false;
  private scheduled = false;
  /** When the last batch started (performance.now()). */
  private lastBatchStart = -Infinity;
  private expiryTimer: NodeJS.Timeout | null = null;
  private idleWaiters: Array<() => void> = [];
  /** Per chat, the highest seq known to be stored. */
  private readonly knownSeqs = new Map<string, number>();
  /** The bookkeeping of the last batch written, which ends after all before it (see nextBookkeeping). */
  private bookkeeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly models: MongoModels,
    private readonly memberLists: MongoMemberLists,
    private readonly bus: CacheBus,
    private readonly committed: (records: readonly MessageRecord[]) => void,
    /** Webhook events of each batch, through the outbox (mongo-event-outbox.ts). */
    private readonly events: BatchEvents,
    private readonly chatActivity: Pick<ChatActivityWriter, 'stored'>,
    private readonly limits: AppendLimits = DEFAULT_APPEND_LIMITS,
  ) {}

  /** Another process stored messages up to these seqs. */
  apply(event: CacheEvent): void {
    if (event.kind !== 'seqs') return;
    for (const [chatId, seq] of event.seqs) this.know(chatId, seq);
  }

  /** The newest seq of the chat known to be stored, by this process or (through the cache bus) another. */
  knownSeq(chatId: string): number | undefined {
    return this.knownSeqs.get(chatId);
  }

  /** Events may have been missed: forget every seq (each is read again at its chat's next append). */
  forgetSeqs(): void {
    this.knownSeqs.clear();
  }

  append(message: NewMessage): Promise<MessageRecord> {
    if (this.queue.length >= this.limits.maxQueued) {
      return Promise.reject(new StoreUnavailableError(new Error(`${this.queue.length} messages are waiting for the store`)));
    }
    return new Promise<MessageRecord>((resolve, reject) => {
      this.queue.push({ message, queuedAt: Date.now(), resolve, reject, settled: false });
      this.schedule();
      this.expiryTimer ??= setInterval(() => this.expire(), Math.max(50, this.limits.maxWaitMs / 5)).unref();
    });
  }

  /**
   * Resolves when nothing is queued or being written, and the bookkeeping of what was written is
   * done (a batch left behind by its deadline is not waited for).
   */
  async idle(): Promise<void> {
    while (this.writing || this.scheduled || this.queue.length > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.bookkeeping;
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      void this.writeAll();
    };
    const wait = this.untilNextBatchMs();
    if (wait > 0) setTimeout(start, wait);
    else setImmediate(start);
  }

  /** How long until the next batch may start (minBatchIntervalMs after the last one started). */
  private untilNextBatchMs(): number {
    return this.lastBatchStart + this.limits.minBatchIntervalMs - performance.now();
  }

  /** Refuses what waited too long for its batch: it never reached the store, so a retry stores it once. */
  private expire(): void {
    const oldest = Date.now() - this.limits.maxWaitMs;
    if (this.queue.length > 0 && this.queue[0]!.queuedAt < oldest) {
      const expired = this.queue.filter((item) => item.queuedAt < oldest);
      this.queue = this.queue.filter((item) => item.queuedAt >= oldest);
      const error = new StoreUnavailableError(new Error(`the store did not take the message within ${this.limits.maxWaitMs} ms`));
      for (const item of expired) settle(item, error);
    }
    if (this.queue.length === 0 && !this.writing && this.expiryTimer) {
      clearInterval(this.expiryTimer);
      this.expiryTimer = null;
    }
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const wait = this.untilNextBatchMs();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        this.lastBatchStart = performance.now();
        const batch = this.queue.splice(0, this.limits.maxBatch);
        await this.writeWithinDeadline(batch);
      }
    } finally {
      this.writing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /**
   * Writes one batch, for at most maxBatchMs. A batch still unfinished then is left to end by
   * itself: its appends are refused (outcome unknown), its chats' seqs are learned again from the
   * store, and the writer goes on. What the late batch stores is still sound: its seqs were taken
   * after ones already stored, under the unique index, and a batch that does not get them stops
   * (its appends are settled, so its next round has nothing left). If it does store them, nobody
   * was told live: members get them at their next catch-up (the next message shows the gap, or a
   * reconnect syncs), and the senders' retries are answered with them, found by clientId.
   */
  private async writeWithinDeadline(batch: QueuedAppend[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.limits.maxBatchMs);
    });
    const written = this.writeBatch(batch).catch(() => undefined);
    const outcome = await Promise.race([written, deadline]);
    clearTimeout(timer);
    if (outcome !== 'late') return;
    const error = new StoreUnavailableError(
      new Error(`the store did not finish writing the message within ${this.limits.maxBatchMs} ms; its outcome is unknown`),
    );
    for (const item of batch) {
      if (item.settled) continue;
      this.knownSeqs.delete(item.message.chatId);
      settle(item, error);
    }
  }

  private async writeBatch(batch: QueuedAppend[]): Promise<void> {
    const stored: Placed[] = [];
    let pending = batch;
    let intent: string | null = null;
    let inserting = false;
    try {
      intent = await this.events.beginBatch(batch.map((item) => item.message));
      inserting = true;
      for (let round = 1; pending.length > 0; round += 1) {
        if (round > MAX_ROUNDS) throw new StoreUnavailableError(new Error(`seqs still taken after ${MAX_ROUNDS} rounds`));
        pending = await this.round(pending, stored);
      }
    } catch (error) {
      const failure = translateMongoError(error);
      // The insert's outcome is unknown: learn these chats' seqs again from the store. (When the
      // intent failed, nothing was inserted, and what is known still holds: learning a seq costs
      // a read that a store already behind can ill afford.)
      if (inserting) for (const item of pending) this.knownSeqs.delete(item.message.chatId);
      for (const item of pending) settle(item, failure);
    }
    if (stored.length === 0) {
      // Nothing stored: the intent names nothing to recover (a failed removal only costs the recovery a look).
      await this.events.finishBatch(intent).catch(() => undefined);
      return;
    }
    const records = stored.map((placed) => placed.record);
    const lastSeqs = lastSeqsOf(records);
    this.bus.publish({ kind: 'seqs', seqs: [...lastSeqs].map(([chatId, last]) => [chatId, last.seq]) });
    // Queued now, before any ack: the event log takes this batch's events before whatever an
    // acknowledged sender does next (an edit, a leave), and this process reads the log only after
    // them (MongoEventLog). A failure leaves the intent, and the recovery logs them.
    const bookkeeping = this.events.logBatch(records, intent);
    this.chatActivity.stored(lastSeqs);
    try {
      await this.beforeAck(stored, lastSeqs);
    } catch (error) {
      // Stored, but a member who hid the chat may not see it again, or a mention is missing:
      // refused, so that the client retries (its retry is answered with the stored message).
      for (const { item } of stored) settle(item, translateMongoError(error));
      await this.nextBookkeeping(bookkeeping);
      return;
    }
    for (const { item, record } of stored) settle(item, null, record);
    this.committed(records);
    await this.nextBookkeeping(bookkeeping);
  }

  /**
   * The bookkeeping of a batch (its webhook events, then the removal of its intent) is not waited
   * for by its acks: the intent makes the events survive a crash. The event log gathers the
   * events of the batches of a tenth of a second and writes them together (MongoEventLog.gather);
   * past MAX_UNWRITTEN_EVENTS events not yet written, the next batch waits for them (at most
   * maxBatchMs), so the log's backlog stays short. The chats' lastSeq and lastActivityAt are
   * written later still, gathered over an interval (ChatActivityWriter).
   */
  private async nextBookkeeping(bookkeeping: Promise<void>): Promise<void> {
    this.bookkeeping = settledWithin(bookkeeping, this.limits.maxBatchMs);
    if (this.events.unwrittenCount > MAX_UNWRITTEN_EVENTS) await this.bookkeeping;
  }

  /**
   * One ordered insertMany of the pending appends, each chat's after the seq known for it.
   * Pushes what was stored onto `stored`; returns what goes into the next round.
   */
  private async round(pending: QueuedAppend[], stored: Placed[]): Promise<QueuedAppend[]> {
    const live = await this.withKnownChats(pending.filter((item) => !item.settled));
    if (live.length === 0) return [];
    const now = new Date().toISOString();
    const next = new Map<string, number>();
    // Each chat's messages together and in their order, so a stop inside one chat's run leaves it consecutive.
    const byChat = new Map<string, QueuedAppend[]>();
    for (const item of live) {
      const list = byChat.get(item.message.chatId);
      if (list) list.push(item);
      else byChat.set(item.message.chatId, [item]);
    }
    const placed: Placed[] = [];
    for (const [chatId, items] of byChat) {
      let seq = this.knownSeqs.get(chatId)!;
      for (const item of items) {
        seq += 1;
        const record = newMessageRecord(item.message, seq, now);
        placed.push({ item, record, doc: { ...messageToDoc(record), w: this.events.writerId } });
      }
      next.set(chatId, seq);
    }
    try {
      await this.models.messages.collection.insertMany(placed.map((one) => one.doc) as never[], { ordered: true });
      stored.push(...placed);
      for (const [chatId, seq] of next) this.know(chatId, seq);
      return [];
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const failedAt = firstFailedIndex(error) ?? 0;
      const before = placed.slice(0, failedAt);
      stored.push(...before);
      for (const one of before) this.know(one.record.chatId, one.record.seq);
      const failed = placed[failedAt]!;
      if (await this.isClientIdConflict(error, failed.doc)) {
        settle(failed.item, new ConflictError('clientId'));
      } else {
        // Taken by another process: learn the chat's newest seq again next round.
        this.knownSeqs.delete(failed.record.chatId);
      }
      return placed.slice(failedAt).map((one) => one.item).filter((item) => !item.settled);
    }
  }

  /** The appends whose chats exist, after learning the seq of each chat not known yet; the others are refused (NotFoundError). */
  private async withKnownChats(items: QueuedAppend[]): Promise<QueuedAppend[]> {
    const unknown = [...new Set(items.map((item) => item.message.chatId).filter((chatId) => !this.knownSeqs.has(chatId)))];
    if (unknown.length === 0) return items;
    const [chats, newest] = await Promise.all([
      this.models.chats.find({ _id: { $in: unknown } }, { lastSeq: 1 }).lean<Array<Pick<ChatDoc, '_id' | 'lastSeq'>>>(),
      Promise.all(
        unknown.map((chatId) =>
          this.models.messages.findOne({ chatId }, { seq: 1 }).sort({ seq: -1 }).lean<Pick<MessageDoc, 'seq'>>(),
        ),
      ),
    ]);
    const lastSeqOf = new Map(chats.map((chat) => [chat._id, chat.lastSeq]));
    unknown.forEach((chatId, index) => {
      const lastSeq = lastSeqOf.get(chatId);
      // The chat's lastSeq keeps seqs from being reused after its newest messages were erased.
      if (lastSeq !== undefined) this.know(chatId, Math.max(lastSeq, newest[index]?.seq ?? 0));
    });
    return items.filter((item) => {
      if (this.knownSeqs.has(item.message.chatId)) return true;
      settle(item, new NotFoundError('chat', item.message.chatId));
      return false;
    });
  }

  /**
   * What the acks wait for besides the insert, together: chats some member had hidden are shown
   * again (only those whose kept member list shows someone hiding it), and mention documents are
   * written. Most batches have neither.
   */
  private async beforeAck(stored: Placed[], lastSeqs: Map<string, ChatActivity>): Promise<void> {
    const maybeHidden = [...lastSeqs.keys()].filter((chatId) => this.memberLists.get(chatId)?.some((member) => member.hidden) !== false);
    const mentions = stored.flatMap(({ record }) => mentionDocsOf(record));
    await withMongoErrors(() =>
      Promise.all([
        maybeHidden.length === 0
          ? Promise.resolve()
          : this.models.memberships.updateMany({ chatId: { $in: maybeHidden }, hidden: true }, { $set: { hidden: false } }),
        mentions.length === 0 ? Promise.resolve() : this.insertMentions(mentions),
      ]),
    );
    for (const chatId of maybeHidden) this.memberLists.unhidden(chatId);
  }

  private async insertMentions(mentions: ReturnType<typeof mentionDocsOf>): Promise<void> {
    try {
      await this.models.mentions.collection.insertMany(mentions as never[], { ordered: false });
    } catch (error) {
      // Each has a fixed _id: one written before is the same document.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Whether the insert stopped at the (sender, clientId) rule rather than at a taken seq. */
  private async isClientIdConflict(error: unknown, doc: MessageDoc): Promise<boolean> {
    const field = duplicateKeyField(error);
    if (field !== null) return field === 'clientId';
    if (doc.senderClientKey === undefined) return false;
    // FerretDB does not say which index refused the insert: a free seq means it was the clientId.
    return (await this.models.messages.exists({ chatId: doc.chatId, seq: doc.seq })) === null;
  }

  private know(chatId: string, seq: number): void {
    const known = this.knownSeqs.get(chatId);
    if (known !== undefined && known >= seq) return;
    if (known === undefined && this.knownSeqs.size >= MAX_KNOWN_CHATS) this.knownSeqs.clear();
    this.knownSeqs.set(chatId, seq);
  }
}

/** Per chat, its newest seq in the records, and when it was stored. */
function lastSeqsOf(records: readonly MessageRecord[]): Map<string, ChatActivity> {
  const lastOf = new Map<string, ChatActivity>();
  for (const record of records) {
    const last = lastOf.get(record.chatId);
    if (!last || record.seq > last.seq) lastOf.set(record.chatId, { seq: record.seq, at: record.createdAt });
  }
  return lastOf;
}

function settle(item: QueuedAppend, error: unknown, record?: MessageRecord): void {
  if (item.settled) return;
  item.settled = true;
  if (record) item.resolve(record);
  else item.reject(error);
}
