import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newMessageRecord } from '../records/message.js';
import type { MessageRecord } from '../storage.js';
import { MongoSearchBacklog } from './mongo-search-backlog.js';
import type { MongoSearchIndex } from './mongo-search-index.js';

/** The index's side of the backlog: only the writes it is asked for, with when they came. */
function recordingIndex() {
  const writes: Array<{ at: number; ids: string[] }> = [];
  const index = {
    addedMany: async (messages: readonly MessageRecord[]) => {
      writes.push({ at: performance.now(), ids: messages.map((message) => message.id) });
    },
  };
  return { index: index as unknown as MongoSearchIndex, writes };
}

let nextSeq = 1;
function stored(count: number): MessageRecord[] {
  return Array.from({ length: count }, () => {
    const seq = nextSeq++;
    return newMessageRecord({ chatId: 'c1', kind: 'text', senderId: 'ann', clientId: `m${seq}`, body: `message ${seq}`, notice: null }, seq, new Date().toISOString());
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('MongoSearchBacklog', () => {
  it('gathers the postings of a few messages for gatherMs, then writes them together', async () => {
    const { index, writes } = recordingIndex();
    const backlog = new MongoSearchBacklog(index, async () => {}, 5_000, 300);

    const started = performance.now();
    backlog.added(stored(2));
    await sleep(50);
    backlog.added(stored(3));
    await sleep(100);
    assert.equal(writes.length, 0, 'nothing is written before the gathering time is up');
    await sleep(300);
    assert.equal(writes.length, 1);
    assert.equal(writes[0]!.ids.length, 5);
    const waited = writes[0]!.at - started;
    assert.ok(waited >= 290, `written ${waited.toFixed(0)} ms after the first message`);
  });

  it('writes at once when a full write has gathered, and when asked to be idle', async () => {
    const { index, writes } = recordingIndex();
    const backlog = new MongoSearchBacklog(index, async () => {}, 5_000, 10_000);

    const started = performance.now();
    backlog.added(stored(30));
    backlog.added(stored(30));
    await sleep(100);
    assert.deepEqual(
      writes.map((write) => write.ids.length),
      [50],
      'fifty messages are written without waiting; the other ten wait for more',
    );
    assert.ok(writes[0]!.at - started < 100);

    await backlog.idle();
    assert.deepEqual(
      writes.map((write) => write.ids.length),
      [50, 10],
    );
    assert.ok(performance.now() - started < 1_000, 'idle() does not wait out the gathering time');
  });

  it('waits for the store to be idle before each write', async () => {
    const { index, writes } = recordingIndex();
    let storeBusy: Promise<void> = sleep(400);
    const backlog = new MongoSearchBacklog(index, () => storeBusy, 5_000, 0);

    const started = performance.now();
    backlog.added(stored(3));
    await sleep(200);
    assert.equal(writes.length, 0);
    await storeBusy;
    storeBusy = Promise.resolve();
    await backlog.idle();
    assert.equal(writes.length, 1);
    assert.ok(writes[0]!.at - started >= 390);
  });
});
