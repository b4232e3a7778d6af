import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose, { type Connection } from 'mongoose';
import { BlobTooLargeError, isBlobKey, type BlobStore, type StoredBlob } from './blob-store.js';
import { hashingLimit } from './hashing-limit.js';

const TMP_PREFIX = 'tmp/';

/**
 * Blobs in MongoDB GridFS (bucket `blobs`: `blobs.files`, `blobs.chunks`), so that every process
 * behind a load balancer reads what any of them stored. A write is uploaded under a temporary
 * name while it is hashed, then renamed to its key: the files document (which makes a blob
 * visible) is written only after the last chunk, so a cut-off upload is never found under a key,
 * and its chunks are removed (abort). Runs on MongoDB and on FerretDB 1.x (the CI leg).
 */
export class GridFsBlobStore implements BlobStore {
  readonly name = 'gridfs' as const;

  private constructor(
    private readonly connection: Connection,
    private readonly bucket: mongoose.mongo.GridFSBucket,
  ) {}

  static async open(uri: string): Promise<GridFsBlobStore> {
    const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000, bufferCommands: false, autoIndex: false });
    await connection.asPromise();
    const db = connection.db;
    if (!db) throw new Error('MongoDB connection has no database');
    const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: 'blobs', chunkSizeBytes: 255 * 1024 });
    // Lookups by name (the key), and chunk reads in order.
    await db.collection('blobs.files').createIndex({ filename: 1, uploadDate: 1 }, { name: 'blobs_files_filename' });
    await db.collection('blobs.chunks').createIndex({ files_id: 1, n: 1 }, { name: 'blobs_chunks_files_id_n', unique: true });
    return new GridFsBlobStore(connection, bucket);
  }

  async put(source: Readable, options: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const hash = createHash('sha256');
    const counter = hashingLimit(hash, options.maxBytes);
    const upload = this.bucket.openUploadStream(TMP_PREFIX + randomBytes(16).toString('hex'));
    try {
      await pipeline(source, counter.transform, upload);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      await this.bucket.delete(upload.id).catch(() => undefined);
      if (counter.tooLarge()) throw new BlobTooLargeError(options.maxBytes!);
      throw error;
    }
    const key = hash.digest('hex');
    if (await this.has(key)) {
      await this.bucket.delete(upload.id);
    } else {
      await this.bucket.rename(upload.id, key);
    }
    return { key, size: counter.bytes() };
  }

  async open(key: string): Promise<{ size: number; stream: Readable } | null> {
    if (!isBlobKey(key)) return null;
    const [file] = await this.bucket.find({ filename: key }).sort({ uploadDate: 1 }).limit(1).toArray();
    if (!file) return null;
    return { size: file.length, stream: this.bucket.openDownloadStream(file._id) };
  }

  async has(key: string): Promise<boolean> {
    if (!isBlobKey(key)) return false;
    const files = await this.bucket.find({ filename: key }).limit(1).toArray();
    return files.length > 0;
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    for (const file of await this.bucket.find({ filename: key }).toArray()) {
      await this.bucket.delete(file._id).catch((error: unknown) => {
        if (!(error instanceof Error && /File not found/i.test(error.message))) throw error;
      });
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
