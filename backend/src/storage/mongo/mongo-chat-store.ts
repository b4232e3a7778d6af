import { InvalidInputError, NotFoundError } from '../errors.js';
import { directKeyOf, newDirectChat, newGroupChat } from '../records/chat.js';
import { newMember } from '../records/member.js';
import type { ChatListEntry, ChatPatch, ChatRecord, ChatStore, MemberRecord, NewGroup } from '../storage.js';
import { byNewestActivity, withNewestMessages, type ChatWithNewestMessage } from './chat-activity.js';
import { chatToDoc, docToChat, PUBLIC_GROUPS, visibilityOf, type ChatDoc } from './chat-model.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoMemberLists } from './mongo-member-lists.js';
import type { MongoModels } from './mongo-models.js';
import { docToMember, membershipIdOf, memberToDoc, type MembershipDoc } from './membership-model.js';

const NEWEST_ACTIVITY_FIRST = { lastActivityAt: -1, _id: -1 } as const;

export class MongoChatStore implements ChatStore {
  constructor(
    private readonly models: MongoModels,
    private readonly memberLists: MongoMemberLists,
  ) {}

  /**
   * Safe under concurrent calls without a transaction: the unique directKey index lets only one
   * chat document in; a caller that loses the race reads back the winner's chat. Member
   * documents are upserted, so whichever caller gets there writes them, and a retry after a
   * crash between the two steps completes them.
   */
  async openDirect(userA: string, userB: string): Promise<{ chat: ChatRecord; created: boolean }> {
    if (userA === userB) throw new InvalidInputError('a direct chat needs two different users');
    const directKey = directKeyOf(userA, userB);
    const existing = await this.byDirectKey(directKey);
    if (existing) {
      await this.ensureMembers(existing.id, [userA, userB], existing.createdAt);
      return { chat: existing, created: false };
    }
    await this.requireUsers([userA, userB]);
    const now = new Date().toISOString();
    const chat = newDirectChat(userA, userB, now);
    try {
      await this.models.chats.insertMany([chatToDoc(chat)]);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw translateMongoError(error);
      const winner = await this.byDirectKey(directKey);
      if (!winner) throw new NotFoundError('chat', directKey);
      await this.ensureMembers(winner.id, [userA, userB], winner.createdAt);
      return { chat: winner, created: false };
    }
    await this.ensureMembers(chat.id, [userA, userB], now);
    return { chat, created: true };
  }

  async findDirect(userA: string, userB: string): Promise<ChatRecord | null> {
    return this.byDirectKey(directKeyOf(userA, userB));
  }

  /**
   * All or nothing without a transaction: every user is checked first; when writing the
   * memberships fails, the chat and whatever memberships got in are removed again.
   */
  async createGroup(group: NewGroup): Promise<ChatRecord> {
    const { chat, members } = newGroupChat(group, new Date().toISOString());
    await this.requireUsers(members.map((member) => member.userId));
    await withMongoErrors(() => this.models.chats.insertMany([chatToDoc(chat)]));
    try {
      await this.models.memberships.insertMany(members.map(memberToDoc), { ordered: true });
    } catch (error) {
      await withMongoErrors(() =>
        Promise.all([this.models.memberships.deleteMany({ chatId: chat.id }), this.models.chats.deleteOne({ _id: chat.id })]),
      );
      throw translateMongoError(error, 'member');
    }
    return chat;
  }

  async byId(id: string): Promise<ChatRecord | null> {
    const doc = await withMongoErrors(() => this.models.chats.findById(id).lean<ChatDoc>());
    return doc ? this.current(doc) : null;
  }

  /**
   * A document from before visibility existed gets the field first, as the rule for existing
   * chats reads it now, so that changing its password cannot change its visibility. That write
   * only lands while the field is still missing, so it never undoes a concurrent switch.
   */
  async update(id: string, patch: ChatPatch): Promise<ChatRecord> {
    const changes: Partial<ChatDoc> = {};
    if (patch.name !== undefined) {
      changes.name = patch.name;
      changes.nameLower = patch.name.toLowerCase();
    }
    if (patch.passwordHash !== undefined) changes.passwordHash = patch.passwordHash;
    if (patch.visibility !== undefined) changes.visibility = patch.visibility;
    if (patch.passwordHash !== undefined && patch.visibility === undefined) await this.pinVisibility(id);
    const doc = await withMongoErrors(() =>
      Object.keys(changes).length === 0
        ? this.models.chats.findById(id).lean<ChatDoc>()
        : this.models.chats.findOneAndUpdate({ _id: id }, { $set: changes }, { returnDocument: 'after' }).lean<ChatDoc>(),
    );
    if (!doc) throw new NotFoundError('chat', id);
    return this.current(doc);
  }

  private async pinVisibility(id: string): Promise<void> {
    const doc = await withMongoErrors(() => this.models.chats.findById(id).lean<ChatDoc>());
    if (!doc || doc.visibility !== undefined) return;
    await withMongoErrors(() =>
      this.models.chats.updateOne({ _id: id, visibility: { $exists: false } }, { $set: { visibility: visibilityOf(doc) } }),
    );
  }

