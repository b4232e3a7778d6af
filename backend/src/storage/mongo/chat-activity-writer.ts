import { withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';

/** How often the chats' lastSeq and lastActivityAt are written while messages flow. */
export const CHAT_ACTIVITY_WRITE_MS = 500;

/** A chat's newest stored seq, and when it was stored. */
export interface ChatActivity {
  seq: number;
  at: string;
}

/**
 * Moves the chats' lastSeq and lastActivityAt forward ($max) for the messages stored, gathered
 * over CHAT_ACTIVITY_WRITE_MS and written as one unordered bulkWrite, one write at a time. On
 * FerretDB 1.x an update reads the document and writes it back, so updating every chat of every
 * batch cost the store as much as the batch's messages did; once per interval, a busy chat costs
 * one update whatever its rate.
 *
 * Nothing waits for these fields: readers take the newer of them and the chat's newest message
 * (chat-activity.ts), which is the truth. They serve the chat list's order by index, and keep a
 * chat's seqs from being handed out again once its newest messages are erased (an erase moves
 * lastSeq past them itself first, see MongoMessageStore.detachSender). A crash loses at most one
 * interval of them, which the chat's next message makes good.
 */
export class ChatActivityWriter {
  private pending = new Map<string, ChatActivity>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(private readonly models: MongoModels) {}

  /** The newest seq of each chat in a stored batch, and when it was stored. */
  stored(lastSeqs: ReadonlyMap<string, ChatActivity>): void {
    for (const [chatId, activity] of lastSeqs) {
      const known = this.pending.get(chatId);
      if (!known || activity.seq > known.seq) this.pending.set(chatId, activity);
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.write();
    }, CHAT_ACTIVITY_WRITE_MS);
    // A process that ends without closing its store loses one interval, as a crash would.
    this.timer.unref();
  }

  /** Writes what is gathered now, after any write in flight (the store closes, tests). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.write();
  }

  private async write(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = withMongoErrors(() =>
      this.models.chats.collection.bulkWrite(
        [...batch].map(([chatId, last]) => ({
          updateOne: { filter: { _id: chatId } as never, update: { $max: { lastSeq: last.seq, lastActivityAt: last.at } } },
        })),
        { ordered: false },
      ),
    )
      // Readers do not depend on it (see above); the next interval writes the chats it touches again.
      .then(() => undefined, () => undefined)
      .finally(() => {
        this.writing = null;
      });
    await this.writing;
  }
}
