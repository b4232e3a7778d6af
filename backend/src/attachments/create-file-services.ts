import { join } from 'node:path';
import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { DiskBlobStore } from './disk-blob-store.js';
import type { FileServices } from './file-services.js';
import { GridFsBlobStore } from './gridfs-blob-store.js';
import { ImageWorker } from './image-worker.js';
import { FileUrlSigner } from './signed-urls.js';

/** The blob store BLOB_STORE names: GridFS on MONGODB_URI by default when that is set, else DATA_DIR/blobs. */
export async function createBlobStore(config: Config): Promise<BlobStore> {
  const kind = config.BLOB_STORE ?? (config.MONGODB_URI ? 'gridfs' : 'disk');
  if (kind === 'gridfs') {
    if (!config.MONGODB_URI) throw new Error('BLOB_STORE=gridfs needs MONGODB_URI');
    return GridFsBlobStore.open(config.MONGODB_URI);
  }
  return DiskBlobStore.open(join(config.DATA_DIR, 'blobs'));
}

export async function createFileServices(config: Config): Promise<FileServices> {
  return {
    blobs: await createBlobStore(config),
    images: new ImageWorker(),
    signer: new FileUrlSigner(config.JWT_SECRET, config.FILE_URL_TTL_S),
    limits: {
      maxBytes: config.UPLOAD_MAX_BYTES,
      dailyQuotaBytes: config.UPLOAD_DAILY_QUOTA_BYTES,
      maxImagePixels: config.UPLOAD_MAX_IMAGE_PIXELS,
      orphanTtlS: config.UPLOAD_ORPHAN_TTL_S,
    },
  };
}
