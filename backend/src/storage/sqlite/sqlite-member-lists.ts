import type { Database, Statement } from 'better-sqlite3';
import type { MemberRecord } from '../storage.js';

/** How many chats' member lists are kept; past that, the longest-kept are dropped first. */
const DEFAULT_CAPACITY = 10_000;

/** What one batch of the writer thread did to member rows (see SqliteWriteBatch). */
export interface MemberRowChanges {
  /** The `member_changes` count when the commit's transaction began, and when it ended. */
  countBefore: number;
  countAfter: number;
  /** Members whose delivered/read positions moved: the rows as they are now. */
  moved: MemberRecord[];
  /** Chats that got a message, which un-hides the chat for every member. */
  unhidden: string[];
}

/**
 * Each chat's member list as last read, so that sending a message (which needs the sender's
 * membership and who has the chat hidden) and receipts read no member rows.
 *
 * It is never stale, whoever changes the file. Every change to a `members` row, by any
 * connection, adds one to `member_changes.count` (triggers, migration 2). Each lookup reads that
 * count first — one row, in the same file every process writes — and when it differs from the
 * count the kept lists were read at, everything kept is dropped and read again. So a member
 * removed by any process, or by a tool, cannot send once the removal has committed.
 *
 * The writer thread's batches (messages, receipts: SqliteWriter) change member rows too
 * (un-hiding, positions); each reports what it changed and the count before and after
 * (`applyCommit`), so lists stay kept across them. Storing messages changes no member row unless
 * someone had the chat hidden, so under message load — this process's or another's — the lists
 * stay kept. Other changes (joins, leaves, roles, another process's receipts) just empty this
 * memory once.
 *
 * Lists are handed out as copies; what is kept is never exposed.
 */
export class SqliteMemberLists {
  private readonly lists = new Map<string, MemberRecord[]>();
  private readonly readCount: Statement<[], number>;
  /** The count the kept lists are current for (each reflects that state or a later one). */
  private count: number;

  constructor(
    db: Database,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {
    this.readCount = db.prepare<[], number>('SELECT count FROM member_changes WHERE id = 1').pluck();
    this.count = this.readCount.get() ?? 0;
  }

  /** The chat's members as kept (a copy), or undefined when not kept. Runs inside withStorageErrors. */
  get(chatId: string): MemberRecord[] | undefined {
    const count = this.readCount.get() ?? 0;
    if (count !== this.count) {
      this.lists.clear();
      this.count = count;
      return undefined;
    }
    const list = this.lists.get(chatId);
    return list && list.map(copyMember);
  }

  /** Keeps a list just read from the file, after `get` found none. */
  keep(chatId: string, members: readonly MemberRecord[]): void {
    if (this.lists.size >= this.capacity && !this.lists.has(chatId)) {
      const oldest = this.lists.keys().next();
      if (!oldest.done) this.lists.delete(oldest.value);
    }
    this.lists.set(chatId, members.map(copyMember));
  }

  /**
   * A batch of the writer thread, once committed. When the kept lists are current for the
   * count it began at, its changes are applied to them; when they were read later than its end,
   * they hold the changes already; otherwise (other changes came in between) everything kept is
   * dropped.
   */
  applyCommit(changes: MemberRowChanges): void {
    if (this.count >= changes.countAfter) return;
    if (this.count !== changes.countBefore) {
      this.lists.clear();
      this.count = changes.countAfter;
      return;
    }
    for (const chatId of changes.unhidden) {
      const list = this.lists.get(chatId);
      if (list) for (const member of list) member.hidden = false;
    }
    for (const member of changes.moved) {
      const list = this.lists.get(member.chatId);
      if (!list) continue;
      const index = list.findIndex((kept) => kept.userId === member.userId);
      if (index === -1) this.lists.delete(member.chatId);
      else list[index] = copyMember(member);
    }
    this.count = changes.countAfter;
  }
}

function copyMember(member: MemberRecord): MemberRecord {
  return {
    chatId: member.chatId,
    userId: member.userId,
    role: member.role,
    joinedAt: member.joinedAt,
    deliveredSeq: member.deliveredSeq,
    readSeq: member.readSeq,
    hidden: member.hidden,
  };
}