  /**
   * Public groups only (see PUBLIC_GROUPS): a plain find with an escaped pattern, ordered by the stored activity, then one count per
   * hit (bounded by `limit`).
   */
  async searchGroups(query: string, limit: number): Promise<Array<ChatRecord & { memberCount: number }>> {
    const docs = await withMongoErrors(() =>
      this.models.chats
        .find({ ...PUBLIC_GROUPS, nameLower: { $regex: escapeRegExp(query.toLowerCase()) } })
        .sort(NEWEST_ACTIVITY_FIRST)
        .limit(limit)
        .lean<ChatDoc[]>(),
    );
    const [chats, counts] = await Promise.all([
      withNewestMessages(this.models, docs),
      withMongoErrors(() => Promise.all(docs.map((doc) => this.models.memberships.countDocuments({ chatId: doc._id })))),
    ]);
    return chats
      .map(({ chat }, index) => ({ chat, memberCount: counts[index] ?? 0 }))
      .sort(byNewestActivity)
      .map(({ chat, memberCount }) => ({ ...chat, memberCount }));
  }

  /**
   * The user's visible memberships, their chats newest activity first (cut to `limit`), then per
   * chat the newest message and the unread count: each a short walk of the (chatId, seq) index.
   * Simple finds and counts only, so FerretDB serves it the same as MongoDB.
   */
  async listForUser(userId: string, options: { limit?: number } = {}): Promise<ChatListEntry[]> {
    const memberships = await withMongoErrors(() =>
      this.models.memberships.find({ userId, hidden: false }).lean<MembershipDoc[]>(),
    );
    if (memberships.length === 0) return [];
    const byChatId = new Map(memberships.map((membership) => [membership.chatId, docToMember(membership)]));
    let chatQuery = this.models.chats.find({ _id: { $in: [...byChatId.keys()] } }).sort(NEWEST_ACTIVITY_FIRST);
    if (options.limit !== undefined) chatQuery = chatQuery.limit(options.limit);
    const docs = await withMongoErrors(() => chatQuery.lean<ChatDoc[]>());
    const chats = (await withNewestMessages(this.models, docs)).sort(byNewestActivity);
    return Promise.all(
      chats.flatMap((chat) => {
        const membership = byChatId.get(chat.chat.id);
        return membership ? [this.entryOf(chat, membership)] : [];
      }),
    );
  }

  async entryForUser(chatId: string, userId: string): Promise<ChatListEntry | null> {
    const [doc, membership] = await withMongoErrors(() =>
      Promise.all([
        this.models.chats.findById(chatId).lean<ChatDoc>(),
        this.models.memberships.findById(membershipIdOf(chatId, userId)).lean<MembershipDoc>(),
      ]),
    );
    if (!doc || !membership) return null;
    const [chat] = await withNewestMessages(this.models, [doc]);
    return chat ? this.entryOf(chat, docToMember(membership)) : null;
  }

  private async entryOf({ chat, newestMessage }: ChatWithNewestMessage, membership: MemberRecord): Promise<ChatListEntry> {
    const [unreadCount, unreadMentionCount] = await withMongoErrors(() =>
      Promise.all([
        this.models.messages.countDocuments({
          chatId: chat.id,
          seq: { $gt: membership.readSeq },
          senderId: { $ne: membership.userId },
          // Deleted messages are not counted; null also matches documents from before deletes existed.
          deletedAt: null,
        }),
        // Only live messages of others have mention documents (mention-model.ts).
        this.models.mentions.countDocuments({ userId: membership.userId, chatId: chat.id, seq: { $gt: membership.readSeq } }),
      ]),
    );
    return { chat, membership, lastMessage: newestMessage, unreadCount, unreadMentionCount };
  }

  /** The chat as readers should see it (see chat-activity.ts). */
  private async current(doc: ChatDoc): Promise<ChatRecord> {
    const [chat] = await withNewestMessages(this.models, [doc]);
    return chat?.chat ?? docToChat(doc);
  }

  private async byDirectKey(directKey: string): Promise<ChatRecord | null> {
    const doc = await withMongoErrors(() => this.models.chats.findOne({ directKey }).lean<ChatDoc>());
    return doc ? this.current(doc) : null;
  }

  /** Creates the member documents that are missing; existing ones are left as they are. */
  private async ensureMembers(chatId: string, userIds: string[], joinedAt: string): Promise<void> {
    try {
      await this.upsertMembers(chatId, userIds, joinedAt);
    } finally {
      this.memberLists.forget(chatId);
    }
  }

  private async upsertMembers(chatId: string, userIds: string[], joinedAt: string): Promise<void> {
    await Promise.all(
      userIds.map(async (userId) => {
        const { _id, ...fields } = memberToDoc(newMember(chatId, userId, 'member', joinedAt));
        try {
          await this.models.memberships.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
        } catch (error) {
          // Two upserts of the same new member can race; the loser's document is already there.
          if (!isDuplicateKeyError(error)) throw translateMongoError(error);
        }
      }),
    );
  }

  /** @throws NotFoundError when one of the users does not exist (what a foreign key would refuse). */
  private async requireUsers(userIds: string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    const found = await withMongoErrors(() => this.models.users.countDocuments({ _id: { $in: unique } }));
    if (found !== unique.length) throw new NotFoundError('user', unique.join(','));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
