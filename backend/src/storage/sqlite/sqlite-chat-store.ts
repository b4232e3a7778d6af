import type { Database, Statement } from 'better-sqlite3';
import type { MemberRole } from '../../../../shared/src/schemas/chats.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { directKeyOf, newDirectChat, newGroupChat } from '../records/chat.js';
import { newMember } from '../records/member.js';
import type { ChatListEntry, ChatPatch, ChatRecord, ChatStore, MemberRecord, NewGroup } from '../storage.js';
import { withStorageErrors } from './sqlite-errors.js';
import type { SqliteMemberLists } from './sqlite-member-lists.js';
import {
  CHAT_COLUMNS,
  chatToRow,
  MEMBER_COLUMNS,
  memberToRow,
  namedPlaceholders,
  rowToChat,
  rowToMember,
  rowToMessage,
  type ChatRow,
  type MemberRow,
  type MessageRow,
} from './sqlite-rows.js';

/** One row of the chat list query: the chat, the membership, the last message (all null when none) and the unread count. */
interface ChatListRow {
  c_id: string;
  c_kind: ChatRow['kind'];
  c_name: string | null;
  c_visibility: ChatRow['visibility'];
  c_password_hash: string | null;
  c_direct_key: string | null;
  c_last_seq: number;
  c_last_change_seq: number;
  c_created_at: string;
  c_last_activity_at: string;
  m_user_id: string;
  m_role: MemberRole;
  m_joined_at: string;
  m_delivered_seq: number;
  m_read_seq: number;
  m_read_at: string | null;
  m_hidden: 0 | 1;
  m_notify: MemberRow['notify'];
  lm_id: string | null;
  lm_seq: number | null;
  lm_kind: MessageRow['kind'] | null;
  lm_sender_id: string | null;
  lm_client_id: string | null;
  lm_body: string | null;
  lm_notice: string | null;
  lm_created_at: string | null;
  lm_edited_at: string | null;
  lm_deleted_at: string | null;
  lm_deleted_by: MessageRow['deleted_by'];
  lm_reply_to_id: string | null;
  lm_change_seq: number | null;
  lm_mentions: string | null;
  unread_count: number;
  unread_mention_count: number;
}

/**
 * The chat list in one pass (exported for the test that checks its query plan) over the user's memberships. The last message and the unread count
 * are correlated subqueries that walk the messages primary key (chat_id, seq) from the end. The
 * last message is read as it is now (edited body, or a deleted message's tombstone); deleted
 * messages are not counted unread. Unread mentions are a range of the mentions primary key
 * (user_id, chat_id, seq) after the read position, which holds only live messages of others.
 */
export const CHAT_LIST_SELECT = `
  SELECT
    c.id AS c_id, c.kind AS c_kind, c.name AS c_name, c.visibility AS c_visibility, c.password_hash AS c_password_hash,
    c.direct_key AS c_direct_key, c.last_seq AS c_last_seq, c.last_change_seq AS c_last_change_seq, c.created_at AS c_created_at,
    c.last_activity_at AS c_last_activity_at,
    m.user_id AS m_user_id, m.role AS m_role, m.joined_at AS m_joined_at,
    m.delivered_seq AS m_delivered_seq, m.read_seq AS m_read_seq, m.read_at AS m_read_at, m.hidden AS m_hidden, m.notify AS m_notify,
    lm.id AS lm_id, lm.seq AS lm_seq, lm.kind AS lm_kind, lm.sender_id AS lm_sender_id,
    lm.client_id AS lm_client_id, lm.body AS lm_body, lm.notice AS lm_notice, lm.created_at AS lm_created_at,
    lm.edited_at AS lm_edited_at, lm.deleted_at AS lm_deleted_at, lm.deleted_by AS lm_deleted_by,
    lm.reply_to_id AS lm_reply_to_id, lm.change_seq AS lm_change_seq, lm.mentions AS lm_mentions,
    (SELECT count(*) FROM messages unread
      WHERE unread.chat_id = m.chat_id AND unread.seq > m.read_seq AND unread.sender_id IS NOT m.user_id
        AND unread.deleted_at IS NULL
    ) AS unread_count,
    (SELECT count(*) FROM mentions mn
      WHERE mn.user_id = m.user_id AND mn.chat_id = m.chat_id AND mn.seq > m.read_seq
    ) AS unread_mention_count
  FROM members m
  JOIN chats c ON c.id = m.chat_id
  LEFT JOIN messages lm ON lm.chat_id = m.chat_id
    AND lm.seq = (SELECT newest.seq FROM messages newest WHERE newest.chat_id = m.chat_id ORDER BY newest.seq DESC LIMIT 1)
`;

