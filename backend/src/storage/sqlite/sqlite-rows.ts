/** The SQLite row shapes and their translation to and from the port's plain records. */
import type { ChatKind, ChatVisibility, MemberRole } from '../../../../shared/src/schemas/chats.js';
import type { ChangeKind } from '../../../../shared/src/schemas/message-changes.js';
import type { DeletedBy, MessageKind, Notice } from '../../../../shared/src/schemas/messages.js';
import type { Gender, UserRole, UserStatus } from '../../../../shared/src/schemas/users.js';
import { usernameKey } from '../records/username-key.js';
import type { ChangeRecord, ChatRecord, MemberRecord, MessageRecord, ReactionRecord, UserRecord } from '../storage.js';

export interface UserRow {
  id: string;
  username: string;
  /** The lower-cased username: what uniqueness and search compare. */
  username_key: string;
  first_name: string;
  last_name: string;
  email: string;
  gender: Gender;
  avatar_url: string | null;
  password_hash: string | null;
  role: UserRole;
  status: UserStatus;
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChatRow {
  id: string;
  kind: ChatKind;
  name: string | null;
  /** The lower-cased name: what group search compares. */
  name_key: string | null;
  visibility: ChatVisibility;
  password_hash: string | null;
  direct_key: string | null;
  last_seq: number;
  last_change_seq: number;
  created_at: string;
  last_activity_at: string;
}

export interface MemberRow {
  chat_id: string;
  user_id: string;
  role: MemberRole;
  joined_at: string;
  delivered_seq: number;
  read_seq: number;
  read_at: string | null;
  hidden: 0 | 1;
  notify: MemberRecord['notify'];
}

export interface MessageRow {
  id: string;
  chat_id: string;
  seq: number;
  kind: MessageKind;
  sender_id: string | null;
  client_id: string | null;
  body: string;
  /** The notice as JSON text. */
  notice: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  deleted_by: DeletedBy | null;
  reply_to_id: string | null;
  change_seq: number;
  /** The mentioned user ids as a JSON array; null when none. */
  mentions: string | null;
}

export interface ChangeRow {
  chat_id: string;
  change_seq: number;
  message_id: string;
  kind: ChangeKind;
  actor_id: string;
  at: string;
}

export interface ReactionRow {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: string;
  /** The change position of the reaction that put it there: orders a message's reactions. */
  change_seq: number;
}

export function userToRow(user: UserRecord): UserRow {
  return {
    id: user.id,
    username: user.username,
    username_key: usernameKey(user.username),
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    gender: user.gender,
    avatar_url: user.avatarUrl,
    password_hash: user.passwordHash,
    role: user.role,
    status: user.status,
    external_id: user.externalId,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export function rowToUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    gender: row.gender,
    avatarUrl: row.avatar_url,
    passwordHash: row.password_hash,
    role: row.role,
    status: row.status,
    externalId: row.external_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function chatToRow(chat: ChatRecord): ChatRow {
  return {
    id: chat.id,
    kind: chat.kind,
    name: chat.name,
    name_key: chat.name === null ? null : chat.name.toLowerCase(),
    visibility: chat.visibility,
    password_hash: chat.passwordHash,
    direct_key: chat.directKey,
    last_seq: chat.lastSeq,
    last_change_seq: chat.lastChangeSeq,
    created_at: chat.createdAt,
    last_activity_at: chat.lastActivityAt,
  };
}

export function rowToChat(row: Omit<ChatRow, 'name_key'>): ChatRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    visibility: row.visibility,
    passwordHash: row.password_hash,
    directKey: row.direct_key,
    lastSeq: row.last_seq,
    lastChangeSeq: row.last_change_seq,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
  };
}

export function memberToRow(member: MemberRecord): MemberRow {
  return {
    chat_id: member.chatId,
    user_id: member.userId,
    role: member.role,
    joined_at: member.joinedAt,
    delivered_seq: member.deliveredSeq,
    read_seq: member.readSeq,
    read_at: member.readAt,
    hidden: member.hidden ? 1 : 0,
    notify: member.notify,
  };
}

export function rowToMember(row: MemberRow): MemberRecord {
  return {
    chatId: row.chat_id,
    userId: row.user_id,
    role: row.role,
    joinedAt: row.joined_at,
    deliveredSeq: row.delivered_seq,
    readSeq: row.read_seq,
    readAt: row.read_at,
    hidden: row.hidden === 1,
    notify: row.notify,
  };
}

export function messageToRow(message: MessageRecord): MessageRow {
  return {
    id: message.id,
    chat_id: message.chatId,
    seq: message.seq,
    kind: message.kind,
    sender_id: message.senderId,
    client_id: message.clientId,
    body: message.body,
    notice: message.notice === null ? null : JSON.stringify(message.notice),
    created_at: message.createdAt,
    edited_at: message.editedAt,
    deleted_at: message.deletedAt,
    deleted_by: message.deletedBy,
    reply_to_id: message.replyToId,
    change_seq: message.changeSeq,
    mentions: message.mentions.length === 0 ? null : JSON.stringify(message.mentions),
  };
}

export function rowToMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    chatId: row.chat_id,
    seq: row.seq,
    kind: row.kind,
    senderId: row.sender_id,
    clientId: row.client_id,
    body: row.body,
    notice: row.notice === null ? null : (JSON.parse(row.notice) as Notice),
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by,
    replyToId: row.reply_to_id,
    changeSeq: row.change_seq,
    mentions: row.mentions === null ? [] : (JSON.parse(row.mentions) as string[]),
  };
}

export function changeToRow(change: ChangeRecord): ChangeRow {
  return {
    chat_id: change.chatId,
    change_seq: change.changeSeq,
    message_id: change.messageId,
    kind: change.kind,
    actor_id: change.actorId,
    at: change.at,
  };
}

export function rowToChange(row: ChangeRow): ChangeRecord {
  return {
    chatId: row.chat_id,
    changeSeq: row.change_seq,
    messageId: row.message_id,
    kind: row.kind,
    actorId: row.actor_id,
    at: row.at,
  };
}

export function reactionToRow(reaction: ReactionRecord, changeSeq: number): ReactionRow {
  return {
    message_id: reaction.messageId,
    user_id: reaction.userId,
    emoji: reaction.emoji,
    created_at: reaction.createdAt,
    change_seq: changeSeq,
  };
}

export function rowToReaction(row: ReactionRow): ReactionRecord {
  return { messageId: row.message_id, userId: row.user_id, emoji: row.emoji, createdAt: row.created_at };
}

export const USER_COLUMNS =
  'id, username, username_key, first_name, last_name, email, gender, avatar_url, password_hash, role, status, external_id, created_at, updated_at';
export const CHAT_COLUMNS =
  'id, kind, name, name_key, visibility, password_hash, direct_key, last_seq, last_change_seq, created_at, last_activity_at';
export const MEMBER_COLUMNS = 'chat_id, user_id, role, joined_at, delivered_seq, read_seq, read_at, hidden, notify';
export const MESSAGE_COLUMNS =
  'id, chat_id, seq, kind, sender_id, client_id, body, notice, created_at, edited_at, deleted_at, deleted_by, reply_to_id, change_seq, mentions';
export const CHANGE_COLUMNS = 'chat_id, change_seq, message_id, kind, actor_id, at';
export const REACTION_COLUMNS = 'message_id, user_id, emoji, created_at, change_seq';

/** `@column` placeholders for an INSERT that binds a row object. */
export function namedPlaceholders(columns: string): string {
  return columns
    .split(',')
    .map((column) => `@${column.trim()}`)
    .join(', ');
}
