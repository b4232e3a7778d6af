import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../app-error.js';
import { assertWebhookUrlAllowed, guardedLookup, isForbiddenAddress, type Resolver } from './outbound-address.js';

const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses;
  };

describe('outbound webhook addresses', () => {
  it('refuses loopback, private, link-local, unique-local, multicast and unspecified addresses', () => {
    for (const address of [
      '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
      '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::192.168.0.1', '::127.0.0.1',
      'not-an-address',
    ]) {
      assert.equal(isForbiddenAddress(address), true, address);
    }
  });

  it('allows public addresses, IPv4 inside IPv6 included', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:93.184.216.34', '::ffff:5db8:d822']) {
      assert.equal(isForbiddenAddress(address), false, address);
    }
  });

  it('checks a URL by its literal address or by every address its name resolves to', async () => {
    const resolve = resolverOf({ 'public.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'inside.example': ['127.0.0.1'] });
    await assertWebhookUrlAllowed('https://public.example/hook', { allowPrivate: false, resolve });
    await assertWebhookUrlAllowed('https://93.184.216.34/hook', { allowPrivate: false, resolve });
    for (const url of ['https://mixed.example/', 'http://inside.example/', 'http://127.0.0.1:8080/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest']) {
      await assert.rejects(assertWebhookUrlAllowed(url, { allowPrivate: false, resolve }), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'validation_failed');
        assert.ok(error.fields?.['url'], url);
        return true;
      });
    }
    await assert.rejects(assertWebhookUrlAllowed('https://nowhere.example/', { allowPrivate: false, resolve }), AppError);
    await assertWebhookUrlAllowed('http://127.0.0.1:8080/', { allowPrivate: true, resolve });
  });

  it('refuses at connect time a name that now resolves inside (DNS rebinding)', async () => {
    const table: Record<string, string[]> = { 'rebind.example': ['93.184.216.34'] };
    const resolve = resolverOf(table);
    await assertWebhookUrlAllowed('https://rebind.example/', { allowPrivate: false, resolve });
    table['rebind.example'] = ['127.0.0.1'];
    const lookup = guardedLookup(resolve);
    const outcome = await new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) =>
      lookup('rebind.example', {}, (error, address) => done({ error, address })),
    );
    assert.equal(outcome.error?.code, 'EWEBHOOKADDRESS');
    table['rebind.example'] = ['93.184.216.34'];
    const allowed = await new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) =>
      lookup('rebind.example', { all: true }, (error, address) => done({ error, address })),
    );
    assert.equal(allowed.error, null);
    assert.deepEqual(allowed.address, [{ address: '93.184.216.34', family: 4 }]);
  });
});
