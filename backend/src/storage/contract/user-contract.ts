/** The storage contract for the UserStore; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import type { Storage } from '../storage.js';
import { assertConflict, assertNotFound, assertIsoDate, assertPlainData } from './assertions.js';
import { newUserInput, createUsers, sortById, byLowerCase, pause } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeUserContract(current: () => Storage): void {
  describe('users', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

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
}
