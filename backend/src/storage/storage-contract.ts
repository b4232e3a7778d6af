/**
 * The one behavioural suite every storage adapter passes. An adapter's test calls
 * `runStorageContract('name', factory)`; each test gets a fresh, empty storage from the factory.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Notice } from '../../../shared/src/schemas/messages.js';
import { ConflictError, NotFoundError, StorageError } from './errors.js';
import { newId } from './ids.js';
import type { MessageRecord, NewMessage, NewUser, Storage, UserRecord } from './storage.js';

export type StorageFactory = () => Promise<{ storage: Storage; cleanup: () => Promise<void> }>;

export function runStorageContract(name: string, factory: StorageFactory): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ storage, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('users', () => {
      it('creates a user with defaults and reads it back as a plain record', async () => {
        const input = newUserInput({ username: 'Alice', passwordHash: 'hash-1' });
        const created = await storage.users.create(input);

        assert.equal(typeof created.id, 'string');
        assert.ok(created.id.length > 0);
        assert.equal(created.username, 'Alice');
        assert.equal(created.firstName, input.firstName);
        assert.equal(created.lastName, input.lastName);
        assert.equal(created.email, input.email);
        assert.equal(created.gender, input.gender);
        assert.equal(created.passwordHash, 'hash-1');
        assert.equal(created.role, 'user');
        assert.equal(created.status, 'active');
        assert.equal(created.externalId, null);
        assert.equal(created.avatarUrl, null);
        assertIsoDate(created.createdAt);
        assert.equal(created.updatedAt, created.createdAt);

        const read = await storage.users.byId(created.id);
        assert.deepEqual(read, created);
        assertPlainData(read);
      });

      it('keeps the optional fields it is given', async () => {
        const created = await storage.users.create(
          newUserInput({
            role: 'admin',
            status: 'disabled',
            externalId: 'sso-1',
            avatarUrl: 'https://img.test/a.png',
            passwordHash: null,
          }),
        );
        const read = await storage.users.byId(created.id);
        assert.equal(read?.role, 'admin');
        assert.equal(read?.status, 'disabled');
        assert.equal(read?.externalId, 'sso-1');
        assert.equal(read?.avatarUrl, 'https://img.test/a.png');
        assert.equal(read?.passwordHash, null);
      });

      it('refuses a username taken in another case with ConflictError(username)', async () => {
        await storage.users.create(newUserInput({ username: 'Alice' }));
        await assertConflict(storage.users.create(newUserInput({ username: 'aLICE' })), 'username');
        const page = await storage.users.search({ prefix: 'alice', limit: 10 });
        assert.deepEqual(
          page.users.map((user) => user.username),
          ['Alice'],
        );
      });

      it('refuses a taken externalId with ConflictError(externalId), while many users may have none', async () => {
        await storage.users.create(newUserInput({ externalId: 'sso-7' }));
        await assertConflict(storage.users.create(newUserInput({ externalId: 'sso-7' })), 'externalId');
        await storage.users.create(newUserInput());
        await storage.users.create(newUserInput());
      });

      it('createMany creates all users, in order', async () => {
        const inputs = ['one', 'two', 'three'].map((username) => newUserInput({ username }));
        const created = await storage.users.createMany(inputs);
        assert.deepEqual(
          created.map((user) => user.username),
          ['one', 'two', 'three'],
        );
        assert.equal(new Set(created.map((user) => user.id)).size, 3);
        for (const user of created) assert.deepEqual(await storage.users.byId(user.id), user);
        assert.deepEqual(await storage.users.createMany([]), []);
      });

      it('createMany creates nothing when one username is taken, and names it', async () => {
        await storage.users.create(newUserInput({ username: 'occupied' }));
        const attempt = storage.users.createMany([
          newUserInput({ username: 'fresh1' }),
          newUserInput({ username: 'OCCUPIED' }),
          newUserInput({ username: 'fresh2' }),
        ]);
        await assert.rejects(attempt, (error: unknown) => {
          assert.ok(error instanceof ConflictError, `expected ConflictError, got ${String(error)}`);
          assert.equal(error.field, 'username');
          assert.match(error.message, /occupied/i, 'the message names the colliding username');
          return true;
        });
        assert.equal(await storage.users.byUsername('fresh1'), null);
        assert.equal(await storage.users.byUsername('fresh2'), null);
      });

      it('createMany creates nothing when two of its own users collide', async () => {
        const attempt = storage.users.createMany([
          newUserInput({ username: 'twin' }),
          newUserInput({ username: 'other' }),
          newUserInput({ username: 'Twin' }),
        ]);
        await assertConflict(attempt, 'username');
        assert.equal(await storage.users.byUsername('twin'), null);
        assert.equal(await storage.users.byUsername('other'), null);
      });

      it('byId and byIds find known users and skip unknown ids', async () => {
        const [a, , c] = await createUsers(storage, 3);
        assert.equal(await storage.users.byId(newId()), null);
        const found = await storage.users.byIds([c.id, newId(), a.id]);
        assert.deepEqual(sortById(found), sortById([a, c]));
        assert.deepEqual(await storage.users.byIds([]), []);
      });

      it('byUsername ignores case', async () => {
        const created = await storage.users.create(newUserInput({ username: 'MixedCase' }));
        assert.deepEqual(await storage.users.byUsername('mixedcase'), created);
        assert.deepEqual(await storage.users.byUsername('MIXEDCASE'), created);
        assert.equal(await storage.users.byUsername('mixedcas'), null);
      });

      it('byExternalId finds the provisioned user', async () => {
        const created = await storage.users.create(newUserInput({ externalId: 'host-42' }));
        await storage.users.create(newUserInput());
        assert.deepEqual(await storage.users.byExternalId('host-42'), created);
        assert.equal(await storage.users.byExternalId('host-43'), null);
      });

      describe('search', () => {
        // In lower-cased order: ann_x, anna, annabel, annex, annie.
        const matching = ['annabel', 'ANNIE', 'Anna', 'ann_x', 'annex'];
        const expected = ['ann_x', 'Anna', 'annabel', 'annex', 'ANNIE'];

        beforeEach(async () => {
          await storage.users.createMany([
            ...matching.map((username) => newUserInput({ username })),
            newUserInput({ username: 'alice' }),
            newUserInput({ username: 'anton' }),
            newUserInput({ username: 'bob' }),
            newUserInput({ username: 'annulled', status: 'deleted' }),
            newUserInput({ username: 'annoyed', status: 'banned' }),
          ]);
        });

        it('finds names by case-insensitive prefix, ordered by lower-cased name, without deleted users', async () => {
          const page = await storage.users.search({ prefix: 'ANN', limit: 50 });
          assert.deepEqual(
            page.users.map((user) => user.username),
            ['ann_x', 'Anna', 'annabel', 'annex', 'ANNIE', 'annoyed'],
          );
          assert.equal(page.nextCursor, null);
        });

        it('pages with a cursor, with no duplicates and no gaps', async () => {
          await storage.users.update((await storage.users.byUsername('annoyed'))!.id, { status: 'deleted' });
          const seen: string[] = [];
          const pageSizes: number[] = [];
          let after: string | undefined;
          for (let guard = 0; guard < 10; guard += 1) {
            const page = await storage.users.search({ prefix: 'ann', limit: 2, ...(after !== undefined && { after }) });
            seen.push(...page.users.map((user) => user.username));
            pageSizes.push(page.users.length);
            if (page.nextCursor === null) break;
            after = page.nextCursor;
          }
          assert.deepEqual(seen, expected);
          assert.deepEqual(pageSizes, [2, 2, 1]);
        });

        it('ends with a null cursor when the last page is exactly full', async () => {
          await storage.users.update((await storage.users.byUsername('annoyed'))!.id, { status: 'deleted' });
          const first = await storage.users.search({ prefix: 'ann', limit: 5 });
          assert.deepEqual(
            first.users.map((user) => user.username),
            expected,
          );
          assert.equal(first.nextCursor, null);

          const partial = await storage.users.search({ prefix: 'ann', limit: 4 });
          assert.equal(partial.users.length, 4);
          assert.notEqual(partial.nextCursor, null);
          const rest = await storage.users.search({ prefix: 'ann', limit: 4, after: partial.nextCursor! });
          assert.deepEqual(
            rest.users.map((user) => user.username),
            ['ANNIE'],
          );
          assert.equal(rest.nextCursor, null);
        });

        it('lists every user that is not deleted when there is no prefix', async () => {
          const page = await storage.users.search({ limit: 100 });
          assert.deepEqual(
            page.users.map((user) => user.username),
            [...matching, 'alice', 'anton', 'bob', 'annoyed'].sort(byLowerCase),
          );
        });

        it('takes the prefix literally', async () => {
          const underscore = await storage.users.search({ prefix: 'ann_', limit: 10 });
          assert.deepEqual(
            underscore.users.map((user) => user.username),
            ['ann_x'],
          );
          const percent = await storage.users.search({ prefix: '%', limit: 10 });
          assert.deepEqual(percent.users, []);
          const none = await storage.users.search({ prefix: 'zzz', limit: 10 });
          assert.deepEqual(none, { users: [], nextCursor: null });
        });
      });

      it('update changes the given fields and moves updatedAt', async () => {
        const created = await storage.users.create(newUserInput({ avatarUrl: 'https://img.test/1.png', passwordHash: 'old' }));
        await pause(5);
        const updated = await storage.users.update(created.id, { firstName: 'Changed', status: 'banned', role: 'admin' });
        assert.equal(updated.firstName, 'Changed');
        assert.equal(updated.status, 'banned');
        assert.equal(updated.role, 'admin');
        assert.equal(updated.lastName, created.lastName);
        assert.equal(updated.avatarUrl, 'https://img.test/1.png');
        assert.equal(updated.createdAt, created.createdAt);
        assert.ok(updated.updatedAt > created.updatedAt, 'updatedAt moves forward');
        assert.deepEqual(await storage.users.byId(created.id), updated);

        const cleared = await storage.users.update(created.id, { avatarUrl: null, passwordHash: null });
        assert.equal(cleared.avatarUrl, null);
        assert.equal(cleared.passwordHash, null);
        assert.equal(cleared.firstName, 'Changed');
      });

      it('update may change the case of the own username but not take another', async () => {
        const alice = await storage.users.create(newUserInput({ username: 'alice' }));
        await storage.users.create(newUserInput({ username: 'Bob' }));
        const renamed = await storage.users.update(alice.id, { username: 'ALICE' });
        assert.equal(renamed.username, 'ALICE');
        assert.equal((await storage.users.byUsername('alice'))?.id, alice.id);
        await assertConflict(storage.users.update(alice.id, { username: 'bob' }), 'username');
        assert.equal((await storage.users.byId(alice.id))?.username, 'ALICE');
      });

      it('update and delete of an unknown user throw NotFoundError', async () => {
        await assertNotFound(storage.users.update(newId(), { firstName: 'Nobody' }));
        await assertNotFound(storage.users.delete(newId()));
      });

      it('delete removes the user and frees the username', async () => {
        const [doomed, kept] = await createUsers(storage, 2);
        await storage.users.delete(doomed.id);
        assert.equal(await storage.users.byId(doomed.id), null);
        assert.equal(await storage.users.byUsername(doomed.username), null);
        assert.deepEqual(await storage.users.byId(kept.id), kept);
        await assertNotFound(storage.users.delete(doomed.id));
        await storage.users.create(newUserInput({ username: doomed.username.toUpperCase() }));
      });
    });

    describe('chats', () => {
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
        const group = (name: string, visibility: 'private' | 'public' | undefined, passwordHash: string | null) =>
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

    describe('chat list', () => {
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

    describe('members', () => {
      it('add, get, list, update, remove and countAdmins', async () => {
        const [a, b, c] = await createUsers(storage, 3);
        const chat = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: a.id, memberIds: [b.id] });

        const added = await storage.members.add(chat.id, c.id, 'member');
        assert.deepEqual(
          { ...added, joinedAt: 'x' },
          { chatId: chat.id, userId: c.id, role: 'member', joinedAt: 'x', deliveredSeq: 0, readSeq: 0, hidden: false },
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

      it('advance of a non-member throws NotFoundError', async () => {
        const [a, b, c] = await createUsers(storage, 3);
        const { chat } = await storage.chats.openDirect(a.id, b.id);
        await assertNotFound(storage.members.advance(chat.id, c.id, { readSeq: 1 }));
      });
    });

    describe('messages', () => {
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

    describe('blocks', () => {
      it('block is idempotent and seen from either side', async () => {
        const [a, b, c] = await createUsers(storage, 3);
        assert.equal(await storage.blocks.eitherBlocks(a.id, b.id), false);
        await storage.blocks.block(a.id, b.id);
        await storage.blocks.block(a.id, b.id);
        assert.equal(await storage.blocks.eitherBlocks(a.id, b.id), true);
        assert.equal(await storage.blocks.eitherBlocks(b.id, a.id), true);
        assert.equal(await storage.blocks.eitherBlocks(a.id, c.id), false);
        assert.deepEqual(await storage.blocks.blockedBy(a.id), [b.id]);
        assert.deepEqual(await storage.blocks.blockedBy(b.id), []);
      });

      it('unblock is idempotent and lifts only its own direction', async () => {
        const [a, b, c] = await createUsers(storage, 3);
        await storage.blocks.block(a.id, b.id);
        await storage.blocks.block(a.id, c.id);
        await storage.blocks.block(b.id, a.id);

        await storage.blocks.unblock(a.id, b.id);
        await storage.blocks.unblock(a.id, b.id);
        assert.equal(await storage.blocks.eitherBlocks(a.id, b.id), true, 'b still blocks a');
        assert.deepEqual(await storage.blocks.blockedBy(a.id), [c.id]);

        await storage.blocks.unblock(b.id, a.id);
        assert.equal(await storage.blocks.eitherBlocks(a.id, b.id), false);
        assert.equal(await storage.blocks.eitherBlocks(a.id, c.id), true);
      });
    });

    describe('refresh tokens', () => {
      it('creates a token and finds it by hash', async () => {
        const [user] = await createUsers(storage, 1);
        const input = newTokenInput(user.id, newId());
        const created = await storage.refreshTokens.create(input);
        assert.deepEqual({ ...created, createdAt: 'x' }, { ...input, createdAt: 'x', usedAt: null, revokedAt: null });
        assertIsoDate(created.createdAt);
        assert.deepEqual(await storage.refreshTokens.byHash(input.tokenHash), created);
        assert.equal(await storage.refreshTokens.byHash('unknown-hash'), null);
        assertPlainData(created);
      });

      it('markUsed succeeds once', async () => {
        const [user] = await createUsers(storage, 1);
        const token = await storage.refreshTokens.create(newTokenInput(user.id, newId()));
        assert.equal(await storage.refreshTokens.markUsed(token.id), true);
        assert.equal(await storage.refreshTokens.markUsed(token.id), false);
        const used = await storage.refreshTokens.byHash(token.tokenHash);
        assertIsoDate(used?.usedAt ?? '');
        assert.equal(used?.revokedAt, null);
      });

      it('markUsed succeeds exactly once under concurrent calls', async () => {
        const [user] = await createUsers(storage, 1);
        const token = await storage.refreshTokens.create(newTokenInput(user.id, newId()));
        const results = await Promise.all(Array.from({ length: 8 }, () => storage.refreshTokens.markUsed(token.id)));
        assert.equal(results.filter(Boolean).length, 1);
      });

      it('a revoked token cannot be used', async () => {
        const [user] = await createUsers(storage, 1);
        const token = await storage.refreshTokens.create(newTokenInput(user.id, newId()));
        await storage.refreshTokens.revoke(token.id);
        assertIsoDate((await storage.refreshTokens.byHash(token.tokenHash))?.revokedAt ?? '');
        assert.equal(await storage.refreshTokens.markUsed(token.id), false);
      });

      it('revokeFamily revokes the whole family and nothing else', async () => {
        const [user] = await createUsers(storage, 1);
        const family = newId();
        const first = await storage.refreshTokens.create(newTokenInput(user.id, family));
        const second = await storage.refreshTokens.create(newTokenInput(user.id, family));
        const unrelated = await storage.refreshTokens.create(newTokenInput(user.id, newId()));
        await storage.refreshTokens.markUsed(first.id);

        await storage.refreshTokens.revokeFamily(family);
        assert.notEqual((await storage.refreshTokens.byHash(first.tokenHash))?.revokedAt, null);
        assert.notEqual((await storage.refreshTokens.byHash(second.tokenHash))?.revokedAt, null);
        assert.equal((await storage.refreshTokens.byHash(unrelated.tokenHash))?.revokedAt, null);
        assert.equal(await storage.refreshTokens.markUsed(second.id), false);
        assert.equal(await storage.refreshTokens.markUsed(unrelated.id), true);
      });

      it('revokeAllOfUser revokes that user’s tokens only', async () => {
        const [a, b] = await createUsers(storage, 2);
        const ofA = [
          await storage.refreshTokens.create(newTokenInput(a.id, newId())),
          await storage.refreshTokens.create(newTokenInput(a.id, newId())),
        ];
        const ofB = await storage.refreshTokens.create(newTokenInput(b.id, newId()));
        await storage.refreshTokens.revokeAllOfUser(a.id);
        for (const token of ofA) assert.equal(await storage.refreshTokens.markUsed(token.id), false);
        assert.equal((await storage.refreshTokens.byHash(ofB.tokenHash))?.revokedAt, null);
        assert.equal(await storage.refreshTokens.markUsed(ofB.id), true);
      });
    });

    describe('audit', () => {
      it('appends entries and lists them newest first', async () => {
        const [admin, target] = await createUsers(storage, 2);
        const details = { reason: 'spam', days: 3, tags: ['a'] };
        const first = await storage.audit.append({ actorId: admin.id, action: 'user.ban', targetId: target.id, details });
        const second = await storage.audit.append({ actorId: null, action: 'system.start', targetId: null, details: null });
        assert.equal(first.action, 'user.ban');
        assertIsoDate(first.createdAt);
        assert.notEqual(first.id, second.id);

        const list = await storage.audit.list({ limit: 10 });
        assert.deepEqual(list, [second, first]);
        assert.deepEqual(list[1]?.details, details);
        assertPlainData(list);
      });

      it('pages backwards with the `before` cursor', async () => {
        const entries: string[] = [];
        for (let i = 1; i <= 5; i += 1) {
          const entry = await storage.audit.append({ actorId: null, action: `step.${i}`, targetId: null, details: null });
          entries.push(entry.id);
        }
        const actions = async (options: { before?: string; limit: number }) =>
          (await storage.audit.list(options)).map((entry) => entry.action);

        assert.deepEqual(await actions({ limit: 2 }), ['step.5', 'step.4']);
        assert.deepEqual(await actions({ before: entries[3]!, limit: 2 }), ['step.3', 'step.2']);
        assert.deepEqual(await actions({ before: entries[1]!, limit: 2 }), ['step.1']);
        assert.deepEqual(await actions({ before: entries[0]!, limit: 2 }), []);
      });
    });

    describe('health', () => {
      it('ping resolves while the store is open', async () => {
        await storage.ping();
        assert.ok(['sqlite', 'mongo'].includes(storage.name), `unexpected storage name ${storage.name}`);
      });
    });
  });
}

let userCounter = 0;

function newUserInput(overrides: Partial<NewUser> = {}): NewUser {
  userCounter += 1;
  return {
    username: `user${userCounter}`,
    firstName: `First${userCounter}`,
    lastName: `Last${userCounter}`,
    email: `user${userCounter}@example.test`,
    gender: 'unspecified',
    passwordHash: `hash-${userCounter}`,
    ...overrides,
  };
}

/** A tuple of N users, so that destructuring needs no undefined checks. */
type Users<N extends number, Made extends UserRecord[] = []> = Made['length'] extends N ? Made : Users<N, [...Made, UserRecord]>;

