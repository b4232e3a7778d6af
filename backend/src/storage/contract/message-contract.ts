/** The storage contract for the MessageStore; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Notice } from '../../../../shared/src/schemas/messages.js';
import { newId } from '../ids.js';
import type { MessageRecord, Storage } from '../storage.js';
import { assertConflict, assertNotFound, assertIsoDate, assertPlainData } from './assertions.js';
import { createUsers, text, notice, sendText, pause } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeMessageContract(current: () => Storage): void {
  describe('messages', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('append numbers messages 1, 2, 3… in each chat and moves the chat’s lastSeq', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const first = (await storage.chats.openDirect(a.id, b.id)).chat;
      const second = (await storage.chats.openDirect(a.id, c.id)).chat;

      const m1 = await storage.messages.append(text(first.id, a.id, 'c-1', 'hello'));
      assert.equal(m1.chatId, first.id);
      assert.equal(m1.seq, 1);
      assert.equal(m1.kind, 'text');
      assert.equal(m1.senderId, a.id);
      assert.equal(m1.clientId, 'c-1');
      assert.equal(m1.body, 'hello');
      assert.equal(m1.notice, null);
      assertIsoDate(m1.createdAt);
      assert.deepEqual(await storage.messages.byId(m1.id), m1);
      assertPlainData(m1);

      const m2 = await sendText(storage, first.id, b.id);
      const other = await sendText(storage, second.id, c.id);
      const m3 = await sendText(storage, first.id, a.id);
      assert.deepEqual([m2.seq, m3.seq, other.seq], [2, 3, 1]);
      assert.equal(new Set([m1.id, m2.id, m3.id, other.id]).size, 4);
      assert.equal((await storage.chats.byId(first.id))?.lastSeq, 3);
      assert.equal((await storage.chats.byId(second.id))?.lastSeq, 1);
    });

    it('append gives concurrent messages distinct, gap-free seqs', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      const messages = await Promise.all(Array.from({ length: 20 }, (_, i) => sendText(storage, chat.id, i % 2 ? a.id : b.id)));
      assert.deepEqual(
        messages.map((message) => message.seq).sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.equal((await storage.chats.byId(chat.id))?.lastSeq, 20);
    });

    it('stores a notice with its details, and any number of messages without a clientId', async () => {
      const [a, b] = await createUsers(storage, 2);
      const chat = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id] });
      const created: Notice = { type: 'created', actorId: a.id, name: 'G' };
      const added: Notice = { type: 'added', actorId: a.id, targetId: b.id };
      const first = await storage.messages.append(notice(chat.id, null, created));
      const second = await storage.messages.append(notice(chat.id, a.id, added));
      assert.deepEqual(first.notice, created);
      assert.equal(first.senderId, null);
      assert.deepEqual((await storage.messages.byId(first.id))?.notice, created);
      assert.deepEqual((await storage.messages.byId(second.id))?.notice, added);
      assert.deepEqual([first.seq, second.seq], [1, 2]);
    });

    it('refuses a clientId the sender already used with ConflictError(clientId), without using up a seq', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      const original = await storage.messages.append(text(chat.id, a.id, 'same', 'one'));
      await assertConflict(storage.messages.append(text(chat.id, a.id, 'same', 'retry')), 'clientId');
      assert.equal((await storage.chats.byId(chat.id))?.lastSeq, 1);
      assert.deepEqual(await storage.messages.bySenderClientId(a.id, 'same'), original);

      const fromOther = await storage.messages.append(text(chat.id, b.id, 'same', 'two'));
      assert.equal(fromOther.seq, 2);
      assert.deepEqual(await storage.messages.bySenderClientId(b.id, 'same'), fromOther);
      assert.deepEqual(
        (await storage.messages.after(chat.id, 0, 10)).map((message) => message.body),
        ['one', 'two'],
      );
    });

    it('append to an unknown chat throws NotFoundError', async () => {
      const [a] = await createUsers(storage, 1);
      await assertNotFound(storage.messages.append(text(newId(), a.id, 'x', 'lost')));
    });

    it('byId and bySenderClientId are null when nothing matches', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      await storage.messages.append(text(chat.id, a.id, 'known'));
      assert.equal(await storage.messages.byId(newId()), null);
      assert.equal(await storage.messages.bySenderClientId(a.id, 'unknown'), null);
      assert.equal(await storage.messages.bySenderClientId(b.id, 'known'), null);
    });

    it('before pages backwards, oldest first within a page, across the boundaries', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      assert.deepEqual(await storage.messages.before(chat.id, null, 3), []);
      assert.deepEqual(await storage.messages.before(chat.id, 1, 3), []);

      for (let i = 1; i <= 6; i += 1) await sendText(storage, chat.id, i % 2 ? a.id : b.id, `m${i}`);
      const seqs = (messages: MessageRecord[]) => messages.map((message) => message.seq);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, null, 3)), [4, 5, 6]);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, 4, 3)), [1, 2, 3]);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, 1, 3)), []);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, 2, 3)), [1]);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, null, 6)), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, null, 50)), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual(seqs(await storage.messages.before(chat.id, 100, 2)), [5, 6]);
      assert.deepEqual(
        (await storage.messages.before(chat.id, 3, 10)).map((message) => message.body),
        ['m1', 'm2'],
      );
    });

    it('after pages forwards, oldest first, across the boundaries', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      const elsewhere = (await storage.chats.openDirect(a.id, c.id)).chat;
      assert.deepEqual(await storage.messages.after(chat.id, 0, 3), []);

      for (let i = 1; i <= 6; i += 1) await sendText(storage, chat.id, a.id);
      await sendText(storage, elsewhere.id, c.id);
      const seqs = (messages: MessageRecord[]) => messages.map((message) => message.seq);
      assert.deepEqual(seqs(await storage.messages.after(chat.id, 0, 3)), [1, 2, 3]);
      assert.deepEqual(seqs(await storage.messages.after(chat.id, 3, 3)), [4, 5, 6]);
      assert.deepEqual(seqs(await storage.messages.after(chat.id, 6, 3)), []);
      assert.deepEqual(seqs(await storage.messages.after(chat.id, 4, 10)), [5, 6]);
      assert.ok((await storage.messages.after(chat.id, 0, 10)).every((message) => message.chatId === chat.id));
    });

    it('append un-hides the chat for every member and moves lastActivityAt', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const chat = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id, c.id] });
      await storage.members.update(chat.id, b.id, { hidden: true });
      await storage.members.update(chat.id, c.id, { hidden: true });
      await pause(5);

      const message = await sendText(storage, chat.id, a.id);
      for (const member of await storage.members.list(chat.id)) {
        assert.equal(member.hidden, false, `${member.userId} sees the chat again`);
      }
      const after = await storage.chats.byId(chat.id);
      assert.ok(after && after.lastActivityAt > chat.lastActivityAt, 'lastActivityAt moves forward');
      assert.ok(after.lastActivityAt >= message.createdAt);
      assert.equal(after.lastSeq, 1);
    });

    it('detachSender keep leaves the messages without a sender', async () => {
      const [gone, stays] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(gone.id, stays.id);
      const first = await sendText(storage, chat.id, gone.id, 'bye');
      const reply = await sendText(storage, chat.id, stays.id, 'see you');
      await sendText(storage, chat.id, gone.id, 'really');

      await storage.messages.detachSender(gone.id, 'keep');
      const history = await storage.messages.after(chat.id, 0, 10);
      assert.deepEqual(
        history.map((message) => [message.seq, message.senderId, message.body]),
        [
          [1, null, 'bye'],
          [2, stays.id, 'see you'],
          [3, null, 'really'],
        ],
      );
      assert.equal((await storage.messages.byId(first.id))?.senderId, null);
      assert.deepEqual(await storage.messages.byId(reply.id), reply);
      assert.equal(await storage.messages.bySenderClientId(gone.id, first.clientId!), null);
    });

    it('detachSender erase removes the sender’s messages only', async () => {
      const [gone, stays] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(gone.id, stays.id);
      const first = await sendText(storage, chat.id, gone.id);
      const reply = await sendText(storage, chat.id, stays.id);
      await sendText(storage, chat.id, gone.id);

      await storage.messages.detachSender(gone.id, 'erase');
      assert.equal(await storage.messages.byId(first.id), null);
      assert.deepEqual(await storage.messages.before(chat.id, null, 10), [reply]);
    });
  });
}
