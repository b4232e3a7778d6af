import { memberFields } from '../records/member.js';
import type { MemberList, MemberRecord } from '../storage.js';
import type { CacheBus, CacheEvent } from './mongo-cache-bus.js';

/** How many chats' member lists are kept; past that, the longest-kept are dropped first. */
const DEFAULT_CAPACITY = 10_000;

/**
 * Each chat's member list as this process last read it, so that sending a message (which needs
 * the sender's membership and who has the chat hidden) and receipts read no member documents —
 * the MongoDB counterpart of SqliteMemberLists.
 *
 * Kept current:
 * - changes made by this process keep it current as they are stored: the member, chat, message
 *   and user stores call `forget`, `clear`, `moved` and `unhidden`;
 * - every such call is also published on the cache bus (Redis pub/sub with REDIS_URL, see
 *   mongo-cache-bus.ts), and the other processes apply it to theirs. So a member removed on
 *   another process cannot send here once the removal is stored and its event has arrived (a
 *   Redis round trip, well under a millisecond on one network); a process that lost its Redis
 *   connection drops everything it keeps when it is back. Without REDIS_URL there is one process.
 *
 * A lookup that missed reads the list from the store; a change that happens while that read is
 * on its way bumps the chat's generation, and the read's result is then handed out but not kept.
 *
 * What is kept is a frozen snapshot, handed out as it is: a change replaces the snapshot (copy
 * on write) rather than changing it, so a list a caller holds never changes under it.
 */
export class MongoMemberLists {
  private readonly lists = new Map<string, MemberList>();
  /** Bumped by every change of a chat's list (and all of them by `clear`): a read that started before it is not kept. */
  private readonly generations = new Map<string, number>();
  private clearedGeneration = 0;
  /** The read of a chat's list on its way, with the generation it started at. */
  private readonly reads = new Map<string, { generation: string; list: Promise<MemberList> }>();

  constructor(
    private readonly bus: CacheBus,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Applies another process's event to what this one keeps. */
  apply(event: CacheEvent): void {
    if (event.kind === 'forget') this.forgetHere(event.chatId);
    else if (event.kind === 'clear') this.clearHere();
    else if (event.kind === 'moved') this.movedHere(event.member);
    else if (event.kind === 'unhidden') this.unhiddenHere(event.chatId);
  }

  /** The chat's members as kept, or undefined when not kept. */
  get(chatId: string): MemberList | undefined {
    return this.lists.get(chatId);
  }

  /**
   * The chat's members as kept, or read with `load` (and kept, see `keep`). A lookup that misses
   * while a read of the same chat is on its way, with no change of the chat since that read
   * started, shares it: a room whose members all send at once after a start costs one read.
   */
  list(chatId: string, load: () => Promise<readonly MemberRecord[]>): Promise<MemberList> {
    const kept = this.lists.get(chatId);
    if (kept) return Promise.resolve(kept);
    const generation = this.generation(chatId);
    const shared = this.reads.get(chatId);
    if (shared?.generation === generation) return shared.list;
    const read = { generation, list: load().then((members) => this.keep(chatId, members, generation)) };
    this.reads.set(chatId, read);
    const done = () => {
      if (this.reads.get(chatId) === read) this.reads.delete(chatId);
    };
    read.list.then(done, done);
    return read.list;
  }

  /** A token to pass to `keep` with the list read after it. */
  generation(chatId: string): string {
    return `${this.clearedGeneration}:${this.generations.get(chatId) ?? 0}`;
  }

  /** Keeps a list read from the store when nothing changed since `generation`; returns the snapshot either way. */
  keep(chatId: string, members: readonly MemberRecord[], generation: string): MemberList {
    const snapshot = snapshotOf(members);
    if (generation !== this.generation(chatId)) return snapshot;
    if (this.lists.size >= this.capacity && !this.lists.has(chatId)) {
      const oldest = this.lists.keys().next();
      if (!oldest.done) this.lists.delete(oldest.value);
    }
    this.lists.set(chatId, snapshot);
    return snapshot;
  }

  /** The chat's membership changed (added, removed, role or hidden set). */
  forget(chatId: string): void {
    this.forgetHere(chatId);
    this.bus.publish({ kind: 'forget', chatId });
  }

  /** Memberships changed in ways not worth tracing (a user and all their memberships deleted). */
  clear(): void {
    this.clearHere();
    this.bus.publish({ kind: 'clear' });
  }

  /** A member's delivered/read position moved (stored); `member` is the document as it now is. */
  moved(member: MemberRecord): void {
    this.movedHere(member);
    this.bus.publish({ kind: 'moved', member });
  }

  /** Messages were stored in the chat, which un-hid it for every member. */
  unhidden(chatId: string): void {
    const list = this.lists.get(chatId);
    if (list?.some((member) => member.hidden) !== false) this.bus.publish({ kind: 'unhidden', chatId });
    this.unhiddenHere(chatId);
  }

  /** Everything kept is dropped (events of other processes may have been missed). */
  clearHere(): void {
    this.lists.clear();
    this.generations.clear();
    this.clearedGeneration += 1;
  }

  private forgetHere(chatId: string): void {
    this.lists.delete(chatId);
    this.generations.set(chatId, (this.generations.get(chatId) ?? 0) + 1);
  }

  private movedHere(member: MemberRecord): void {
    const list = this.lists.get(member.chatId);
    if (!list) return;
    const index = list.findIndex((kept) => kept.userId === member.userId);
    if (index === -1) this.forgetHere(member.chatId);
    else {
      const kept = list[index]!;
      // Positions only move forward: an event that arrives after a newer one changes nothing.
      const newer = { ...kept, ...memberFields(member), deliveredSeq: Math.max(kept.deliveredSeq, member.deliveredSeq), readSeq: Math.max(kept.readSeq, member.readSeq) };
      if (member.readSeq < kept.readSeq) newer.readAt = kept.readAt;
      this.lists.set(member.chatId, snapshotOf(list.map((one, at) => (at === index ? newer : one))));
    }
  }

  private unhiddenHere(chatId: string): void {
    const list = this.lists.get(chatId);
    if (list?.some((member) => member.hidden)) {
      this.lists.set(chatId, snapshotOf(list.map((member) => ({ ...member, hidden: false }))));
    }
  }
}

function snapshotOf(members: ReadonlyArray<Readonly<MemberRecord>>): MemberList {
  return Object.freeze(members.map((member) => Object.freeze(memberFields(member))));
}