export class SqliteChatStore implements ChatStore {
  private readonly insertChat: Statement<[ChatRow]>;
  private readonly insertMember: Statement<[MemberRow]>;
  private readonly selectById: Statement<[string], ChatRow>;
  private readonly selectByDirectKey: Statement<[string], ChatRow>;
  private readonly updateDetails: Statement<[Pick<ChatRow, 'id' | 'name' | 'name_key' | 'visibility' | 'password_hash'>]>;
  private readonly searchGroupsByName: Statement<[string, number], ChatRow & { member_count: number }>;
  private readonly listVisible: Statement<[string, number], ChatListRow>;
  private readonly selectEntry: Statement<[string, string], ChatListRow>;
  private readonly openDirectChat: (userA: string, userB: string) => { chat: ChatRecord; created: boolean };
  private readonly insertGroup: (chat: ChatRecord, members: MemberRecord[]) => void;
  private readonly patchChat: (id: string, patch: ChatPatch) => ChatRecord;

  constructor(
    db: Database,
    private readonly memberLists: SqliteMemberLists,
  ) {
    this.insertChat = db.prepare(`INSERT INTO chats (${CHAT_COLUMNS}) VALUES (${namedPlaceholders(CHAT_COLUMNS)})`);
    this.insertMember = db.prepare(`INSERT INTO members (${MEMBER_COLUMNS}) VALUES (${namedPlaceholders(MEMBER_COLUMNS)})`);
    this.selectById = db.prepare(`SELECT ${CHAT_COLUMNS} FROM chats WHERE id = ?`);
    this.selectByDirectKey = db.prepare(`SELECT ${CHAT_COLUMNS} FROM chats WHERE direct_key = ?`);
    this.updateDetails = db.prepare(
      'UPDATE chats SET name = @name, name_key = @name_key, visibility = @visibility, password_hash = @password_hash WHERE id = @id',
    );
    this.searchGroupsByName = db.prepare(`
      SELECT ${CHAT_COLUMNS}, (SELECT count(*) FROM members WHERE members.chat_id = chats.id) AS member_count
      FROM chats
      WHERE kind = 'group' AND visibility = 'public' AND instr(name_key, ?) > 0
      ORDER BY last_activity_at DESC, id DESC
      LIMIT ?
    `);
    this.listVisible = db.prepare(`
      ${CHAT_LIST_SELECT}
      WHERE m.user_id = ? AND m.hidden = 0
      ORDER BY c.last_activity_at DESC, c.id DESC
      LIMIT ?
    `);
    this.selectEntry = db.prepare(`${CHAT_LIST_SELECT} WHERE m.chat_id = ? AND m.user_id = ?`);

    this.openDirectChat = db.transaction((userA: string, userB: string) => {
      const directKey = directKeyOf(userA, userB);
      const existing = this.selectByDirectKey.get(directKey);
      if (existing) return { chat: rowToChat(existing), created: false };
      const now = new Date().toISOString();
      const chat = newDirectChat(userA, userB, now);
      this.insertChat.run(chatToRow(chat));
      for (const userId of [userA, userB]) this.insertMember.run(memberToRow(newMember(chat.id, userId, 'member', now)));
      return { chat, created: true };
    }).immediate;
    this.insertGroup = db.transaction((chat: ChatRecord, members: MemberRecord[]) => {
      this.insertChat.run(chatToRow(chat));
      for (const member of members) this.insertMember.run(memberToRow(member));
    }).immediate;
    this.patchChat = db.transaction((id: string, patch: ChatPatch) => {
      const row = this.selectById.get(id);
      if (!row) throw new NotFoundError('chat', id);
      const chat: ChatRecord = {
        ...rowToChat(row),
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.passwordHash !== undefined && { passwordHash: patch.passwordHash }),
        ...(patch.visibility !== undefined && { visibility: patch.visibility }),
      };
      this.updateDetails.run(chatToRow(chat));
      return chat;
    }).immediate;
  }

  async openDirect(userA: string, userB: string): Promise<{ chat: ChatRecord; created: boolean }> {
    if (userA === userB) throw new InvalidInputError('a direct chat needs two different users');
    const opened = withStorageErrors(() => this.openDirectChat(userA, userB));
    if (opened.created) this.memberLists.forget(opened.chat.id);
    return opened;
  }

  async findDirect(userA: string, userB: string): Promise<ChatRecord | null> {
    const row = withStorageErrors(() => this.selectByDirectKey.get(directKeyOf(userA, userB)));
    return row ? rowToChat(row) : null;
  }

  async createGroup(group: NewGroup): Promise<ChatRecord> {
    const { chat, members } = newGroupChat(group, new Date().toISOString());
    withStorageErrors(() => this.insertGroup(chat, members));
    this.memberLists.forget(chat.id);
    return chat;
  }

  async byId(id: string): Promise<ChatRecord | null> {
    const row = withStorageErrors(() => this.selectById.get(id));
    return row ? rowToChat(row) : null;
  }

  async update(id: string, patch: ChatPatch): Promise<ChatRecord> {
    return withStorageErrors(() => this.patchChat(id, patch));
  }

  async searchGroups(query: string, limit: number): Promise<Array<ChatRecord & { memberCount: number }>> {
    const rows = withStorageErrors(() => this.searchGroupsByName.all(query.toLowerCase(), limit));
    return rows.map((row) => ({ ...rowToChat(row), memberCount: row.member_count }));
  }

  async listForUser(userId: string, options: { limit?: number } = {}): Promise<ChatListEntry[]> {
    // SQLite reads a negative LIMIT as "no limit".
    const rows = withStorageErrors(() => this.listVisible.all(userId, options.limit ?? -1));
    return rows.map(rowToEntry);
  }

  async entryForUser(chatId: string, userId: string): Promise<ChatListEntry | null> {
    const row = withStorageErrors(() => this.selectEntry.get(chatId, userId));
    return row ? rowToEntry(row) : null;
  }
}

