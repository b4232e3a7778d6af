import type { UnreadCounts } from '../../../shared/src/schemas/unread.js';
import type { Logger } from 'pino';
import type { Storage } from '../storage/storage.js';
import { tallyUnread } from './unread-counts.js';

/** One open unread stream. */
interface Watcher {
  userId: string;
  chatIds: Set<string>;
  last: string | null;
  timer: NodeJS.Timeout | null;
  send(counts: UnreadCounts): void;
  close(): void;
}

/** Counts are recomputed this long after a change, so a burst of messages costs one count. */
const SETTLE_MS = 150;

/**
 * The unread streams open in this process. It hears that a chat or users changed (from every
 * process, through UnreadSignals) and recounts the streams concerned: those of the users named,
 * and those whose user is a member of the chat. A stream gets the counts only when they differ
 * from what it last got. A user no longer active (banned, deleted) has their streams closed.
 */
export class UnreadStreamHub {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
  ) {}

  /** Opens a stream: the current counts are sent at once. Returns the function that ends it. */
  open(userId: string, send: (counts: UnreadCounts) => void, close: () => void): () => void {
    const watcher: Watcher = { userId, chatIds: new Set(), last: null, timer: null, send, close };
    this.watchers.add(watcher);
    this.recount(watcher, 0);
    return () => this.forget(watcher);
  }

  /** How many streams the user has open here. */
  countOf(userId: string): number {
    let count = 0;
    for (const watcher of this.watchers) if (watcher.userId === userId) count++;
    return count;
  }

  chatChanged(chatId: string): void {
    for (const watcher of this.watchers) if (watcher.chatIds.has(chatId)) this.recount(watcher, SETTLE_MS);
  }

  usersChanged(userIds: readonly string[]): void {
    const named = new Set(userIds);
    for (const watcher of this.watchers) if (named.has(watcher.userId)) this.recount(watcher, SETTLE_MS);
  }

  closeAll(): void {
    for (const watcher of [...this.watchers]) {
      this.forget(watcher);
      watcher.close();
    }
  }

  private forget(watcher: Watcher): void {
    if (watcher.timer) clearTimeout(watcher.timer);
    this.watchers.delete(watcher);
  }

  private recount(watcher: Watcher, delayMs: number): void {
    if (watcher.timer) return;
    watcher.timer = setTimeout(() => {
      watcher.timer = null;
      void this.count(watcher);
    }, delayMs);
  }

  private async count(watcher: Watcher): Promise<void> {
    try {
      const user = await this.storage.users.byId(watcher.userId);
      if (!user || user.status !== 'active') {
        this.forget(watcher);
        watcher.close();
        return;
      }
      const { unread, mentions, chatIds } = await tallyUnread(this.storage, watcher.userId);
      if (!this.watchers.has(watcher)) return;
      watcher.chatIds = new Set(chatIds);
      const counts = { unread, mentions };
      const serialized = JSON.stringify(counts);
      if (serialized === watcher.last) return;
      watcher.last = serialized;
      watcher.send(counts);
    } catch (error) {
      this.logger.warn({ err: error }, 'unread stream: counting failed');
    }
  }
}
