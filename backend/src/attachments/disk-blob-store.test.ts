import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBlobStoreContract } from './blob-contract/run-blob-store-contract.js';
import { DiskBlobStore } from './disk-blob-store.js';

runBlobStoreContract('disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'parley-blobs-'));
  const store = await DiskBlobStore.open(root);
  return {
    store,
    cleanup: async () => {
      // Nothing half-written stays behind in the temporary folder.
      const left = await readdir(join(root, 'tmp'));
      await rm(root, { recursive: true, force: true });
      if (left.length > 0) throw new Error(`temporary files left behind: ${left.join(', ')}`);
    },
  };
});
