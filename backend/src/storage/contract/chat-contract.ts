/** The storage contract for the ChatStore: direct chats, groups, updates and group search; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { newId } from '../ids.js';
import type { ChatVisibility } from '../../../../shared/src/schemas/chats.js';
import type { Storage } from '../storage.js';
import { assertNotFound, assertIsoDate, assertPlainData } from './assertions.js';
import { createUsers, sendText, pause } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeChatContract(current: () => Storage): void {
  describe('chats', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('openDirect creates the one direct chat with both users as members', async () => {
      const [a, b] = await createUsers(storage, 2);
      const { chat, created } = await storage.chats.openDirect(a.id, b.id);
      assert.equal(created, true);
      assert.equal(chat.kind, 'direct');
      assert.equal(chat.name, null);
      assert.equal(chat.visibility, 'private');
      assert.equal(chat.passwordHash, null);
      assert.equal(chat.directKey, [a.id, b.id].sort().join(':'));
      assert.equal(chat.lastSeq, 0);
      assertIsoDate(chat.createdAt);
      assert.equal(chat.lastActivityAt, chat.createdAt);
      assert.deepEqual(await storage.chats.byId(chat.id), chat);
      assertPlainData(chat);

      const members = await storage.members.list(chat.id);
      assert.deepEqual(members.map((member) => member.userId).sort(), [a.id, b.id].sort());
    });

    it('openDirect is idempotent whichever user asks', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const first = await storage.chats.openDirect(a.id, b.id);
      const again = await storage.chats.openDirect(b.id, a.id);
      assert.equal(again.created, false);
      assert.deepEqual(again.chat, first.chat);
      const other = await storage.chats.openDirect(a.id, c.id);
      assert.equal(other.created, true);
      assert.notEqual(other.chat.id, first.chat.id);
    });

    it('openDirect yields exactly one chat under 10 concurrent calls', async () => {
      const [a, b] = await createUsers(storage, 2);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0 ? storage.chats.openDirect(a.id, b.id) : storage.chats.openDirect(b.id, a.id),
        ),
      );
      assert.equal(new Set(results.map((result) => result.chat.id)).size, 1);
      assert.equal(results.filter((result) => result.created).length, 1);
      const chatId = results[0]!.chat.id;
      assert.equal((await storage.members.list(chatId)).length, 2);
      assert.deepEqual(await storage.members.chatIdsOfUser(a.id), [chatId]);
    });

    it('findDirect finds the chat in either order, and null when there is none', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const { chat } = await storage.chats.openDirect(a.id, b.id);
      assert.deepEqual(await storage.chats.findDirect(a.id, b.id), chat);
      assert.deepEqual(await storage.chats.findDirect(b.id, a.id), chat);
      assert.equal(await storage.chats.findDirect(a.id, c.id), null);
    });

    it('createGroup makes the creator admin and the others members, once each', async () => {
      const [creator, b, c] = await createUsers(storage, 3);
      const chat = await storage.chats.createGroup({
        name: 'Book Club',
        visibility: 'public',
        passwordHash: 'room-hash',
        creatorId: creator.id,
        memberIds: [b.id, c.id, b.id, creator.id],
      });
      assert.equal(chat.kind, 'group');
      assert.equal(chat.name, 'Book Club');
      assert.equal(chat.visibility, 'public');
      assert.equal(chat.passwordHash, 'room-hash');
      assert.equal(chat.directKey, null);
      assert.equal(chat.lastSeq, 0);
      assertIsoDate(chat.createdAt);
      assert.deepEqual(await storage.chats.byId(chat.id), chat);

      const members = await storage.members.list(chat.id);
      assert.deepEqual(
        members.map((member) => [member.userId, member.role]).sort(),
        [
          [creator.id, 'admin'],
          [b.id, 'member'],
          [c.id, 'member'],
        ].sort(),
      );
      for (const member of members) {
        assert.equal(member.chatId, chat.id);
        assert.equal(member.deliveredSeq, 0);
        assert.equal(member.readSeq, 0);
        assert.equal(member.hidden, false);
        assertIsoDate(member.joinedAt);
      }
    });

    it('createGroup with only the creator makes a one-member group', async () => {
      const [creator] = await createUsers(storage, 1);
      const chat = await storage.chats.createGroup({ name: 'Alone', passwordHash: null, creatorId: creator.id, memberIds: [] });
      assert.equal(chat.passwordHash, null);
      assert.deepEqual(
        (await storage.members.list(chat.id)).map((member) => [member.userId, member.role]),
        [[creator.id, 'admin']],
      );
    });

    it('createGroup keeps the visibility it is given; without one, a group with a password is public and one without is private', async () => {
      const [creator] = await createUsers(storage, 1);
      const group = (name: string, visibility: ChatVisibility | undefined, passwordHash: string | null) =>
        storage.chats.createGroup({ name, ...(visibility && { visibility }), passwordHash, creatorId: creator.id, memberIds: [] });
      const made = {
        privateGroup: await group('Private', 'private', null),
        publicRoom: await group('Public', 'public', null),
        lockedRoom: await group('Locked', 'public', 'room-hash'),
        unstatedOpen: await group('Unstated open', undefined, null),
        unstatedLocked: await group('Unstated locked', undefined, 'room-hash'),
      };
      const expected = { privateGroup: 'private', publicRoom: 'public', lockedRoom: 'public', unstatedOpen: 'private', unstatedLocked: 'public' };
      for (const [key, chat] of Object.entries(made)) {
        assert.equal(chat.visibility, expected[key as keyof typeof expected], key);
        assert.equal((await storage.chats.byId(chat.id))?.visibility, expected[key as keyof typeof expected], `${key} read back`);
      }
    });

    it('byId is null for an unknown chat', async () => {
      assert.equal(await storage.chats.byId(newId()), null);
    });

    it('update renames and sets or clears the password', async () => {
      const [creator] = await createUsers(storage, 1);
      const chat = await storage.chats.createGroup({ name: 'Old', passwordHash: null, creatorId: creator.id, memberIds: [] });
      const renamed = await storage.chats.update(chat.id, { name: 'New' });
      assert.equal(renamed.name, 'New');
      assert.equal(renamed.passwordHash, null);
      const locked = await storage.chats.update(chat.id, { passwordHash: 'secret-hash' });
      assert.equal(locked.name, 'New');
      assert.equal(locked.passwordHash, 'secret-hash');
      const unlocked = await storage.chats.update(chat.id, { passwordHash: null });
      assert.equal(unlocked.passwordHash, null);
      assert.deepEqual(await storage.chats.byId(chat.id), unlocked);
      assert.equal(unlocked.createdAt, chat.createdAt);
      await assertNotFound(storage.chats.update(newId(), { name: 'Ghost' }));
    });

    it('update switches the visibility both ways, and changing the password or name leaves it as it is', async () => {
      const [creator] = await createUsers(storage, 1);
      const chat = await storage.chats.createGroup({ name: 'Switch', visibility: 'private', passwordHash: null, creatorId: creator.id, memberIds: [] });
      const opened = await storage.chats.update(chat.id, { visibility: 'public' });
      assert.equal(opened.visibility, 'public');
      assert.equal(opened.name, 'Switch');
      const locked = await storage.chats.update(chat.id, { passwordHash: 'secret-hash', name: 'Switched' });
      assert.equal(locked.visibility, 'public');
      const unlocked = await storage.chats.update(chat.id, { passwordHash: null });
      assert.equal(unlocked.visibility, 'public', 'a public room without a password stays public');
      assert.deepEqual(await storage.chats.byId(chat.id), unlocked);
      const closed = await storage.chats.update(chat.id, { visibility: 'private' });
      assert.equal(closed.visibility, 'private');
      assert.equal((await storage.chats.byId(chat.id))?.visibility, 'private');
      assert.deepEqual(await storage.chats.searchGroups('switch', 10), []);
    });

    it('searchGroups matches names case-insensitively, newest activity first, with member counts', async () => {
      const [a, b, c] = await createUsers(storage, 3);
      const club = await storage.chats.createGroup({
        name: 'Book Club',
        visibility: 'public',
        passwordHash: null,
        creatorId: a.id,
        memberIds: [b.id, c.id],
      });
      await pause(5);
      const lovers = await storage.chats.createGroup({
        name: 'the BOOK lovers',
        visibility: 'public',
        passwordHash: 'h',
        creatorId: b.id,
        memberIds: [],
      });
      await pause(5);
      await storage.chats.createGroup({ name: 'Cooking', visibility: 'public', passwordHash: null, creatorId: c.id, memberIds: [a.id] });
      await storage.chats.openDirect(a.id, b.id);

      const hits = await storage.chats.searchGroups('book', 10);
      assert.deepEqual(
        hits.map((hit) => [hit.id, hit.memberCount]),
        [
          [lovers.id, 1],
          [club.id, 3],
        ],
      );
      assert.equal(hits[0]?.passwordHash, 'h');

      await pause(5);
      await sendText(storage, club.id, a.id);
      const reordered = await storage.chats.searchGroups('BOOK', 10);
      assert.deepEqual(
        reordered.map((hit) => hit.id),
        [club.id, lovers.id],
      );
      assert.equal((await storage.chats.searchGroups('book', 1)).length, 1);
      assert.deepEqual(await storage.chats.searchGroups('%', 10), []);
      assert.deepEqual(await storage.chats.searchGroups('poetry', 10), []);
      assert.equal((await storage.chats.searchGroups('', 10)).length, 3);
    });

    it('searchGroups lists public groups only: never a private group, whatever the query, nor a direct chat', async () => {
      const [a, b] = await createUsers(storage, 2);
      const open = await storage.chats.createGroup({ name: 'Team Lunch room', visibility: 'public', passwordHash: null, creatorId: a.id, memberIds: [b.id] });
      await pause(5);
      const hidden = await storage.chats.createGroup({ name: 'Team Lunch', visibility: 'private', passwordHash: null, creatorId: a.id, memberIds: [b.id] });
      await storage.chats.createGroup({ name: 'Team Lunch too', passwordHash: null, creatorId: b.id, memberIds: [] });
      await storage.chats.openDirect(a.id, b.id);
      await sendText(storage, hidden.id, a.id);

      for (const query of ['', 'team', 'TEAM LUNCH', 'lunch']) {
        assert.deepEqual(
          (await storage.chats.searchGroups(query, 10)).map((hit) => hit.id),
          [open.id],
          `query ${JSON.stringify(query)}`,
        );
      }
      const [hit] = await storage.chats.searchGroups('', 10);
      assert.equal(hit?.visibility, 'public');
      // A full page of private groups cannot push the public one out of a small limit.
      for (let i = 0; i < 3; i += 1) await storage.chats.createGroup({ name: `Team ${i}`, visibility: 'private', passwordHash: null, creatorId: a.id, memberIds: [] });
      assert.deepEqual((await storage.chats.searchGroups('team', 1)).map((found) => found.id), [open.id]);
    });

    it('the chat list and entryForUser carry each chat’s visibility', async () => {
      const [a, b] = await createUsers(storage, 2);
      const open = await storage.chats.createGroup({ name: 'Open', visibility: 'public', passwordHash: 'h', creatorId: a.id, memberIds: [b.id] });
      const closed = await storage.chats.createGroup({ name: 'Closed', visibility: 'private', passwordHash: null, creatorId: a.id, memberIds: [b.id] });
      const { chat: direct } = await storage.chats.openDirect(a.id, b.id);
      const listed = new Map((await storage.chats.listForUser(b.id)).map((entry) => [entry.chat.id, entry.chat.visibility]));
      assert.deepEqual(Object.fromEntries(listed), { [open.id]: 'public', [closed.id]: 'private', [direct.id]: 'private' });
      assert.equal((await storage.chats.entryForUser(open.id, b.id))?.chat.visibility, 'public');
      assert.equal((await storage.chats.entryForUser(closed.id, b.id))?.chat.visibility, 'private');
    });
  });
}
