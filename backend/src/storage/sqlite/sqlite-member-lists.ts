import type { Database, Statement } from 'better-sqlite3';
import { memberFields } from '../records/member.js';
import type { MemberList, MemberRecord } from '../storage.js';

/** How many chats' member lists are kept; past that, the longest-kept are dropped first. */
const DEFAULT_CAPACITY = 10_000;

/**
 * Each chat's member list as this connection last read it, so that sending a message (which
 * needs the sender's membership and who has the chat hidden) and receipts read no member rows.
 *
 * It is never stale, whoever changes the file:
 * - changes made through this connection (this storage: every use case of this process) keep it
 *   current as they commit: the member, chat, message and user stores call `forget`, `clear`,
 *   `moved` and `unhidden` (see there);
 * - any other connection — another server process sharing the file, a tool, another storage in
 *   this process — is caught by SQLite's `PRAGMA data_version`, which changes whenever another
 *   connection has committed: then everything kept is dropped before it is used again. The check
 *   costs one pragma per lookup. So a member removed by another process cannot send once the
 *   removal has committed there; with several busy processes the lists are simply read again
 *   (every commit of another process empties this memory), which is correct, just not faster.
 *
 * What is kept is a frozen snapshot, handed out as it is: a change replaces the snapshot (copy
 * on write) rather than changing it, so a list a caller holds never changes under it.
 */
export class SqliteMemberLists {
  private readonly lists = new Map<string, MemberList>();
  private readonly readDataVersion: Statement<[], number>;
  private dataVersion: number;

  constructor(
    db: Database,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {
    this.readDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.dataVersion = this.readDataVersion.get()!;
  }

  /** The chat's members as kept, or undefined when not kept. Runs inside withStorageErrors. */
  get(chatId: string): MemberList | undefined {
    const version = this.readDataVersion.get()!;
    if (version !== this.dataVersion) {
      this.lists.clear();
      this.dataVersion = version;
      return undefined;
    }
    return this.lists.get(chatId);
  }

  /** Keeps a list just read from the file (after `get` found none, with nothing written in between), and returns what is kept. */
  keep(chatId: string, members: readonly MemberRecord[]): MemberList {
    if (this.lists.size >= this.capacity && !this.lists.has(chatId)) {
      const oldest = this.lists.keys().next();
      if (!oldest.done) this.lists.delete(oldest.value);
    }
    const snapshot = snapshotOf(members);
    this.lists.set(chatId, snapshot);
    return snapshot;
  }

  /** The chat's membership changed (added, removed, role or hidden set). */
  forget(chatId: string): void {
    this.lists.delete(chatId);
  }

  /** Memberships changed in ways not worth tracing (a user and all their memberships deleted). */
  clear(): void {
    this.lists.clear();
  }

  /** A member's delivered/read position moved (committed); `member` is the row as it now is. */
  moved(member: MemberRecord): void {
    const list = this.lists.get(member.chatId);
    if (!list) return;
    const index = list.findIndex((kept) => kept.userId === member.userId);
    if (index === -1) this.lists.delete(member.chatId);
    else this.lists.set(member.chatId, snapshotOf(list.map((kept, at) => (at === index ? member : kept))));
  }

  /** A message was committed to the chat, which un-hid it for every member. */
  unhidden(chatId: string): void {
    const list = this.lists.get(chatId);
    if (list?.some((member) => member.hidden)) {
      this.lists.set(chatId, snapshotOf(list.map((member) => ({ ...member, hidden: false }))));
    }
  }
}

function snapshotOf(members: ReadonlyArray<Readonly<MemberRecord>>): MemberList {
  return Object.freeze(members.map((member) => Object.freeze(memberFields(member))));
}
