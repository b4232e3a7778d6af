/** The storage contract for the RefreshTokenStore; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { newId } from '../ids.js';
import type { Storage } from '../storage.js';
import { assertIsoDate, assertPlainData } from './assertions.js';
import { createUsers, newTokenInput } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeRefreshTokenContract(current: () => Storage): void {
  describe('refresh tokens', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

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

    it('revokeAllOfUser with exceptFamilyId keeps that session and revokes the user’s others', async () => {
      const [a, b] = await createUsers(storage, 2);
      const kept = newId();
      const keptTokens = [
        await storage.refreshTokens.create(newTokenInput(a.id, kept)),
        await storage.refreshTokens.create(newTokenInput(a.id, kept)),
      ];
      const others = [
        await storage.refreshTokens.create(newTokenInput(a.id, newId())),
        await storage.refreshTokens.create(newTokenInput(a.id, newId())),
      ];
      const ofB = await storage.refreshTokens.create(newTokenInput(b.id, kept));
      await storage.refreshTokens.revokeAllOfUser(a.id, { exceptFamilyId: kept });
      for (const token of others) assert.equal(await storage.refreshTokens.markUsed(token.id), false);
      for (const token of keptTokens) assert.equal((await storage.refreshTokens.byHash(token.tokenHash))?.revokedAt, null);
      assert.equal(await storage.refreshTokens.markUsed(keptTokens[0]!.id), true);
      assert.equal(await storage.refreshTokens.markUsed(ofB.id), true);
    });
  });
}
