import type { EventLogStore, EventRecord, NewEvent } from '../storage.js';
import { SingleProcessTurns, type EventLogTurns } from './event-log-turns.js';
import { MongoEventOutbox } from './mongo-event-outbox.js';
import { firstFailedIndex, isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { settledWithin } from './settled-within.js';
import { docToEvent, type WebhookEventDoc } from './webhook-event-model.js';

/** Enough for dozens of writers racing for the log's head; each round lets at least one through. */
const MAX_POSITION_ATTEMPTS = 200;
/** How long an append waits for the one before it at most (a driver that never answers must not hold the log). */
const PREVIOUS_APPEND_WAIT_MS = 12_000;
/**
 * How long the head this process wrote is trusted without reading it: far below the log's
 * retention, so the position after it cannot have been pruned (another process's write there
 * stops the insert, and the head is read again).
 */
const KNOWN_HEAD_TRUST_MS = 5_000;
/** How long the events of stored message batches are gathered, to be written together. */
export const EVENT_GATHER_MS = 100;

interface Gathered {
  events: NewEvent[];
  intentIds: string[];
  written: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The webhook event log as an outbox collection, without transactions (FerretDB 1.x has none).
 * A position is taken like a message's seq: insert with 1 + the newest position, and the unique
 * `_id` lets exactly one writer have it; the loser reads the head again. Since a writer inserts
 * position p only after it saw p - 1, positions become visible in order, and a reader that has
 * seen p has seen everything before it.
 *
 * Several processes take turns at writing (event-log-turns.ts, through Redis), each handing the
 * head it wrote to the next, so that their inserts do not collide and nobody has to read the head.
 *
 * The message, change and member stores log their events right after their own write, through
 * the outbox (mongo-event-outbox.ts), so that a crash in between cannot lose them; logging an
 * event twice stores it once (the unique `eventId`).
 */
export class MongoEventLog implements EventLogStore {
  readonly outbox: MongoEventOutbox;
  /** The appends of this process, one after another in the order they were asked for. */
  private appending: Promise<void> = Promise.resolve();
  /** The newest position this process wrote, and when. */
  private knownHead: { position: number; at: number } | null = null;
  /** Message batches' events waiting to be written together (see `gather`). */
  private gathered: Gathered | null = null;
  private gatherTimer: NodeJS.Timeout | null = null;
  /** Events handed to `appendNow`'s turn and not yet written. */
  private inTurnCount = 0;

  constructor(
    private readonly models: MongoModels,
    private readonly turns: EventLogTurns = new SingleProcessTurns(),
  ) {
    this.outbox = new MongoEventOutbox(models, this);
  }

  recoverInterrupted(before: string): Promise<number> {
    return this.outbox.recover(before);
  }

  /**
   * Appends in the order asked for in this process: each append starts once the one before it
   * ended (events gathered before it go first), and this process reads the log (`after`,
   * `headPosition`) only after every append asked for before the read. So events written later
   * than their write was acknowledged (a batch of messages, see `gather`) still come before the
   * events of what their sender does next, and this process reads its own writes. `afterwards`
   * (removing outbox intents) runs once the events are in, before the next append or read.
   */
  append(events: readonly NewEvent[], afterwards?: () => Promise<void>): Promise<void> {
    this.writeGathered();
    return this.inTurn(events, afterwards);
  }

  /**
   * The events of a stored batch of messages, written within EVENT_GATHER_MS together with the
   * other batches' of that time, in one insert; then the batches' intents are removed in one
   * write. A batch's acks do not wait for this (its intent covers a crash), so a busy process
   * writes its log a few times a second instead of twice per batch.
   */
  gather(events: readonly NewEvent[], intentId: string | null): Promise<void> {
    if (this.gathered === null) {
      const { promise, resolve, reject } = withResolvers();
      this.gathered = { events: [], intentIds: [], written: promise, resolve, reject };
    }
    this.gathered.events.push(...events);
    if (intentId !== null) this.gathered.intentIds.push(intentId);
    this.gatherTimer ??= setTimeout(() => this.writeGathered(), EVENT_GATHER_MS);
    return this.gathered.written;
  }

  /** Events asked for and not yet in the log; the append batches wait when it grows too long. */
  get unwrittenCount(): number {
    return this.inTurnCount + (this.gathered?.events.length ?? 0);
  }

  /** Starts writing what was gathered, now, in its turn. */
  private writeGathered(): void {
    if (this.gatherTimer !== null) clearTimeout(this.gatherTimer);
    this.gatherTimer = null;
    const gathered = this.gathered;
    if (gathered === null) return;
    this.gathered = null;
    this.inTurn(gathered.events, () => this.outbox.finishBatches(gathered.intentIds)).then(gathered.resolve, gathered.reject);
  }

  private inTurn(events: readonly NewEvent[], afterwards?: () => Promise<void>): Promise<void> {
    this.inTurnCount += events.length;
    const run = this.appending
      .then(async () => {
        await this.appendNow(events);
        await afterwards?.();
      })
      .finally(() => {
        this.inTurnCount -= events.length;
      });
    this.appending = settledWithin(run, PREVIOUS_APPEND_WAIT_MS);
    return run;
  }

  /**
   * One insertMany of consecutive positions after the head, ordered, in this process's turn: a
   * batch costs one insert when the head is known — the one this process wrote (kept for
   * KNOWN_HEAD_TRUST_MS) or the one the last writer handed over with the turn — so it is not read
   * before every write (on FerretDB 1.x that read sorts the whole log). Where
   * the insert stops (a position another writer took, or an event already logged), what came
   * before it is in, and the rest goes round again from the head read anew.
   */
  private async appendNow(events: readonly NewEvent[]): Promise<void> {
    const turn = await this.turns.take();
    let written: number | null = null;
    try {
      let handed = turn.head;
      let pending = [...events];
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= MAX_POSITION_ATTEMPTS) throw new Error('could not take a position in the webhook event log');
        const trusted = this.knownHead !== null && Date.now() - this.knownHead.at < KNOWN_HEAD_TRUST_MS ? this.knownHead.position : null;
        const hint = trusted === null ? handed : handed === null ? trusted : Math.max(trusted, handed);
        const head = hint ?? (await this.readHead());
        const createdAt = new Date().toISOString();
        const docs = pending.map((event, index) => ({
          _id: head + 1 + index,
          eventId: event.id,
          type: event.type,
          chatId: event.chatId,
          messageId: event.messageId,
          userId: event.userId,
          createdAt,
        }));
        try {
          await this.models.webhookEvents.collection.insertMany(docs as never[], { ordered: true });
          written = head + docs.length;
          this.knownHead = { position: written, at: Date.now() };
          return;
        } catch (error) {
          this.knownHead = null;
          handed = null;
          if (!isDuplicateKeyError(error)) throw translateMongoError(error);
          const failedAt = firstFailedIndex(error) ?? 0;
          const failed = pending[failedAt]!;
          // FerretDB does not say which index refused: an event already logged is skipped, a taken position retried.
          const known = await withMongoErrors(() => this.models.webhookEvents.exists({ eventId: failed.id }));
          pending = pending.slice(known ? failedAt + 1 : failedAt);
        }
      }
    } finally {
      await turn.end(written);
    }
  }

  async after(after: number, limit: number): Promise<EventRecord[]> {
    this.writeGathered();
    await this.appending;
    const docs = await withMongoErrors(() =>
      this.models.webhookEvents.find({ _id: { $gt: after } }).sort({ _id: 1 }).limit(limit).lean<WebhookEventDoc[]>(),
    );
    return docs.map(docToEvent);
  }

  async headPosition(): Promise<number> {
    this.writeGathered();
    await this.appending;
    return this.readHead();
  }

  private async readHead(): Promise<number> {
    const newest = await withMongoErrors(() =>
      this.models.webhookEvents.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean<Pick<WebhookEventDoc, '_id'>>(),
    );
    return newest?._id ?? 0;
  }

  /** The newest event always stays, so that positions are never handed out again. */
  async pruneBefore(before: string): Promise<number> {
    const head = await this.headPosition();
    // What this process wrote may be pruned now (the head stays): read the head before the next write.
    this.knownHead = null;
    const { deletedCount } = await withMongoErrors(() =>
      this.models.webhookEvents.deleteMany({ createdAt: { $lt: before }, _id: { $lt: head } }),
    );
    return deletedCount;
  }
}

/** Promise.withResolvers, which Node 20 lacks. */
function withResolvers(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve: () => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
