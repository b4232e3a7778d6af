/** The storage contract for the MemberStore; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { newId } from '../ids.js';
import type { Storage } from '../storage.js';
import { assertConflict, assertNotFound, assertIsoDate } from './assertions.js';
import { createUsers, sendText, positionsOf } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeMemberContract(current: () => Storage): void {
  describe('members', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('add, get, list, update, remove and countAdmins', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const chat = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id] });

      const added = await storage.members.add(chat.id, c.id, 'member');
      assert.deepEqual(
        { ...added, joinedAt: 'x' },
        { chatId: chat.id, userId: c.id, role: 'member', joinedAt: 'x', deliveredSeq: 0, readSeq: 0, readAt: null, hidden: false, notify: 'all' },
      );
      assertIsoDate(added.joinedAt);
      assert.deepEqual(await storage.members.get(chat.id, c.id), added);
      assert.equal((await storage.members.list(chat.id)).length, 3);
      await assertConflict(storage.members.add(chat.id, c.id, 'admin'), 'member');
      assert.equal(await storage.members.countAdmins(chat.id), 1);

      const promoted = await storage.members.update(chat.id, b.id, { role: 'admin' });
      assert.equal(promoted.role, 'admin');
      assert.equal(promoted.hidden, false);
      assert.equal(await storage.members.countAdmins(chat.id), 2);
      const hidden = await storage.members.update(chat.id, b.id, { hidden: true });
      assert.equal(hidden.role, 'admin');
      assert.equal(hidden.hidden, true);
      assert.deepEqual(await storage.members.get(chat.id, b.id), hidden);

      await storage.members.remove(chat.id, c.id);
      assert.equal(await storage.members.get(chat.id, c.id), null);
      assert.deepEqual((await storage.members.list(chat.id)).map((member) => member.userId).sort(), [a.id, b.id].sort());
      await assertNotFound(storage.members.remove(chat.id, c.id));
      await assertNotFound(storage.members.update(chat.id, c.id, { role: 'admin' }));
    });

    it('chatIdsOfUser lists every chat of the user, hidden ones included', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const direct = (await storage.chats.openDirect(a.id, b.id)).chat;
      const group = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: c.id, memberIds: [a.id] });
      await storage.chats.openDirect(b.id, c.id);
      await storage.members.update(direct.id, a.id, { hidden: true });
      assert.deepEqual((await storage.members.chatIdsOfUser(a.id)).sort(), [direct.id, group.id].sort());
      assert.deepEqual(await storage.members.chatIdsOfUser(newId()), []);
    });

    it('advance moves positions forward only, and read implies delivered', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      for (let i = 0; i < 5; i += 1) await sendText(storage, chat.id, b.id);

      let result = await storage.members.advance(chat.id, a.id, { deliveredSeq: 2 });
      assert.deepEqual(positionsOf(result), { deliveredSeq: 2, readSeq: 0, changed: true });

      result = await storage.members.advance(chat.id, a.id, { readSeq: 4 });
      assert.deepEqual(positionsOf(result), { deliveredSeq: 4, readSeq: 4, changed: true });

      result = await storage.members.advance(chat.id, a.id, { deliveredSeq: 3 });
      assert.deepEqual(positionsOf(result), { deliveredSeq: 4, readSeq: 4, changed: false });

      result = await storage.members.advance(chat.id, a.id, { readSeq: 1, deliveredSeq: 1 });
      assert.deepEqual(positionsOf(result), { deliveredSeq: 4, readSeq: 4, changed: false });

      result = await storage.members.advance(chat.id, a.id, {});
      assert.deepEqual(positionsOf(result), { deliveredSeq: 4, readSeq: 4, changed: false });

      result = await storage.members.advance(chat.id, a.id, { deliveredSeq: 5 });
      assert.deepEqual(positionsOf(result), { deliveredSeq: 5, readSeq: 4, changed: true });

      assert.deepEqual(await storage.members.get(chat.id, a.id), result.member);
      assert.equal(result.member.userId, a.id);
      assert.equal(result.member.chatId, chat.id);
      const other = await storage.members.get(chat.id, b.id);
      assert.equal(other?.readSeq, 0);
      assert.equal(other?.deliveredSeq, 0);
    });

    it('advance stamps readAt when the read position moves, and only then', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      for (let i = 0; i < 3; i += 1) await sendText(storage, chat.id, b.id);
      assert.equal((await storage.members.get(chat.id, a.id))?.readAt, null, 'nothing read yet');

      const delivered = await storage.members.advance(chat.id, a.id, { deliveredSeq: 3 });
      assert.equal(delivered.member.readAt, null, 'delivering is not reading');

      const before = Date.now();
      const read = await storage.members.advance(chat.id, a.id, { readSeq: 2 });
      const readAt = read.member.readAt;
      assert.ok(readAt !== null && Date.parse(readAt) >= before - 1000 && Date.parse(readAt) <= Date.now() + 1000, `readAt ${readAt} is now`);
      assert.equal((await storage.members.get(chat.id, a.id))?.readAt, readAt);
      assert.equal((await storage.chats.entryForUser(chat.id, a.id))?.membership.readAt, readAt, 'the chat list carries it');

      await new Promise((resolve) => setTimeout(resolve, 5));
      const notMoved = await storage.members.advance(chat.id, a.id, { readSeq: 1 });
      assert.equal(notMoved.changed, false);
      assert.equal(notMoved.member.readAt, readAt, 'a read that moves nothing keeps the time');

      const moved = await storage.members.advance(chat.id, a.id, { readSeq: 3 });
      assert.ok(moved.member.readAt !== null && moved.member.readAt > readAt, 'a later read gets a later time');
      assert.equal((await storage.members.list(chat.id)).find((m) => m.userId === a.id)?.readAt, moved.member.readAt);
      assert.equal((await storage.members.get(chat.id, b.id))?.readAt, null, 'the other member is untouched');
    });

    it('advance of a non-member throws NotFoundError', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      await assertNotFound(storage.members.advance(chat.id, c.id, { readSeq: 1 }));
    });
  });
}
