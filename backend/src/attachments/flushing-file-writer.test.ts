import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, describe, it } from 'node:test';
import { FlushingFileWriter } from './flushing-file-writer.js';
import { WorkQueue } from './work-queue.js';

/** A queue that counts what went through it. */
class CountingQueue extends WorkQueue {
  runs = 0;
  override run<T>(task: () => Promise<T>): Promise<T> {
    this.runs += 1;
    return super.run(task);
  }
}

describe('FlushingFileWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flushing-writer-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every byte in order, flushing each time flushEvery bytes have gone in, and syncs at the end', async () => {
    const chunks = Array.from({ length: 10 }, () => randomBytes(100 * 1024));
    const flushes = new CountingQueue(1);
    const path = join(dir, 'one');
    await pipeline(Readable.from(chunks), new FlushingFileWriter(path, flushes, 256 * 1024));
    assert.deepEqual(readFileSync(path), Buffer.concat(chunks));
    // 1,000 KiB in flushes of at least 256 KiB: three flushes, then the sync at the end.
    assert.ok(flushes.runs >= 3 && flushes.runs <= 4, `${flushes.runs} runs`);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('refuses a file that exists, and leaves it as it was', async () => {
    const path = join(dir, 'taken');
    writeFileSync(path, 'already here');
    await assert.rejects(pipeline(Readable.from([Buffer.from('new')]), new FlushingFileWriter(path, new WorkQueue(1))), { code: 'EEXIST' });
    assert.equal(readFileSync(path, 'utf8'), 'already here');
  });
});
