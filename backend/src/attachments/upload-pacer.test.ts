import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { UploadPacer } from './upload-pacer.js';

describe('UploadPacer', () => {
  it('lets perTurn chunks through per turn of the event loop, the rest in later turns, first come first served', async () => {
    const pacer = new UploadPacer(2);
    const ran: string[] = [];
    for (const name of ['a1', 'b1', 'a2', 'c1', 'b2']) pacer.take(() => ran.push(name));
    assert.deepEqual(ran, ['a1', 'b1'], 'this turn: two');
    assert.equal(pacer.backlog, 3);
    await nextTurn();
    assert.deepEqual(ran, ['a1', 'b1', 'a2', 'c1'], 'next turn: two more, in order');
    await nextTurn();
    assert.deepEqual(ran, ['a1', 'b1', 'a2', 'c1', 'b2']);
    assert.equal(pacer.backlog, 0);
  });

  it('passes every byte of each stream through unchanged, streams sharing the turns', async () => {
    const pacer = new UploadPacer(1);
    const bodies = [0, 1, 2].map((n) => Array.from({ length: 20 }, (_, i) => Buffer.alloc(1024, n * 20 + i)));
    const received = await Promise.all(
      bodies.map(async (chunks) => {
        const out: Buffer[] = [];
        const sink = new Writable({
          write(chunk: Buffer, _encoding, callback) {
            out.push(chunk);
            callback();
          },
        });
        await pipeline(Readable.from(chunks), pacer.stream(), sink);
        return Buffer.concat(out);
      }),
    );
    assert.deepEqual(received, bodies.map((chunks) => Buffer.concat(chunks)));
  });

  it('refuses a budget below one chunk', () => {
    assert.throws(() => new UploadPacer(0), RangeError);
  });
});
