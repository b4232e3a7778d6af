/**
 * Taking turns at the MongoDB webhook event log across processes (event-log-turns.ts), against a
 * real redis-server; then two storages on one FerretDB database and one Redis, appending at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { HANDED_HEAD_TTL_MS, RedisEventLogTurns } from '../src/storage/mongo/event-log-turns.js';
import { openMongoStorage } from '../src/storage/mongo/mongo-storage.js';
import type { NewEvent, Storage } from '../src/storage/storage.js';
import { FerretDb } from './support/ferretdb.js';
import { redisForTests, startRedisServer, type RunningRedis } from './support/redis-server.js';
import { sleep } from './support/waiting.js';

describe('RedisEventLogTurns', { timeout: 60_000 }, () => {
  let redis: RunningRedis;
  const opened: RedisEventLogTurns[] = [];
  const turnsOn = async (database: string, url = redis.url) => {
    const turns = new RedisEventLogTurns(url, database);
    opened.push(turns);
    await turns.ready(5_000);
    return turns;
  };

  before(async () => {
    redis = await redisForTests();
  });
  after(async () => {
    for (const turns of opened) await turns.close();
    await redis.stop();
  });

  it('gives one writer the turn at a time, and hands the head it wrote to the next', async () => {
    const database = `turns_${randomBytes(4).toString('hex')}`;
    const [a, b] = [await turnsOn(database), await turnsOn(database)];
    const first = await a.take();
    assert.equal(first.head, null, 'nothing handed over yet');
    let secondHasIt = false;
    const second = b.take().then((turn) => {
      secondHasIt = true;
      return turn;
    });
    await sleep(300);
    assert.equal(secondHasIt, false, 'the other process waits while the turn is taken');
    await first.end(42);
    const turn = await second;
    assert.equal(turn.head, 42);
    await turn.end(null);
    assert.equal((await a.take()).head, 42, 'a turn that wrote nothing leaves the head as it was');
  });

  it('never hands over a lower head than it has, and keeps databases apart', async () => {
    const database = `turns_${randomBytes(4).toString('hex')}`;
    const a = await turnsOn(database);
    await (await a.take()).end(100);
    await (await a.take()).end(90);
    const turn = await a.take();
    assert.equal(turn.head, 100);
    await turn.end(null);
    const elsewhere = await turnsOn(`${database}_other`);
    const other = await elsewhere.take();
    assert.equal(other.head, null);
    await other.end(null);
  });

  it('forgets a handed-over head after a while, so that a stale one is read from the store again', async () => {
    const database = `turns_${randomBytes(4).toString('hex')}`;
    const a = await turnsOn(database);
    await (await a.take()).end(7);
    await sleep(HANDED_HEAD_TTL_MS + 200);
    const turn = await a.take();
    assert.equal(turn.head, null);
    await turn.end(null);
  });

  it('lets a writer go ahead without a turn when the holder does not give it up, or Redis goes away', async () => {
    const database = `turns_${randomBytes(4).toString('hex')}`;
    const [a, b] = [await turnsOn(database), await turnsOn(database)];
    await a.take(); // never ended
    const started = Date.now();
    const turn = await b.take();
    const waited = Date.now() - started;
    assert.ok(waited >= 1_500 && waited < 4_000, `waited ${waited} ms`);
    assert.equal(turn.head, null);

    const own = await startRedisServer();
    const lonely = await turnsOn(database, own.url);
    await own.stop();
    const startedAlone = Date.now();
    const without = await lonely.take();
    assert.equal(without.head, null);
    assert.ok(Date.now() - startedAlone < 1_000, 'Redis being away does not hold the log');
    await without.end(5);
  });
});

describe('two storages on one database and one Redis, writing the event log at once', { timeout: 120_000 }, () => {
  let redis: RunningRedis;
  let ferret: FerretDb;
  const storages: Storage[] = [];

  before(async () => {
    redis = await redisForTests();
    ferret = await FerretDb.start();
  });
  after(async () => {
    for (const storage of storages) await storage.close();
    await ferret.stop();
    await redis.stop();
  });

  it('takes positions 1..n without a gap, each event once, each process in its own order', async () => {
    const uri = `${ferret.uri}turns_${randomBytes(4).toString('hex')}`;
    for (let index = 0; index < 2; index += 1) storages.push(await openMongoStorage({ uri, redisUrl: redis.url }));
    const event = (writer: number, index: number): NewEvent => ({
      id: `w${writer}-${String(index).padStart(3, '0')}`,
      type: 'message.created',
      chatId: 'chat',
      messageId: `m${writer}-${index}`,
      userId: null,
    });
    const rounds = 25;
    await Promise.all(
      storages.map((storage, writer) =>
        Promise.all(Array.from({ length: rounds }, (_, round) => storage.events.append([event(writer, round * 2), event(writer, round * 2 + 1)]))),
      ),
    );
    const logged = await storages[0]!.events.after(0, 1_000);
    assert.deepEqual(
      logged.map((record) => record.position),
      Array.from({ length: rounds * 4 }, (_, index) => index + 1),
    );
    assert.equal(new Set(logged.map((record) => record.id)).size, rounds * 4);
    for (const writer of [0, 1]) {
      const ids = logged.filter((record) => record.id.startsWith(`w${writer}-`)).map((record) => record.id);
      assert.deepEqual(ids, [...ids].sort(), `writer ${writer}'s events in the order it appended them`);
    }
    assert.equal(await storages[1]!.events.headPosition(), rounds * 4);
  });
});
