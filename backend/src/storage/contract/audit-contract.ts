/** The storage contract for the AuditStore; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Storage } from '../storage.js';
import { assertIsoDate, assertPlainData } from './assertions.js';
import { createUsers } from './fixtures.js';

/** `current` gives the fresh storage of the running test. */
export function describeAuditContract(current: () => Storage): void {
  describe('audit', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

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
}
