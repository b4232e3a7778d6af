/** The storage contract for the ChatStore: the chat list (listForUser, entryForUser); run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { newId } from '../ids.js';
import type { Storage } from '../storage.js';
import { assertPlainData } from './assertions.js';
import { createUsers, notice, sendText, unreadOf, pause } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeChatListContract(current: () => Storage): void {
  describe('chat list', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('lists the user’s chats by last activity, most recent first, and honours the limit', async () => {
      const [a, b, c, d] = await createUsers(storage, 4);
      const withB = (await storage.chats.openDirect(a.id, b.id)).chat;
      const withC = (await storage.chats.openDirect(a.id, c.id)).chat;
      const group = await storage.chats.createGroup({ name: 'Group', passwordHash: null, creatorId: d.id, memberIds: [a.id] });
      await storage.chats.openDirect(b.id, c.id);

      await pause(5);
      await sendText(storage, withB.id, b.id);
      await pause(5);
      await sendText(storage, group.id, d.id);
      await pause(5);
      await sendText(storage, withC.id, a.id);

      const list = await storage.chats.listForUser(a.id);
      assert.deepEqual(
        list.map((entry) => entry.chat.id),
        [withC.id, group.id, withB.id],
      );
      for (const entry of list) {
        assert.equal(entry.membership.userId, a.id);
        assert.equal(entry.membership.chatId, entry.chat.id);
      }
      assertPlainData(list);

      const limited = await storage.chats.listForUser(a.id, { limit: 2 });
      assert.deepEqual(
        limited.map((entry) => entry.chat.id),
        [withC.id, group.id],
      );
      assert.deepEqual(await storage.chats.listForUser(newId()), []);
    });

    it('gives the last message, or null for an empty chat', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const talk = (await storage.chats.openDirect(a.id, b.id)).chat;
      const quiet = (await storage.chats.openDirect(a.id, c.id)).chat;
      await sendText(storage, talk.id, a.id, 'first');
      const last = await sendText(storage, talk.id, b.id, 'second');

      const list = await storage.chats.listForUser(a.id);
      const talkEntry = list.find((entry) => entry.chat.id === talk.id);
      const quietEntry = list.find((entry) => entry.chat.id === quiet.id);
      assert.deepEqual(talkEntry?.lastMessage, last);
      assert.equal(talkEntry?.chat.lastSeq, 2);
      assert.equal(quietEntry?.lastMessage, null);
      assert.equal(quietEntry?.unreadCount, 0);
    });

    it('counts unread messages others sent after readSeq, notices included, own messages never', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      await sendText(storage, chat.id, b.id); // 1
      await sendText(storage, chat.id, b.id); // 2
      await sendText(storage, chat.id, a.id); // 3
      await storage.messages.append(notice(chat.id, null, { type: 'renamed', actorId: a.id, name: 'N' })); // 4
      await sendText(storage, chat.id, b.id); // 5
      await sendText(storage, chat.id, a.id); // 6

      assert.equal(await unreadOf(storage, chat.id, a.id), 4);
      assert.equal(await unreadOf(storage, chat.id, b.id), 3);

      await storage.members.advance(chat.id, a.id, { readSeq: 4 });
      assert.equal(await unreadOf(storage, chat.id, a.id), 1);
      await storage.members.advance(chat.id, b.id, { readSeq: 6 });
      assert.equal(await unreadOf(storage, chat.id, b.id), 0);
      assert.equal((await storage.chats.listForUser(b.id))[0]?.unreadCount, 0);
    });

    it('leaves hidden chats out until a new message arrives', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const hidden = (await storage.chats.openDirect(a.id, b.id)).chat;
      const visible = (await storage.chats.openDirect(a.id, c.id)).chat;
      await storage.members.update(hidden.id, a.id, { hidden: true });

      assert.deepEqual(
        (await storage.chats.listForUser(a.id)).map((entry) => entry.chat.id),
        [visible.id],
      );
      assert.deepEqual(
        (await storage.chats.listForUser(b.id)).map((entry) => entry.chat.id),
        [hidden.id],
      );
      const entry = await storage.chats.entryForUser(hidden.id, a.id);
      assert.equal(entry?.chat.id, hidden.id);
      assert.equal(entry?.membership.hidden, true);

      await pause(5);
      await sendText(storage, hidden.id, b.id);
      const list = await storage.chats.listForUser(a.id);
      assert.deepEqual(
        list.map((item) => item.chat.id),
        [hidden.id, visible.id],
      );
      assert.equal(list[0]?.membership.hidden, false);
      assert.equal(list[0]?.unreadCount, 1);
    });

    it('entryForUser gives one entry, and null for a non-member or an unknown chat', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      const message = await sendText(storage, chat.id, b.id);

      const entry = await storage.chats.entryForUser(chat.id, a.id);
      assert.deepEqual(entry, (await storage.chats.listForUser(a.id))[0]);
      assert.equal(entry?.chat.id, chat.id);
      assert.deepEqual(entry?.lastMessage, message);
      assert.equal(entry?.unreadCount, 1);
      assert.equal((await storage.chats.entryForUser(chat.id, b.id))?.unreadCount, 0);
      assert.equal(await storage.chats.entryForUser(chat.id, c.id), null);
      assert.equal(await storage.chats.entryForUser(newId(), a.id), null);
    });
  });
}
