import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { WorkQueue } from './work-queue.js';

/** How much of a file may be written and not yet on disk. */
export const FLUSH_EVERY_BYTES = 2 * 1024 * 1024;

/**
 * Writes a stream into a new file (`path`, created; refused if it exists; mode 0600) and puts it
 * on disk as it goes: every `flushEvery` bytes it
 * waits for `fdatasync`, and at the end for `fsync`. The flushes of every file go through one
 * queue (`flushes`), one at a time.
 *
 * Why not a plain WriteStream and one fsync at the end: on ext4 (ordered data, the default) an
 * fsync commits the file system's journal, and the commit first writes out the data of every file
 * it covers. Fifty 25 MB uploads each fsynced at their end put hundreds of megabytes in front of
 * the SQLite WAL's own fsync, which every chat message waits for: messages took 100–250 ms while
 * they were written. Flushed in small pieces, one file at a time, no fsync waits behind more
 * than a piece. Node's streams have no such writer, hence this one.
 */
export class FlushingFileWriter extends Writable {
  private unflushed = 0;
  private handle!: FileHandle;

  constructor(
    private readonly path: string,
    private readonly flushes: WorkQueue,
    private readonly flushEvery = FLUSH_EVERY_BYTES,
  ) {
    super({ highWaterMark: 256 * 1024 });
  }

  /** Opens the file; writes wait for it (so the writer can be piped into at once). */
  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'wx', 0o600).then((handle) => {
      this.handle = handle;
      callback();
    }, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.handle) return callback(error);
    this.handle.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.writeAll(chunks.map(({ chunk }) => chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flushes.run(() => this.handle.sync()).then(() => callback(), callback);
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending);
      pending = rest(pending, bytesWritten);
      this.unflushed += bytesWritten;
    }
    if (this.unflushed >= this.flushEvery) {
      this.unflushed = 0;
      await this.flushes.run(() => this.handle.datasync());
    }
  }
}

/** What is left of `buffers` after the first `written` bytes. */
function rest(buffers: Buffer[], written: number): Buffer[] {
  const left: Buffer[] = [];
  let skip = written;
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    left.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return left;
}
