/**
 * The contract of SsoTokenUseStore (../sso-token-uses.ts), run against every adapter: SQLite and
 * MongoDB/FerretDB from their storage tests, Redis from backend/test/sso.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SsoTokenUseStore } from '../sso-token-uses.js';

export interface SsoTokenUseFixture {
  storage: { ssoTokenUses: SsoTokenUseStore };
  cleanup: () => Promise<void>;
}

export interface SsoTokenUseContractOptions {
  /** The store forgets expired uses by itself (Redis), so purgeExpired has nothing to count. */
  expiresByItself?: boolean;
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

export function runSsoTokenUseContract(
  name: string,
  open: () => Promise<SsoTokenUseFixture>,
  options: SsoTokenUseContractOptions = {},
): void {
  describe(`${name}: single-use SSO tokens`, () => {
    let fixture: SsoTokenUseFixture;
    let store: SsoTokenUseStore;
    before(async () => {
      fixture = await open();
      store = fixture.storage.ssoTokenUses;
    });
    after(() => fixture.cleanup());

    it('claims a token once: the second claim of the same issuer and jti is refused', async () => {
      const jti = randomUUID();
      assert.equal(await store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(300) }), true);
      assert.equal(await store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(300) }), false);
      assert.equal(await store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(600) }), false, 'a later expiry changes nothing');
    });

    it('scopes the jti by issuer: the same jti from another issuer is another token', async () => {
      const jti = randomUUID();
      assert.equal(await store.claim({ issuer: 'https://a.example', jti, expiresAt: inSeconds(300) }), true);
      assert.equal(await store.claim({ issuer: 'https://b.example', jti, expiresAt: inSeconds(300) }), true);
      assert.equal(await store.claim({ issuer: '', jti, expiresAt: inSeconds(300) }), true);
      // No separator trick: ("a|b", "c") and ("a", "b|c") are different pairs.
      assert.equal(await store.claim({ issuer: 'x","y', jti: 'z', expiresAt: inSeconds(300) }), true);
      assert.equal(await store.claim({ issuer: 'x', jti: 'y","z', expiresAt: inSeconds(300) }), true);
      assert.equal(await store.claim({ issuer: 'https://a.example', jti, expiresAt: inSeconds(300) }), false);
    });

    it('lets exactly one of many concurrent claims of one token succeed', async () => {
      const jti = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 12 }, () => store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(300) })),
      );
      assert.equal(results.filter(Boolean).length, 1, `results: ${results.join(',')}`);
    });

    it('forgets a use once it has expired', async () => {
      const jti = randomUUID();
      assert.equal(await store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(-1) }), true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(300) }), true, 'an expired record does not block');
      assert.equal(await store.claim({ issuer: 'https://host.example', jti, expiresAt: inSeconds(300) }), false, 'the new record does');
    });

    it('purges the expired uses and keeps the live ones', async () => {
      await store.purgeExpired();
      const expired = [randomUUID(), randomUUID()];
      const live = randomUUID();
      for (const jti of expired) assert.equal(await store.claim({ issuer: 'purge', jti, expiresAt: inSeconds(-5) }), true);
      assert.equal(await store.claim({ issuer: 'purge', jti: live, expiresAt: inSeconds(300) }), true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const removed = await store.purgeExpired();
      assert.equal(removed, options.expiresByItself ? 0 : 2);
      assert.equal(await store.purgeExpired(), 0, 'nothing left to purge');
      assert.equal(await store.claim({ issuer: 'purge', jti: live, expiresAt: inSeconds(300) }), false, 'the live use is kept');
      for (const jti of expired) assert.equal(await store.claim({ issuer: 'purge', jti, expiresAt: inSeconds(300) }), true);
    });
  });
}