async function createUsers<N extends number>(storage: Storage, count: N): Promise<Users<N>> {
  const users: UserRecord[] = [];
  for (let i = 0; i < count; i += 1) users.push(await storage.users.create(newUserInput()));
  return users as Users<N>;
}

function text(chatId: string, senderId: string, clientId: string, body = 'hello'): NewMessage {
  return { chatId, kind: 'text', senderId, clientId, body, notice: null };
}

function notice(chatId: string, senderId: string | null, details: Notice): NewMessage {
  return { chatId, kind: 'notice', senderId, clientId: null, body: '', notice: details };
}

let clientCounter = 0;

/** Appends a text with a clientId never used before. */
function sendText(storage: Storage, chatId: string, senderId: string, body = 'hello'): Promise<MessageRecord> {
  clientCounter += 1;
  return storage.messages.append(text(chatId, senderId, `client-${clientCounter}`, body));
}

let tokenCounter = 0;

function newTokenInput(userId: string, familyId: string) {
  tokenCounter += 1;
  return {
    id: newId(),
    userId,
    familyId,
    tokenHash: `sha256-${tokenCounter}-${newId()}`,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
}

async function unreadOf(storage: Storage, chatId: string, userId: string): Promise<number | undefined> {
  return (await storage.chats.entryForUser(chatId, userId))?.unreadCount;
}

function positionsOf(result: { member: { deliveredSeq: number; readSeq: number }; changed: boolean }) {
  return { deliveredSeq: result.member.deliveredSeq, readSeq: result.member.readSeq, changed: result.changed };
}

function sortById<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function byLowerCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function assertConflict(promise: Promise<unknown>, field: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ConflictError, `expected ConflictError(${field}), got ${String(error)}`);
    assert.equal(error.field, field);
    return true;
  });
}

async function assertNotFound(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NotFoundError, `expected NotFoundError, got ${String(error)}`);
    assert.ok(error instanceof StorageError);
    return true;
  });
}

function assertIsoDate(value: string): void {
  assert.equal(typeof value, 'string');
  assert.equal(new Date(value).toISOString(), value, `${value} is an ISO-8601 UTC date`);
}

/** Plain data survives a JSON round trip unchanged: no class instances, Dates, ObjectIds or undefined fields. */
function assertPlainData(value: unknown): void {
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}

