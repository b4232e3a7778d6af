import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailableError } from '../errors.js';
import type { MessageRecord, NewMessage } from '../storage.js';
import { MongoAppendBatches, type BatchEvents } from './mongo-append-batches.js';
import { LocalCacheBus } from './mongo-cache-bus.js';
import { MongoMemberLists } from './mongo-member-lists.js';
import type { MongoModels } from './mongo-models.js';

/**
 * The collections a batch touches, in memory: enough of the mongoose models for
 * MongoAppendBatches alone. The storage contract runs the class against FerretDB; this fake is
 * for what a real server does not do on demand, a write that never answers.
 */
function memoryModels(chatIds: string[]) {
  const messages: Array<{ chatId: string; seq: number }> = [];
  /** Each insertMany: when it started and how many messages it carried. */
  const inserts: Array<{ at: number; count: number }> = [];
  const chainable = <T>(value: T) => ({ sort: () => chainable(value), lean: async () => value });
  const models = {
    chats: {
      find: (filter: { _id: { $in: string[] } }) => chainable(filter._id.$in.filter((id) => chatIds.includes(id)).map((_id) => ({ _id, lastSeq: 0 }))),
      collection: { bulkWrite: async () => ({}) },
    },
    messages: {
      findOne: (filter: { chatId: string }) =>
        chainable(messages.filter((m) => m.chatId === filter.chatId).sort((a, b) => b.seq - a.seq)[0] ?? null),
      collection: {
        insertMany: async (docs: Array<{ chatId: string; seq: number }>) => {
          inserts.push({ at: performance.now(), count: docs.length });
          for (const doc of docs) {
            if (messages.some((m) => m.chatId === doc.chatId && m.seq === doc.seq)) throw Object.assign(new Error('E11000'), { code: 11000 });
            messages.push(doc);
          }
          return {};
        },
      },
    },
    memberships: { updateMany: async () => ({}) },
    mentions: { collection: { insertMany: async () => ({}) } },
  };
  return { models: models as unknown as MongoModels, messages, inserts };
}

/** Webhook bookkeeping whose first intent write never answers, like a driver stuck on a killed server. */
function eventsStuckOnce(): BatchEvents & { release: () => void } {
  let calls = 0;
  let release = () => {};
  return {
    beginBatch: () => {
      calls += 1;
      if (calls === 1) return new Promise((resolve) => (release = () => resolve(null)));
      return Promise.resolve(null);
    },
    writerId: 'writer-1',
    logBatch: async () => {},
    finishBatch: async () => {},
    unwrittenCount: 0,
    release: () => release(),
  };
}

const message = (clientId: string): NewMessage => ({ chatId: 'c1', kind: 'text', senderId: 'ann', clientId, body: 'hi', notice: null });

describe('MongoAppendBatches', () => {
  it('answers a batch the store never finishes store_unavailable at its deadline, and the next batch is written', async () => {
    const { models, messages } = memoryModels(['c1']);
    const events = eventsStuckOnce();
    const committed: MessageRecord[][] = [];
    const batches = new MongoAppendBatches(models, new MongoMemberLists(new LocalCacheBus()), new LocalCacheBus(), (records) => committed.push([...records]), events, { stored: () => {} }, {
      maxQueued: 100,
      maxWaitMs: 5_000,
      maxBatch: 10,
      maxBatchMs: 200,
      minBatchIntervalMs: 0,
    });

    const started = Date.now();
    const stuck = batches.append(message('m1'));
    await assert.rejects(stuck, (error: unknown) => error instanceof StoreUnavailableError && /outcome is unknown/.test(String(error.cause)));
    const waited = Date.now() - started;
    assert.ok(waited >= 190 && waited < 3_000, `answered after ${waited} ms`);

    const next = await batches.append(message('m2'));
    assert.equal(next.seq, 1, 'the late batch stored nothing, so the next message takes seq 1');
    assert.deepEqual(messages, [{ ...messages[0]!, chatId: 'c1', seq: 1 }]);

    // The late batch ends after all: its append was answered already, so it stores nothing more.
    events.release();
    await batches.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(messages.length, 1);
    assert.deepEqual(committed.map((records) => records.map((r) => r.clientId)), [['m2']]);
  });

  it('starts a batch at least minBatchIntervalMs after the previous one, and at once after a quiet spell', async () => {
    const { models, inserts } = memoryModels(['c1']);
    const events = { beginBatch: async () => null, writerId: 'writer-1', logBatch: async () => {}, finishBatch: async () => {}, unwrittenCount: 0 };
    const batches = new MongoAppendBatches(models, new MongoMemberLists(new LocalCacheBus()), new LocalCacheBus(), () => {}, events, { stored: () => {} }, {
      maxQueued: 100,
      maxWaitMs: 5_000,
      maxBatch: 10,
      maxBatchMs: 5_000,
      minBatchIntervalMs: 300,
    });

    const started = performance.now();
    await batches.append(message('m1'));
    const first = performance.now() - started;
    assert.ok(first < 150, `the first message after a quiet spell waited ${first.toFixed(0)} ms`);
    // Three sends right after it: one batch, once the interval since the first batch has passed.
    await Promise.all([batches.append(message('m2')), batches.append(message('m3')), batches.append(message('m4'))]);
    assert.deepEqual(inserts.map((insert) => insert.count), [1, 3]);
    const gap = inserts[1]!.at - inserts[0]!.at;
    assert.ok(gap >= 290, `the second batch started ${gap.toFixed(0)} ms after the first`);

    // After a quiet spell longer than the interval, a send goes at once.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const again = performance.now();
    await batches.append(message('m5'));
    const waited = performance.now() - again;
    assert.ok(waited < 150, `a send after a quiet spell waited ${waited.toFixed(0)} ms`);
    assert.deepEqual(inserts.map((insert) => insert.count), [1, 3, 1]);
  });
});
