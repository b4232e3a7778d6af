import type { Database, Statement } from 'better-sqlite3';
import type { MemberRole } from '../../../../shared/src/schemas/chats.js';
import { NotFoundError } from '../errors.js';
import { eventOfMembership } from '../records/event.js';
import { newId } from '../ids.js';
import { newMember } from '../records/member.js';
import type { MemberList, MemberPatch, MemberRecord, MemberStore } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';
import type { SqliteEventLog } from './sqlite-event-log.js';
import type { SqliteMemberLists } from './sqlite-member-lists.js';
import { MEMBER_COLUMNS, memberToRow, namedPlaceholders, rowToMember, type MemberRow } from './sqlite-rows.js';

interface AdvanceParams {
  chat_id: string;
  user_id: string;
  delivered_seq: number;
  read_seq: number;
  now: string;
}

export class SqliteMemberStore implements MemberStore {
  private readonly insert: Statement<[MemberRow]>;
  private readonly selectOne: Statement<[string, string], MemberRow>;
  private readonly selectOfChat: Statement<[string], MemberRow>;
  private readonly deleteOne: Statement<[string, string]>;
  private readonly updateRoleAndHidden: Statement<[MemberRow]>;
  private readonly moveForward: Statement<[AdvanceParams], MemberRow>;
  private readonly selectChatIdsOfUser: Statement<[string], { chat_id: string }>;
  private readonly countAdminsOfChat: Statement<[string], { admins: number }>;
  private readonly patchMember: (chatId: string, userId: string, patch: MemberPatch) => MemberRecord;
  /** The insert or delete with its webhook event, in one transaction. */
  private readonly insertLogged: (member: MemberRecord) => void;
  private readonly deleteLogged: (chatId: string, userId: string) => number;

  constructor(
    db: Database,
    private readonly memberLists: SqliteMemberLists,
    eventLog: SqliteEventLog,
  ) {
    this.insert = db.prepare(`INSERT INTO members (${MEMBER_COLUMNS}) VALUES (${namedPlaceholders(MEMBER_COLUMNS)})`);
    this.selectOne = db.prepare(`SELECT ${MEMBER_COLUMNS} FROM members WHERE chat_id = ? AND user_id = ?`);
    this.selectOfChat = db.prepare(`SELECT ${MEMBER_COLUMNS} FROM members WHERE chat_id = ? ORDER BY joined_at, user_id`);
    this.deleteOne = db.prepare('DELETE FROM members WHERE chat_id = ? AND user_id = ?');
    this.updateRoleAndHidden = db.prepare(
      'UPDATE members SET role = @role, hidden = @hidden, notify = @notify WHERE chat_id = @chat_id AND user_id = @user_id',
    );
    // Read implies delivered; neither position ever moves back. No row comes back when nothing moved.
    this.moveForward = db.prepare(`
      UPDATE members
      SET read_at = CASE WHEN read_seq < @read_seq THEN @now ELSE read_at END,
          read_seq = max(read_seq, @read_seq),
          delivered_seq = max(delivered_seq, @delivered_seq, @read_seq)
      WHERE chat_id = @chat_id AND user_id = @user_id
        AND (read_seq < @read_seq OR delivered_seq < max(@delivered_seq, @read_seq))
      RETURNING ${MEMBER_COLUMNS}
    `);
    this.selectChatIdsOfUser = db.prepare('SELECT chat_id FROM members WHERE user_id = ?');
    this.countAdminsOfChat = db.prepare("SELECT count(*) AS admins FROM members WHERE chat_id = ? AND role = 'admin'");

    const insertLogged = db.transaction((member: MemberRecord) => {
      this.insert.run(memberToRow(member));
      eventLog.write([eventOfMembership('member.joined', member.chatId, member.userId, newId())], member.joinedAt);
    });
    this.insertLogged = (member) => insertLogged.immediate(member);
    const deleteLogged = db.transaction((chatId: string, userId: string) => {
      const { changes } = this.deleteOne.run(chatId, userId);
      if (changes > 0) eventLog.write([eventOfMembership('member.left', chatId, userId, newId())], new Date().toISOString());
      return changes;
    });
    this.deleteLogged = (chatId, userId) => deleteLogged.immediate(chatId, userId);

    this.patchMember = db.transaction((chatId: string, userId: string, patch: MemberPatch) => {
      const row = this.selectOne.get(chatId, userId);
      if (!row) throw new NotFoundError('member', `${chatId}/${userId}`);
      const member: MemberRecord = {
        ...rowToMember(row),
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.hidden !== undefined && { hidden: patch.hidden }),
        ...(patch.notify !== undefined && { notify: patch.notify }),
      };
      this.updateRoleAndHidden.run(memberToRow(member));
      return member;
    }).immediate;
  }

  /** From the chat's member list (read once, then kept current: see SqliteMemberLists). */
  async get(chatId: string, userId: string): Promise<MemberRecord | null> {
    const found = this.listOf(chatId).find((member) => member.userId === userId);
    return found ? { ...found } : null;
  }

  async list(chatId: string): Promise<MemberList> {
    return this.listOf(chatId);
  }

  private listOf(chatId: string): MemberList {
    return withStorageErrors(() => {
      const kept = this.memberLists.get(chatId);
      if (kept) return kept;
      return this.memberLists.keep(chatId, this.selectOfChat.all(chatId).map(rowToMember));
    });
  }

  async add(chatId: string, userId: string, role: MemberRole): Promise<MemberRecord> {
    const member = newMember(chatId, userId, role, new Date().toISOString());
    try {
      withStorageErrors(() => this.insertLogged(member));
    } finally {
      this.memberLists.forget(chatId);
    }
    return member;
  }

  async remove(chatId: string, userId: string): Promise<void> {
    let changes: number;
    try {
      changes = withStorageErrors(() => this.deleteLogged(chatId, userId));
    } finally {
      this.memberLists.forget(chatId);
    }
    if (changes === 0) throw new NotFoundError('member', `${chatId}/${userId}`);
  }

  async update(chatId: string, userId: string, patch: MemberPatch): Promise<MemberRecord> {
    try {
      return withStorageErrors(() => this.patchMember(chatId, userId, patch));
    } finally {
      this.memberLists.forget(chatId);
    }
  }

  async advance(
    chatId: string,
    userId: string,
    positions: { deliveredSeq?: number; readSeq?: number },
  ): Promise<{ member: MemberRecord; changed: boolean }> {
    return withStorageErrors(() => {
      const moved = this.moveForward.get({
        chat_id: chatId,
        user_id: userId,
        delivered_seq: positions.deliveredSeq ?? 0,
        read_seq: positions.readSeq ?? 0,
        now: new Date().toISOString(),
      });
      if (moved) {
        const member = rowToMember(moved);
        this.memberLists.moved(member);
        return { member, changed: true };
      }
      const unchanged = this.selectOne.get(chatId, userId);
      if (!unchanged) throw new NotFoundError('member', `${chatId}/${userId}`);
      return { member: rowToMember(unchanged), changed: false };
    });
  }

  async chatIdsOfUser(userId: string): Promise<string[]> {
    return withStorageErrors(() => this.selectChatIdsOfUser.all(userId)).map((row) => row.chat_id);
  }

  async countAdmins(chatId: string): Promise<number> {
    return withStorageErrors(() => this.countAdminsOfChat.get(chatId))?.admins ?? 0;
  }
}
