/**
 * The one behavioural suite every BlobStore adapter passes (disk, GridFS). An adapter's test calls
 * `runBlobStoreContract('name', factory)`; each test gets a fresh, empty store from the factory.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BlobTooLargeError, type BlobStore } from '../blob-store.js';

export type BlobStoreFactory = () => Promise<{ store: BlobStore; cleanup: () => Promise<void> }>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A stream of `bytes` in chunks of `chunk` bytes that fails with `failAfter` bytes sent, when given. */
function source(bytes: Buffer, chunk = 64 * 1024, failAfter?: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && offset >= failAfter) {
        this.destroy(new Error('connection reset'));
        return;
      }
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

async function read(store: BlobStore, key: string): Promise<Buffer | null> {
  const opened = await store.open(key);
  if (!opened) return null;
  const bytes = await buffer(opened.stream);
  assert.equal(opened.size, bytes.length, 'the size given with the stream is its length');
  return bytes;
}

export function runBlobStoreContract(name: string, factory: BlobStoreFactory): void {
  describe(`blob store contract: ${name}`, () => {
    let store: BlobStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores bytes under their SHA-256 and reads them back whole', async () => {
      const bytes = randomBytes(700 * 1024 + 13);
      const stored = await store.put(source(bytes));
      assert.deepEqual(stored, { key: sha256(bytes), size: bytes.length });
      assert.equal(await store.has(stored.key), true);
      assert.deepEqual(await read(store, stored.key), bytes);
    });

    it('stores an empty blob', async () => {
      const stored = await store.put(source(Buffer.alloc(0)));
      assert.deepEqual(stored, { key: sha256(Buffer.alloc(0)), size: 0 });
      assert.deepEqual(await read(store, stored.key), Buffer.alloc(0));
    });

    it('the same bytes twice are one blob under one key; deleting it removes it', async () => {
      const bytes = randomBytes(10_000);
      const first = await store.put(source(bytes));
      const second = await store.put(source(bytes, 999));
      assert.equal(second.key, first.key);
      assert.deepEqual(await read(store, first.key), bytes);
      await store.delete(first.key);
      assert.equal(await store.has(first.key), false);
      assert.equal(await store.open(first.key), null);
      await store.delete(first.key);
    });

    it('a source that fails half-way stores nothing visible, and the same bytes can be stored afterwards', async () => {
      const bytes = randomBytes(600 * 1024);
      await assert.rejects(store.put(source(bytes, 64 * 1024, 300 * 1024)), /connection reset/);
      assert.equal(await store.has(sha256(bytes)), false);
      assert.equal(await store.has(sha256(bytes.subarray(0, 300 * 1024))), false, 'not the part that arrived either');
      const stored = await store.put(source(bytes));
      assert.deepEqual(await read(store, stored.key), bytes);
    });

    it('refuses a blob longer than maxBytes without reading it all, and stores nothing', async () => {
      const bytes = randomBytes(2 * 1024 * 1024);
      let pulled = 0;
      const counted = source(bytes, 16 * 1024).on('data', (chunk: Buffer) => (pulled += chunk.length));
      await assert.rejects(store.put(counted, { maxBytes: 100 * 1024 }), BlobTooLargeError);
      assert.ok(pulled < bytes.length, `read ${pulled} of ${bytes.length} bytes`);
      assert.equal(await store.has(sha256(bytes)), false);
      const exact = await store.put(source(bytes.subarray(0, 100 * 1024)), { maxBytes: 100 * 1024 });
      assert.equal(exact.size, 100 * 1024, 'exactly maxBytes is allowed');
    });

    it('unknown and malformed keys are simply not there', async () => {
      assert.equal(await store.open('0'.repeat(64)), null);
      assert.equal(await store.has('../../etc/passwd'), false);
      assert.equal(await store.open('../../etc/passwd'), null);
      await store.delete('../x');
    });

    it('several writes at once each land whole', async () => {
      const blobs = Array.from({ length: 8 }, () => randomBytes(200 * 1024));
      const stored = await Promise.all(blobs.map((bytes) => store.put(source(bytes, 8 * 1024))));
      for (const [index, bytes] of blobs.entries()) assert.deepEqual(await read(store, stored[index]!.key), bytes);
    });
  });
}
