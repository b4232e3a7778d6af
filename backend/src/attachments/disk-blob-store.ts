import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobTooLargeError, isBlobKey, type BlobStore, type StoredBlob } from './blob-store.js';
import { FlushingFileWriter } from './flushing-file-writer.js';
import { hashingLimit } from './hashing-limit.js';
import { WorkQueue } from './work-queue.js';

/**
 * Blobs as files under one folder (DATA_DIR/blobs), named by their SHA-256: `ab/cd/abcd…`.
 * A write goes to `tmp/<random>` while it is hashed, put on disk a few megabytes at a time and
 * fsynced at its end (flushing-file-writer.ts), then renamed into place (a
 * rename within one file system is atomic, and the folder is fsynced after it), so a reader sees
 * a whole blob or none. A temporary file left by a crash is never read; `open` clears the folder.
 */
export class DiskBlobStore implements BlobStore {
  readonly name = 'disk' as const;
  private readonly tmp: string;
  /** The flushes of every blob being written, one at a time. */
  private readonly flushes = new WorkQueue(1);

  private constructor(private readonly root: string) {
    this.tmp = join(root, 'tmp');
  }

  static async open(root: string): Promise<DiskBlobStore> {
    const store = new DiskBlobStore(root);
    await rm(store.tmp, { recursive: true, force: true });
    await mkdir(store.tmp, { recursive: true });
    return store;
  }

  async put(source: Readable, options: { maxBytes?: number } = {}): Promise<StoredBlob> {
    const tmpFile = join(this.tmp, randomBytes(16).toString('hex'));
    const hash = createHash('sha256');
    const counter = hashingLimit(hash, options.maxBytes);
    try {
      // Flushed as it is written, and fsynced at its end (flushing-file-writer.ts).
      await pipeline(source, counter.transform, new FlushingFileWriter(tmpFile, this.flushes));
      const key = hash.digest('hex');
      const dir = this.dirOf(key);
      await mkdir(dir, { recursive: true });
      await rename(tmpFile, join(dir, key));
      // With the flushes: one fsync of the blobs at a time, so none holds a WAL fsync back for long.
      await this.flushes.run(() => fsyncFile(dir));
      return { key, size: counter.bytes() };
    } catch (error) {
      await rm(tmpFile, { force: true });
      if (counter.tooLarge()) throw new BlobTooLargeError(options.maxBytes!);
      throw error;
    }
  }

  async open(key: string): Promise<{ size: number; stream: Readable } | null> {
    if (!isBlobKey(key)) return null;
    const file = join(this.dirOf(key), key);
    try {
      const handle = await open(file, 'r');
      const { size } = await handle.stat();
      return { size, stream: createReadStream(file, { fd: handle }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    if (!isBlobKey(key)) return false;
    return stat(join(this.dirOf(key), key)).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    await rm(join(this.dirOf(key), key), { force: true });
  }

  async close(): Promise<void> {}

  private dirOf(key: string): string {
    return join(this.root, key.slice(0, 2), key.slice(2, 4));
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
