/**
 * The blob store contract on GridFS. Runs when MONGODB_URI is set (MongoDB or FerretDB):
 *   backend/scripts/with-ferretdb.sh node --import tsx --test backend/src/attachments/gridfs-blob-store.test.ts
 * Each test gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import mongoose from 'mongoose';
import { runBlobStoreContract } from './blob-contract/run-blob-store-contract.js';
import { GridFsBlobStore } from './gridfs-blob-store.js';

const baseUri = process.env.MONGODB_URI;

function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

if (baseUri) {
  runBlobStoreContract('gridfs', async () => {
    const uri = withDatabase(baseUri, `blobs_test_${randomBytes(6).toString('hex')}`);
    const store = await GridFsBlobStore.open(uri);
    return {
      store,
      cleanup: async () => {
        await store.close();
        const connection = await mongoose.createConnection(uri).asPromise();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  });
} else {
  describe('blob store contract: gridfs (set MONGODB_URI to run it)', () => {});
}
