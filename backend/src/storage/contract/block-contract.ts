/** The storage contract for the BlockStore; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Storage } from '../storage.js';
import { createUsers } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeBlockContract(current: () => Storage): void {
  describe('blocks', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

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
}