function rowToEntry(row: ChatListRow): ChatListEntry {
  return {
    chat: rowToChat({
      id: row.c_id,
      kind: row.c_kind,
      name: row.c_name,
      visibility: row.c_visibility,
      password_hash: row.c_password_hash,
      direct_key: row.c_direct_key,
      last_seq: row.c_last_seq,
      last_change_seq: row.c_last_change_seq,
      created_at: row.c_created_at,
      last_activity_at: row.c_last_activity_at,
    }),
    membership: rowToMember({
      chat_id: row.c_id,
      user_id: row.m_user_id,
      role: row.m_role,
      joined_at: row.m_joined_at,
      delivered_seq: row.m_delivered_seq,
      read_seq: row.m_read_seq,
      read_at: row.m_read_at,
      hidden: row.m_hidden,
      notify: row.m_notify,
    }),
    lastMessage:
      row.lm_id === null || row.lm_seq === null || row.lm_kind === null || row.lm_body === null || row.lm_created_at === null || row.lm_change_seq === null
        ? null
        : rowToMessage({
            id: row.lm_id,
            chat_id: row.c_id,
            seq: row.lm_seq,
            kind: row.lm_kind,
            sender_id: row.lm_sender_id,
            client_id: row.lm_client_id,
            body: row.lm_body,
            notice: row.lm_notice,
            created_at: row.lm_created_at,
            edited_at: row.lm_edited_at,
            deleted_at: row.lm_deleted_at,
            deleted_by: row.lm_deleted_by,
            reply_to_id: row.lm_reply_to_id,
            change_seq: row.lm_change_seq,
            mentions: row.lm_mentions,
          }),
    unreadCount: row.unread_count,
    unreadMentionCount: row.unread_mention_count,
  };
}
