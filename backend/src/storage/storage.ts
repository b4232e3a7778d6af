/**
 * The storage port. Adapters (sqlite/, mongo/) implement it and pass the one contract
 * suite in contract/ (run-storage-contract.ts). Everything in and out is a plain object; dates are ISO strings.
 * Adapters throw the typed errors of errors.ts, never driver errors.
 */
import type { AttachmentKind, UploadPurpose } from '../../../shared/src/schemas/attachments.js';
import type { ChatKind, ChatVisibility, MemberRole } from '../../../shared/src/schemas/chats.js';
import type { DeletedUserMessages } from '../../../shared/src/schemas/admin.js';
import type { ChangeKind } from '../../../shared/src/schemas/message-changes.js';
import type { NotifyLevel } from '../../../shared/src/schemas/mentions.js';
import type { DeletedBy, MessageKind, Notice } from '../../../shared/src/schemas/messages.js';
import type { Gender, UserRole, UserStatus } from '../../../shared/src/schemas/users.js';
import type { SsoTokenUseStore } from './sso-token-uses.js';

export interface UserRecord {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  gender: Gender;
  avatarUrl: string | null;
  /** null for users who only sign in through the host site. */
  passwordHash: string | null;
  role: UserRole;
  status: UserStatus;
  /** The host site's user id (SSO `sub`), when provisioned by single sign-on. */
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewUser = Omit<UserRecord, 'id' | 'createdAt' | 'updatedAt' | 'role' | 'status' | 'externalId' | 'avatarUrl'> &
  Partial<Pick<UserRecord, 'role' | 'status' | 'externalId' | 'avatarUrl'>>;

export type UserPatch = Partial<
  Pick<UserRecord, 'username' | 'firstName' | 'lastName' | 'email' | 'gender' | 'avatarUrl' | 'passwordHash' | 'role' | 'status'>
>;

export interface UserPage {
  users: UserRecord[];
  /** Pass back as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface UserStore {
  /** @throws ConflictError('username') when the name is taken case-insensitively; ConflictError('externalId'). */
  create(user: NewUser): Promise<UserRecord>;
  /** Creates all or none. @throws ConflictError naming the first colliding username. */
  createMany(users: NewUser[]): Promise<UserRecord[]>;
  byId(id: string): Promise<UserRecord | null>;
  byIds(ids: string[]): Promise<UserRecord[]>;
  /** Case-insensitive. */
  byUsername(username: string): Promise<UserRecord | null>;
  byExternalId(externalId: string): Promise<UserRecord | null>;
  /** Users whose username starts with `prefix` (case-insensitive), ordered by lower-cased username; `after` is the previous page's nextCursor. Deleted users are left out. */
  search(options: { prefix?: string; after?: string; limit: number }): Promise<UserPage>;
  /** @throws NotFoundError; ConflictError('username'). */
  update(id: string, patch: UserPatch): Promise<UserRecord>;
  /** Removes the row. Messages are handled by the caller. @throws NotFoundError */
  delete(id: string): Promise<void>;
}

export interface ChatRecord {
  id: string;
  kind: ChatKind;
  name: string | null;
  /** `public` groups are listed by searchGroups; direct chats are always `private`. */
  visibility: ChatVisibility;
  passwordHash: string | null;
  /** For a direct chat: the two user ids sorted and joined by ':'; null for groups. */
  directKey: string | null;
  /** seq of the newest message; 0 when empty. */
  lastSeq: number;
  /** changeSeq of the newest change (edit, delete, reaction) to a message of the chat; 0 if none. */
  lastChangeSeq: number;
  createdAt: string;
  lastActivityAt: string;
}

export interface MemberRecord {
  chatId: string;
  userId: string;
  role: MemberRole;
  joinedAt: string;
  deliveredSeq: number;
  readSeq: number;
  /** When readSeq last moved (ISO-8601); null before the member read anything, or when it moved before this was kept. */
  readAt: string | null;
  /** Hidden chats are left out of the user's chat list until a new message arrives. */
  hidden: boolean;
  /** What the member wants to hear of the chat (all, mentions, muted); 'all' until they choose. */
  notify: NotifyLevel;
}

/** A chat's members as one read saw them: a snapshot that later changes never show through. */
export type MemberList = ReadonlyArray<Readonly<MemberRecord>>;

export type MemberPatch = Partial<Pick<MemberRecord, 'role' | 'hidden' | 'notify'>>;

export interface ChatListEntry {
  chat: ChatRecord;
  membership: MemberRecord;
  lastMessage: MessageRecord | null;
  /** Messages after the member's readSeq that others sent, deleted ones not counted. */
  unreadCount: number;
  /**
   * Of those, the ones whose `mentions` name the member: an index range per (member, chat),
   * never a walk of the chat's messages.
   */
  unreadMentionCount: number;
}

export interface NewGroup {
  name: string;
  passwordHash: string | null;
  visibility?: ChatVisibility;
  creatorId: string;
  memberIds: string[];
}

export type ChatPatch = { name?: string; passwordHash?: string | null; visibility?: ChatVisibility };

/**
 * The visibility of a chat stored before visibility existed (SQLite migration 3, MongoDB
 * documents without the field): a group with a password was made as a room to be found and
 * joined with it, so it stays public; every other chat becomes private, so nothing that was
 * not meant to be found is exposed.
 */
export function legacyVisibility(chat: { kind: ChatKind; passwordHash: string | null }): ChatVisibility {
  return chat.kind === 'group' && chat.passwordHash !== null ? 'public' : 'private';
}

export interface ChatStore {
  /** The one direct chat between two users, created with both as members if missing. Safe under concurrent calls. */
  openDirect(userA: string, userB: string): Promise<{ chat: ChatRecord; created: boolean }>;
  findDirect(userA: string, userB: string): Promise<ChatRecord | null>;
  /**
   * Creates a group with its creator as admin and the others as members, all or nothing.
   * Without `visibility`, the rule for chats stored before visibility existed decides (see
   * `legacyVisibility`): public when it has a password, private otherwise.
   */
  createGroup(group: NewGroup): Promise<ChatRecord>;
  byId(id: string): Promise<ChatRecord | null>;
  /** @throws NotFoundError */
  update(id: string, patch: ChatPatch): Promise<ChatRecord>;
  /** Public groups whose name contains `query` (case-insensitive), newest activity first. Private groups are never listed. */
  searchGroups(query: string, limit: number): Promise<Array<ChatRecord & { memberCount: number }>>;
  /** The user's visible (not hidden) chats, most recent activity first. */
  listForUser(userId: string, options?: { limit?: number }): Promise<ChatListEntry[]>;
  /** One entry of the list above, hidden or not. null when the user is not a member. */
  entryForUser(chatId: string, userId: string): Promise<ChatListEntry | null>;
}

export interface MemberStore {
  get(chatId: string, userId: string): Promise<MemberRecord | null>;
  list(chatId: string): Promise<MemberList>;
  /** @throws ConflictError('member') when already a member. */
  add(chatId: string, userId: string, role: MemberRole): Promise<MemberRecord>;
  /** @throws NotFoundError */
  remove(chatId: string, userId: string): Promise<void>;
  /** @throws NotFoundError */
  update(chatId: string, userId: string, patch: MemberPatch): Promise<MemberRecord>;
  /**
   * Moves the member's delivered and/or read position forward (never back; read implies delivered).
   * When the read position moves, `readAt` becomes the time of the move (now).
   * Returns the record after the move and whether anything changed. @throws NotFoundError
   */
  advance(chatId: string, userId: string, positions: { deliveredSeq?: number; readSeq?: number }): Promise<{ member: MemberRecord; changed: boolean }>;
  chatIdsOfUser(userId: string): Promise<string[]>;
  countAdmins(chatId: string): Promise<number>;
}

export interface MessageRecord {
  id: string;
  chatId: string;
  seq: number;
  kind: MessageKind;
  senderId: string | null;
  clientId: string | null;
  /** '' once deleted: the body is erased from the store, not hidden. */
  body: string;
  notice: Notice | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  deletedBy: DeletedBy | null;
  /** The message (same chat) this one answers; null for none. */
  replyToId: string | null;
  /** changeSeq of this message's newest change; 0 if none. */
  changeSeq: number;
  /** The users the body mentions, as the use case decided them (members, not the sender); [] once deleted. */
  mentions: string[];
}

export interface NewMessage {
  chatId: string;
  kind: MessageKind;
  senderId: string | null;
  clientId: string | null;
  body: string;
  notice: Notice | null;
  replyToId?: string | null;
  /** Distinct user ids; none when left out. */
  mentions?: string[];
}

export interface ReactionRecord {
  messageId: string;
  userId: string;
  emoji: string;
  createdAt: string;
}

/** One change to a stored message, as the use case decided it (rights are checked before). */
export type MessageChangeInput =
  | { kind: 'edit'; messageId: string; actorId: string; body: string; mentions?: string[] }
  | { kind: 'delete'; messageId: string; actorId: string; by: DeletedBy }
  | { kind: 'react'; messageId: string; actorId: string; emoji: string; on: boolean };

/** A change as the chat's change log keeps it: its position, never a body. */
export interface ChangeRecord {
  chatId: string;
  changeSeq: number;
  messageId: string;
  kind: ChangeKind;
  actorId: string;
  at: string;
}

export interface AppliedChange {
  /** The message after the change (or as it was, when the change changed nothing). */
  message: MessageRecord;
  /** The change position it took; null when it changed nothing (same body, reaction already so, already deleted). */
  changeSeq: number | null;
}

/**
 * A message search as the use case decided it: the chats the caller may read (checked before),
 * the query's terms normalised with `searchText` (search-text.ts), and filters. At least one term
 * is INDEXED_TERM_LENGTH code points or longer: shorter queries are served by scanning history.
 */
export interface MessageSearch {
  chatIds: readonly string[];
  /** Each one must be contained in the normalised body (a partial word, a phrase, CJK text without spaces). */
  terms: readonly string[];
  /** Only messages of this sender. */
  senderId: string | null;
  /** Only messages created at or after this instant (ISO-8601). */
  createdFrom: string | null;
  /** Only messages created before this instant (ISO-8601). */
  createdBefore: string | null;
  /** A previous page's `next`: continue after it. Opaque, only meaningful to the same store and query. */
  after: string | null;
  limit: number;
}

export interface MessageSearchPage {
  /** Newest first (the order the store received them). */
  messages: MessageRecord[];
  /** Pass back as `after` for the next page; null when no more match. */
  next: string | null;
}

export interface MessageStore {
  /**
   * Stores a message durably with the chat's next seq, moves the chat's lastActivityAt and
   * lastSeq, and un-hides the chat for every member, all in one atomic step.
   * @throws ConflictError('clientId') when this sender already stored this clientId
   * @throws NotFoundError when the chat does not exist
   */
  append(message: NewMessage): Promise<MessageRecord>;
  byId(id: string): Promise<MessageRecord | null>;
  bySenderClientId(senderId: string, clientId: string): Promise<MessageRecord | null>;
  /** Up to `limit` messages with seq < beforeSeq (newest when beforeSeq is omitted), oldest first. */
  before(chatId: string, beforeSeq: number | null, limit: number): Promise<MessageRecord[]>;
  /** Up to `limit` messages with seq > afterSeq, oldest first. */
  after(chatId: string, afterSeq: number, limit: number): Promise<MessageRecord[]>;
  /** For a deleted user: keep messages with senderId null ('deleted user'), or erase them. */
  detachSender(senderId: string, mode: DeletedUserMessages): Promise<void>;
  /** The messages with these ids that exist, in no particular order. */
  byIds(ids: readonly string[]): Promise<MessageRecord[]>;
  /**
   * Applies one change to a message of the chat and gives it the chat's next changeSeq (gap-free
   * per chat), moving the chat's lastChangeSeq and the message's changeSeq:
   * - edit: sets body, editedAt and mentions; refused on a deleted message (ConflictError('deleted'));
   *   the same body again changes nothing;
   * - delete: erases the body (''), sets deletedAt/deletedBy and drops its reactions; a deleted
   *   message changes nothing. A delete also drops its mentions. A delete always wins over an edit racing it;
   * - react: adds or removes (actorId, emoji); already so changes nothing. Refused on a deleted
   *   message (ConflictError('deleted')).
   * @throws NotFoundError when the message is not in that chat
   */
  change(chatId: string, change: MessageChangeInput): Promise<AppliedChange>;
  /** Reactions on these messages, oldest first per message. */
  reactionsOf(messageIds: readonly string[]): Promise<ReactionRecord[]>;
  /** Up to `limit` changes of the chat with changeSeq > afterChangeSeq, in changeSeq order. */
  changesAfter(chatId: string, afterChangeSeq: number, limit: number): Promise<ChangeRecord[]>;
  /**
   * Text messages of `search.chatIds` whose normalised body contains every term and that pass
   * the filters, newest first, from the store's search index. Notices and deleted messages never
   * match; an edited message matches its new body only. The index follows append, change (edit,
   * delete) and detachSender ('erase').
   */
  search(search: MessageSearch): Promise<MessageSearchPage>;
  /** Rebuilds the search index from the stored messages; `progress` hears the count indexed so far. Returns the count. */
  rebuildSearchIndex(progress?: (indexed: number) => void): Promise<number>;
}

export interface BlockStore {
  /** Idempotent. */
  block(blockerId: string, blockedId: string): Promise<void>;
  /** Idempotent. */
  unblock(blockerId: string, blockedId: string): Promise<void>;
  /** True when either user blocks the other. */
  eitherBlocks(userA: string, userB: string): Promise<boolean>;
  blockedBy(blockerId: string): Promise<string[]>;
}

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  /** Tokens rotated from one login share a family; reuse of a rotated token revokes the family. */
  familyId: string;
  /** SHA-256 of the opaque token; the token itself is never stored. */
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
  /** Set when rotated: the token is spent. */
  usedAt: string | null;
  revokedAt: string | null;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, 'createdAt' | 'usedAt' | 'revokedAt'>;

export interface RefreshTokenStore {
  create(token: NewRefreshToken): Promise<RefreshTokenRecord>;
  byHash(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Atomically marks an unused, unrevoked token used. Returns false when it was already used or revoked. */
  markUsed(id: string): Promise<boolean>;
  revoke(id: string): Promise<void>;
  revokeFamily(familyId: string): Promise<void>;
  /** Revokes every token of the user; with `exceptFamilyId`, every one but that session's (a password change keeps the caller's). */
  revokeAllOfUser(userId: string, options?: { exceptFamilyId?: string }): Promise<void>;
}

export interface AuditRecord {
  id: string;
  actorId: string | null;
  /** e.g. 'user.create', 'user.ban'. */
  action: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export type NewAuditEntry = Omit<AuditRecord, 'id' | 'createdAt'>;

export interface AuditStore {
  append(entry: NewAuditEntry): Promise<AuditRecord>;
  /** Newest first; `before` is an audit id. */
  list(options: { before?: string; limit: number }): Promise<AuditRecord[]>;
}

/**
 * A stored upload: the file's record (its bytes live in the BlobStore under content keys).
 * An upload for a message is unattached (`clientId`, `messageId` null) until a message of its
 * uploader claims it; then it belongs to that one message for good.
 */
export interface AttachmentRecord {
  id: string;
  uploaderId: string;
  purpose: UploadPurpose;
  name: string;
  size: number;
  mime: string;
  kind: AttachmentKind;
  width: number | null;
  height: number | null;
  animated: boolean;
  /** BlobStore keys (SHA-256 hex) of the original bytes and, for images, of the preview and the thumb. */
  blobKey: string;
  previewKey: string | null;
  thumbKey: string | null;
  /** The message claiming it: its chat and the sender's clientId (set by claim), then its id (set by link). */
  chatId: string | null;
  clientId: string | null;
  messageId: string | null;
  /** Position in the message's list of attachments (0…), set by claim. */
  position: number;
  createdAt: string;
}

export type NewAttachment = Omit<AttachmentRecord, 'id' | 'createdAt' | 'chatId' | 'clientId' | 'messageId' | 'position'>;

export interface AttachmentStore {
  create(attachment: NewAttachment): Promise<AttachmentRecord>;
  /** The records with these ids that exist, in no particular order. */
  byIds(ids: readonly string[]): Promise<AttachmentRecord[]>;
  /**
   * Claims the uploads `ids` (in that order: their positions) for the message the sender is
   * sending with `clientId` in `chatId`: all of them or none. Each must exist, be the sender's,
   * have purpose 'message', and be unclaimed or already claimed by this same (sender, clientId):
   * a retried send claims again harmlessly. Returns false (changing nothing) when any is not so.
   */
  claim(ids: readonly string[], claim: { uploaderId: string; clientId: string; chatId: string }): Promise<boolean>;
  /** Gives up the claims of (uploaderId, clientId) whose message was never stored (the send failed). */
  release(uploaderId: string, clientId: string): Promise<void>;
  /** Links the uploads claimed by (uploaderId, clientId) to the stored message `messageId`. Idempotent. */
  link(uploaderId: string, clientId: string, messageId: string): Promise<void>;
  /** The attachments of these messages, per message in position order. */
  ofMessages(messageIds: readonly string[]): Promise<AttachmentRecord[]>;
  /** Every upload of `uploaderId`, attached or not (an account deleted with its messages erased takes them along). */
  ofUploader(uploaderId: string): Promise<AttachmentRecord[]>;
  /** Bytes of the uploads of `uploaderId` created at or after `since` (ISO-8601), deleted ones not counted. */
  bytesSince(uploaderId: string, since: string): Promise<number>;
  /** Up to `limit` uploads never linked to a message and created before `before` (claimed or not). */
  orphans(before: string, limit: number): Promise<AttachmentRecord[]>;
  /** Removes the records of these ids (the caller removes blobs no record refers to any more). */
  delete(ids: readonly string[]): Promise<void>;
  /** Whether any record's blobKey, previewKey or thumbKey is `key`. */
  refersToBlob(key: string): Promise<boolean>;
}

export interface Storage {
  readonly name: 'sqlite' | 'mongo';
  attachments: AttachmentStore;
  users: UserStore;
  chats: ChatStore;
  members: MemberStore;
  messages: MessageStore;
  blocks: BlockStore;
  refreshTokens: RefreshTokenStore;
  audit: AuditStore;
  /** Spent single sign-on tokens (sso-token-uses.ts). */
  ssoTokenUses: SsoTokenUseStore;
  /** Resolves when the store answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
