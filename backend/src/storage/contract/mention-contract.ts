/**
 * The storage contract for mentions and notification levels: a message's mentions, unread
 * mention counts in the chat list (after the read position, live messages only, following
 * edits), and the member's notify level; run by run-storage-contract.ts.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Storage } from '../storage.js';
import { createUsers, text } from './fixtures.js';

let clientCounter = 0;

function mentioning(storage: Storage, chatId: string, senderId: string, mentions: string[], body = 'hi') {
  clientCounter += 1;
  return storage.messages.append({ ...text(chatId, senderId, `mention-${clientCounter}`, body), mentions });
}

async function mentionCountOf(storage: Storage, chatId: string, userId: string): Promise<number | undefined> {
  return (await storage.chats.entryForUser(chatId, userId))?.unreadMentionCount;
}

/** `current` gives the fresh storage of the running test. */
export function describeMentionContract(current: () => Storage): void {
  describe('mentions and notification levels', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('stores a message’s mentions and gives them back on every read; none when left out', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const group = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id, c.id] });
      const stored = await mentioning(storage, group.id, a.id, [b.id, c.id, b.id]);
      assert.deepEqual(stored.mentions, [b.id, c.id]);
      assert.deepEqual((await storage.messages.byId(stored.id))?.mentions, [b.id, c.id]);
      assert.deepEqual((await storage.messages.before(group.id, null, 10)).at(-1)?.mentions, [b.id, c.id]);
      const plain = await storage.messages.append(text(group.id, a.id, `plain-${clientCounter++}`));
      assert.deepEqual(plain.mentions, []);
      assert.deepEqual((await storage.messages.byId(plain.id))?.mentions, []);
      assert.deepEqual((await storage.chats.entryForUser(group.id, b.id))?.lastMessage?.mentions, []);
    });

    it('counts unread mentions per member after their read position, and none for the sender', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const group = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id, c.id] });
      const first = await mentioning(storage, group.id, a.id, [b.id]);
      await mentioning(storage, group.id, a.id, []);
      await mentioning(storage, group.id, c.id, [b.id, a.id]);
      assert.equal(await mentionCountOf(storage, group.id, b.id), 2);
      assert.equal(await mentionCountOf(storage, group.id, a.id), 1);
      assert.equal(await mentionCountOf(storage, group.id, c.id), 0);
      const listed = (await storage.chats.listForUser(b.id)).find((entry) => entry.chat.id === group.id);
      assert.equal(listed?.unreadMentionCount, 2);
      assert.equal(listed?.unreadCount, 3);

      await storage.members.advance(group.id, b.id, { readSeq: first.seq });
      assert.equal(await mentionCountOf(storage, group.id, b.id), 1);
      await storage.members.advance(group.id, b.id, { readSeq: first.seq + 2 });
      assert.equal(await mentionCountOf(storage, group.id, b.id), 0);
    });

    it('an edit replaces the mentions and the counts follow; a delete drops them', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const group = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id, c.id] });
      const message = await mentioning(storage, group.id, a.id, [b.id]);

      const edited = await storage.messages.change(group.id, { kind: 'edit', messageId: message.id, actorId: a.id, body: 'now c', mentions: [c.id] });
      assert.deepEqual(edited.message.mentions, [c.id]);
      assert.deepEqual((await storage.messages.byId(message.id))?.mentions, [c.id]);
      assert.equal(await mentionCountOf(storage, group.id, b.id), 0);
      assert.equal(await mentionCountOf(storage, group.id, c.id), 1);

      await storage.messages.change(group.id, { kind: 'edit', messageId: message.id, actorId: a.id, body: 'nobody', mentions: [] });
      assert.deepEqual((await storage.messages.byId(message.id))?.mentions, []);
      assert.equal(await mentionCountOf(storage, group.id, c.id), 0);

      await storage.messages.change(group.id, { kind: 'edit', messageId: message.id, actorId: a.id, body: 'both', mentions: [b.id, c.id] });
      assert.equal(await mentionCountOf(storage, group.id, b.id), 1);
      const deleted = await storage.messages.change(group.id, { kind: 'delete', messageId: message.id, actorId: a.id, by: 'sender' });
      assert.deepEqual(deleted.message.mentions, []);
      assert.deepEqual((await storage.messages.byId(message.id))?.mentions, []);
      assert.equal(await mentionCountOf(storage, group.id, b.id), 0);
      assert.equal(await mentionCountOf(storage, group.id, c.id), 0);
    });

    it('a reaction leaves the mentions as they are', async () => {
      const [a, b] = await createUsers(storage, 2);
      const chat = (await storage.chats.openDirect(a.id, b.id)).chat;
      const message = await mentioning(storage, chat.id, a.id, [b.id]);
      await storage.messages.change(chat.id, { kind: 'react', messageId: message.id, actorId: b.id, emoji: '👍', on: true });
      assert.deepEqual((await storage.messages.byId(message.id))?.mentions, [b.id]);
      assert.equal(await mentionCountOf(storage, chat.id, b.id), 1);
    });

    it('erasing a sender’s messages takes their mentions out of the counts', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const group = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: b.id, memberIds: [a.id, c.id] });
      await mentioning(storage, group.id, a.id, [b.id]);
      await mentioning(storage, group.id, c.id, [b.id]);
      await storage.messages.detachSender(a.id, 'erase');
      assert.equal(await mentionCountOf(storage, group.id, b.id), 1);
    });

    it('a member’s notify level is all until they choose, and is theirs alone', async () => {
      const [a, b] = await createUsers(storage, 2);
      const chat = (await storage.chats.openDirect(a.id, b.id)).chat;
      assert.equal((await storage.members.get(chat.id, a.id))?.notify, 'all');
      const updated = await storage.members.update(chat.id, a.id, { notify: 'muted' });
      assert.equal(updated.notify, 'muted');
      assert.equal((await storage.members.get(chat.id, a.id))?.notify, 'muted');
      assert.equal((await storage.members.get(chat.id, b.id))?.notify, 'all');
      assert.equal((await storage.chats.entryForUser(chat.id, a.id))?.membership.notify, 'muted');
      assert.equal((await storage.chats.listForUser(a.id))[0]?.membership.notify, 'muted');
      await storage.members.update(chat.id, a.id, { notify: 'mentions' });
      assert.equal((await storage.members.list(chat.id)).find((member) => member.userId === a.id)?.notify, 'mentions');
      // Other changes of the membership keep it.
      await storage.members.update(chat.id, a.id, { hidden: true });
      assert.equal((await storage.members.get(chat.id, a.id))?.notify, 'mentions');
    });
  });
}
