import type { ChatKind } from '../../../shared/src/schemas/chats.js';
import type { Storage } from '../storage/storage.js';

/** How many chats' kinds are remembered; past that, the longest-remembered are forgotten first. */
const DEFAULT_CAPACITY = 100_000;

/**
 * Each chat's kind (direct or group), remembered for the life of the process, so that sending a
 * message needs no read of the chat record.
 *
 * Nothing can make an entry stale, in this process or any other: a chat's kind is fixed when it
 * is created, and chats are never deleted (deleting a chat only hides it for one member). Unknown
 * ids are not remembered, so a chat created later (anywhere) is found when first asked for.
 *
 * Lookups of a chat not remembered yet share one read while it is on its way: when a room's
 * members all send at once after a start, the chat is read once, not once per send (on a store
 * that is slow to read, each of those reads held its send and the next ones up).
 */
export class ChatKinds {
  private readonly kinds = new Map<string, ChatKind>();
  private readonly reads = new Map<string, Promise<ChatKind | null>>();

  constructor(
    private readonly storage: Storage,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** The chat's kind, or null when there is no such chat. */
  async of(chatId: string): Promise<ChatKind | null> {
    const known = this.kinds.get(chatId);
    if (known) return known;
    let read = this.reads.get(chatId);
    if (!read) {
      read = this.read(chatId).finally(() => this.reads.delete(chatId));
      this.reads.set(chatId, read);
    }
    return read;
  }

  private async read(chatId: string): Promise<ChatKind | null> {
    const chat = await this.storage.chats.byId(chatId);
    if (!chat) return null;
    if (this.kinds.size >= this.capacity) {
      const oldest = this.kinds.keys().next();
      if (!oldest.done) this.kinds.delete(oldest.value);
    }
    this.kinds.set(chatId, chat.kind);
    return chat.kind;
  }
}
