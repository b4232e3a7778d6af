/**
 * The one behavioural suite every storage adapter passes, one file per sub-store of the port
 * (storage.ts). An adapter's test calls `runStorageContract('name', factory)` once: each test
 * of the sub-store suites gets a fresh, empty storage from the factory, and the single-use SSO
 * token suite (sso-token-use-contract.ts) runs on one storage of its own. The factory also gives
 * a reader of the raw rows, for the tests that check what is really stored (a deleted message's body).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Storage } from '../storage.js';
import { describeAttachmentContract } from './attachment-contract.js';
import { describeAuditContract } from './audit-contract.js';
import { describeBlockContract } from './block-contract.js';
import { describeChatContract } from './chat-contract.js';
import { describeChatListContract } from './chat-list-contract.js';
import { describeMemberContract } from './member-contract.js';
import { describeMentionContract } from './mention-contract.js';
import { describeMessageChangeContract, type RawStoreReader } from './message-change-contract.js';
import { describeMessageContract } from './message-contract.js';
import { describeRefreshTokenContract } from './refresh-token-contract.js';
import { describeSearchContract } from './search-contract.js';
import { runSsoTokenUseContract } from './sso-token-use-contract.js';
import { describeUserContract } from './user-contract.js';

export type StorageFactory = () => Promise<{ storage: Storage; cleanup: () => Promise<void>; raw?: RawStoreReader }>;

export type { RawStoreReader };

export function runStorageContract(name: string, factory: StorageFactory): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;
    let raw: RawStoreReader | undefined;

    beforeEach(async () => {
      ({ storage, cleanup, raw } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    const current = () => storage;
    describeUserContract(current);
    describeChatContract(current);
    describeChatListContract(current);
    describeMemberContract(current);
    describeMessageContract(current);
    describeMessageChangeContract(current, () => raw);
    describeSearchContract(current);
    describeMentionContract(current);
    describeBlockContract(current);
    describeRefreshTokenContract(current);
    describeAuditContract(current);
    describeAttachmentContract(current);

    describe('health', () => {
      it('ping resolves while the store is open', async () => {
        await storage.ping();
        assert.ok(['sqlite', 'mongo'].includes(storage.name), `unexpected storage name ${storage.name}`);
      });
    });
  });

  runSsoTokenUseContract(name, factory);
}
