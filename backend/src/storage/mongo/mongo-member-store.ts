import type { MemberRole } from '../../../../shared/src/schemas/chats.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { eventOfMembership } from '../records/event.js';
import { newMember } from '../records/member.js';
import type { MemberList, MemberPatch, MemberRecord, MemberStore } from '../storage.js';
import { translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoEventLog } from './mongo-event-log.js';
import type { MongoMemberLists } from './mongo-member-lists.js';
import type { MongoModels } from './mongo-models.js';
import { docToMember, membershipIdOf, memberToDoc, type MembershipDoc } from './membership-model.js';

/** Every change of a membership is told to the member lists (mongo-member-lists.ts), which tell the other processes. */
export class MongoMemberStore implements MemberStore {
  constructor(
    private readonly models: MongoModels,
    private readonly memberLists: MongoMemberLists,
    /** Joins and leaves are logged after the write (mongo-event-log.ts). */
    private readonly eventLog: MongoEventLog,
  ) {}

  async get(chatId: string, userId: string): Promise<MemberRecord | null> {
    const doc = await withMongoErrors(() =>
      this.models.memberships.findById(membershipIdOf(chatId, userId)).lean<MembershipDoc>(),
    );
    return doc ? docToMember(doc) : null;
  }

  /** From the member lists kept in memory; read from the store (and kept) when not kept. */
  list(chatId: string): Promise<MemberList> {
    return this.memberLists.list(chatId, async () => {
      const docs = await withMongoErrors(() =>
        this.models.memberships.find({ chatId }).sort({ joinedAt: 1, userId: 1 }).lean<MembershipDoc[]>(),
      );
      return docs.map(docToMember);
    });
  }

  async add(chatId: string, userId: string, role: MemberRole): Promise<MemberRecord> {
    const [chatExists, userExists] = await withMongoErrors(() =>
      Promise.all([this.models.chats.exists({ _id: chatId }), this.models.users.exists({ _id: userId })]),
    );
    if (!chatExists) throw new NotFoundError('chat', chatId);
    if (!userExists) throw new NotFoundError('user', userId);
    const member = newMember(chatId, userId, role, new Date().toISOString());
    const tag = newId();
    const insert = async () => {
      try {
        await this.models.memberships.insertMany([memberToDoc(member)]);
      } catch (error) {
        // The _id is "<chatId>:<userId>": a duplicate of it is this member, already there.
        throw translateMongoError(error, 'member');
      } finally {
        this.memberLists.forget(chatId);
      }
      return member;
    };
    return this.eventLog.outbox.around({ kind: 'member', chatId, userId, change: 'joined', tag }, insert, () => [
      eventOfMembership('member.joined', chatId, userId, tag),
    ]);
  }

  async remove(chatId: string, userId: string): Promise<void> {
    const tag = newId();
    const remove = async () => {
      const { deletedCount } = await withMongoErrors(() =>
        this.models.memberships.deleteOne({ _id: membershipIdOf(chatId, userId) }),
      );
      this.memberLists.forget(chatId);
      if (deletedCount === 0) throw new NotFoundError('member', `${chatId}/${userId}`);
    };
    await this.eventLog.outbox.around({ kind: 'member', chatId, userId, change: 'left', tag }, remove, () => [
      eventOfMembership('member.left', chatId, userId, tag),
    ]);
  }

  async update(chatId: string, userId: string, patch: MemberPatch): Promise<MemberRecord> {
    const changes: Partial<MembershipDoc> = {};
    if (patch.role !== undefined) changes.role = patch.role;
    if (patch.hidden !== undefined) changes.hidden = patch.hidden;
    if (patch.notify !== undefined) changes.notify = patch.notify;
    const _id = membershipIdOf(chatId, userId);
    const doc = await withMongoErrors(() =>
      Object.keys(changes).length === 0
        ? this.models.memberships.findById(_id).lean<MembershipDoc>()
        : this.models.memberships.findOneAndUpdate({ _id }, { $set: changes }, { returnDocument: 'after' }).lean<MembershipDoc>(),
    );
    if (Object.keys(changes).length > 0) this.memberLists.forget(chatId);
    if (!doc) throw new NotFoundError('member', `${chatId}/${userId}`);
    return docToMember(doc);
  }

  /**
   * Positions only ever move forward, and read implies delivered. A read that moves the read
   * position is one conditional update (only while readSeq is below it) that also stamps readAt;
   * anything else is one atomic $max update. The document as it was before tells what moved.
   */
  async advance(
    chatId: string,
    userId: string,
    positions: { deliveredSeq?: number; readSeq?: number },
  ): Promise<{ member: MemberRecord; changed: boolean }> {
    const _id = membershipIdOf(chatId, userId);
    const readSeq = positions.readSeq ?? 0;
    const deliveredSeq = Math.max(positions.deliveredSeq ?? 0, readSeq);
    if (readSeq > 0) {
      const readAt = new Date().toISOString();
      const beforeRead = await withMongoErrors(() =>
        this.models.memberships
          .findOneAndUpdate(
            { _id, readSeq: { $lt: readSeq } },
            { $set: { readSeq, readAt }, $max: { deliveredSeq } },
            { returnDocument: 'before' },
          )
          .lean<MembershipDoc>(),
      );
      if (beforeRead) {
        const member: MemberRecord = { ...docToMember(beforeRead), deliveredSeq: Math.max(beforeRead.deliveredSeq, deliveredSeq), readSeq, readAt };
        this.memberLists.moved(member);
        return { member, changed: true };
      }
    }
    const before = await withMongoErrors(() =>
      this.models.memberships.findOneAndUpdate({ _id }, { $max: { deliveredSeq } }, { returnDocument: 'before' }).lean<MembershipDoc>(),
    );
    if (!before) throw new NotFoundError('member', `${chatId}/${userId}`);
    const member: MemberRecord = { ...docToMember(before), deliveredSeq: Math.max(before.deliveredSeq, deliveredSeq) };
    const changed = member.deliveredSeq !== before.deliveredSeq;
    if (changed) this.memberLists.moved(member);
    return { member, changed };
  }

  async chatIdsOfUser(userId: string): Promise<string[]> {
    const docs = await withMongoErrors(() =>
      this.models.memberships.find({ userId }, { chatId: 1 }).lean<Array<Pick<MembershipDoc, 'chatId'>>>(),
    );
    return docs.map((doc) => doc.chatId);
  }

  async countAdmins(chatId: string): Promise<number> {
    return withMongoErrors(() => this.models.memberships.countDocuments({ chatId, role: 'admin' }));
  }
}
